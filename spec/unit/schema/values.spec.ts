import { expect } from 'chai';
import { DN, parseDN, GeneralizedTime, guidFromString, guidToString, SearchEntry, sidFromString, sidToString, AttributeValueError, ValueTyping } from '../../../lib';
import { fixtureSchema } from './fixture';

const entry = (attributes: Record<string, Array<string | Buffer>>): SearchEntry =>
  new SearchEntry('cn=x,dc=example,dc=com', Object.entries(attributes).map(([type, vals]) => ({ type, vals: vals.map((v) => (typeof v === 'string' ? Buffer.from(v) : v)) })));

describe('typed values', () => {
  describe('GeneralizedTime', () => {
    it('keeps the fraction to the nanosecond and the zone it was written in', () => {
      const time = GeneralizedTime.parse('20240506070809.123456789+0230')!;
      expect(time.date.toISOString()).to.equal('2024-05-06T04:38:09.123Z');
      expect(time.nanoseconds).to.equal(123_456_789);
      expect(time.offsetMinutes).to.equal(150);
      expect(time.toISOString()).to.equal('2024-05-06T07:08:09.123456789+02:30');
      expect(String(time)).to.equal('20240506070809.123456789+0230');
    });

    it('reads a fraction of the hour or of the minute, and times without seconds or zone', () => {
      expect(GeneralizedTime.parse('2024010112.5Z')!.date.toISOString()).to.equal('2024-01-01T12:30:00.000Z');
      expect(GeneralizedTime.parse('202401011230,25Z')!.date.toISOString()).to.equal('2024-01-01T12:30:15.000Z');
      const local = GeneralizedTime.parse('20240101123000')!;
      expect(local.offsetMinutes).to.equal(undefined);
      expect(local.date.toISOString()).to.equal('2024-01-01T12:30:00.000Z');
      expect(GeneralizedTime.parse('00010101000000Z')!.date.getUTCFullYear()).to.equal(1);
    });

    it('refuses impossible dates and malformed text', () => {
      for (const bad of ['20240230120000Z', '20231301000000Z', '20240101246000Z', '20240101120000+2400', 'x', '20240101120000.Z']) {
        expect(GeneralizedTime.parse(bad), bad).to.equal(undefined);
      }
      expect(GeneralizedTime.parse('2024010112Z')).to.not.equal(undefined);
      expect(GeneralizedTime.parse('20240229120000Z')).to.not.equal(undefined);
    });

    it('writes a Date in UTC, with milliseconds only when there are some', () => {
      expect(GeneralizedTime.fromDate(new Date('2024-05-06T07:08:09Z')).text).to.equal('20240506070809Z');
      expect(GeneralizedTime.fromDate(new Date('2024-05-06T07:08:09.120Z')).text).to.equal('20240506070809.120Z');
    });
  });

  describe('Active Directory values', () => {
    // S-1-5-21-1004336348-1177238915-682003330-512, as AD sends it.
    const sidBytes = Buffer.from('010500000000000515000000dcf4dc3b833d2b46828ba62800020000', 'hex');
    it('reads and writes a SID', () => {
      expect(sidToString(sidBytes)).to.equal('S-1-5-21-1004336348-1177238915-682003330-512');
      expect(sidFromString('S-1-5-21-1004336348-1177238915-682003330-512')).to.deep.equal(sidBytes);
      expect(sidToString(Buffer.from('0105', 'hex'))).to.equal(undefined);
      expect(sidFromString('S-1-x')).to.equal(undefined);
    });

    it('reads and writes a GUID in Windows byte order', () => {
      const bytes = Buffer.from('d3812301 1c3b 4f90 b29a 012381d33b1c'.replace(/ /g, ''), 'hex');
      expect(guidToString(bytes)).to.equal('012381d3-3b1c-904f-b29a-012381d33b1c');
      expect(guidFromString('012381d3-3b1c-904f-b29a-012381d33b1c')).to.deep.equal(bytes);
      expect(guidFromString('{012381D3-3B1C-904F-B29A-012381D33B1C}')).to.deep.equal(bytes);
    });

    it('types objectGUID, objectSid, FILETIMEs and intervals by attribute name, with or without them in the schema', () => {
      const typed = entry({
        objectGUID: [Buffer.from('d38123011c3b4f90b29a012381d33b1c', 'hex')],
        objectSid: [sidBytes],
        pwdLastSet: ['133000000000000000'],
        accountExpires: ['9223372036854775807'],
        lockoutTime: ['0'],
        maxPwdAge: ['-36288000000000'],
        lockoutDuration: ['-9223372036854775808'],
      }).withSchema(fixtureSchema());
      expect(typed.values('objectGUID')).to.deep.equal(['012381d3-3b1c-904f-b29a-012381d33b1c']);
      expect(typed.values('objectSid')).to.deep.equal(['S-1-5-21-1004336348-1177238915-682003330-512']);
      expect((typed.values('pwdLastSet')[0] as Date).toISOString()).to.equal('2022-06-18T04:26:40.000Z');
      expect(typed.values('accountExpires')).to.deep.equal([null]);
      expect(typed.values('lockoutTime')).to.deep.equal([null]);
      expect(typed.values('maxPwdAge')).to.deep.equal([42 * 24 * 3600 * 1000]);
      expect(typed.values('lockoutDuration')).to.deep.equal([Infinity]);
      const typing = new ValueTyping(fixtureSchema());
      expect(typing.encode('pwdLastSet', new Date('2022-06-18T04:26:40.000Z')).toString()).to.equal('133000000000000000');
      expect(typing.encode('objectSid', 'S-1-5-21-1004336348-1177238915-682003330-512')).to.deep.equal(sidBytes);
      expect(typing.encode('maxPwdAge', 42 * 24 * 3600 * 1000).toString()).to.equal('-36288000000000');
      expect(() => typing.encode('objectSid', 'not a sid')).to.throw(AttributeValueError, /objectSid/);
    });
  });

  describe('an entry with a schema', () => {
    const raw = {
      cn: ['Ada', 'Ada Lovelace'],
      uidNumber: ['1000'],
      exampleFlag: ['TRUE'],
      createTimestamp: ['20240506070809.5Z'],
      member: ['uid=a,ou=people,dc=example,dc=com'],
      userPassword: [Buffer.from([0xff, 0x00])],
      description: ['x'],
    };

    it('gives each attribute by its syntax, single-valued ones as one value', () => {
      const typed = entry(raw).withSchema(fixtureSchema());
      expect(typed.value('cn')).to.deep.equal(['Ada', 'Ada Lovelace']);
      expect(typed.value('uidNumber')).to.equal(1000);
      expect(typed.value('exampleFlag')).to.equal(true);
      const time = typed.value('createTimestamp') as GeneralizedTime;
      expect(time).to.be.instanceOf(GeneralizedTime);
      expect(time.date.toISOString()).to.equal('2024-05-06T07:08:09.500Z');
      const member = typed.values('member')[0];
      expect(member).to.be.instanceOf(DN);
      expect(String(member)).to.equal('uid=a,ou=people,dc=example,dc=com');
      expect(typed.value('userPassword')).to.deep.equal([Buffer.from([0xff, 0x00])]);
      expect(typed.value('commonName')).to.deep.equal(['Ada', 'Ada Lovelace']);
      expect(typed.value('employeeNumber')).to.equal(undefined);
      expect(Object.keys(typed.typed())).to.deep.equal(Object.keys(raw));
    });

    it('gives an integer past 2^53 as a bigint, and a value its syntax refuses as text', () => {
      const typed = entry({ uidNumber: ['9007199254740993'], exampleFlag: ['maybe'] }).withSchema(fixtureSchema());
      expect(typed.value('uidNumber')).to.equal(9007199254740993n);
      expect(typed.value('exampleFlag')).to.equal('maybe');
    });

    it('leaves get() and getAll() as they were, and without a schema value() gives text or bytes in arrays', () => {
      const plain = entry(raw);
      expect(plain.value('uidNumber')).to.deep.equal(['1000']);
      expect(plain.value('userPassword')).to.deep.equal([Buffer.from([0xff, 0x00])]);
      expect(plain.withSchema(fixtureSchema()).get('uidNumber')).to.equal('1000');
    });

    it('uses custom formatters first: attribute name, then OID, other names, then syntax (ldap3 order)', () => {
      const tag = (label: string) => ({ decode: (value: Buffer) => `${label}:${value.toString()}` });
      const schema = fixtureSchema();
      const byOrder = (formatters: Record<string, { decode: (v: Buffer) => string }>, name: string): unknown => entry({ [name]: ['v'] }).withSchema(schema, formatters).values(name)[0];
      expect(byOrder({ cn: tag('name'), '2.5.4.3': tag('oid'), commonName: tag('other'), '1.3.6.1.4.1.1466.115.121.1.15': tag('syntax') }, 'cn')).to.equal('name:v');
      expect(byOrder({ '2.5.4.3': tag('oid'), commonName: tag('other'), '1.3.6.1.4.1.1466.115.121.1.15': tag('syntax') }, 'cn')).to.equal('oid:v');
      expect(byOrder({ commonName: tag('other'), '1.3.6.1.4.1.1466.115.121.1.15': tag('syntax') }, 'cn')).to.equal('other:v');
      expect(byOrder({ '1.3.6.1.4.1.1466.115.121.1.15': tag('syntax') }, 'cn')).to.equal('syntax:v');
      // A custom formatter for the syntax comes before the standard one for the name.
      expect(byOrder({ '1.3.6.1.4.1.1466.115.121.1.40': tag('octets') }, 'objectGUID')).to.equal('v');
      expect(byOrder({ '1.3.6.1.4.1.1466.115.121.1.27': tag('integer') }, 'uidNumber')).to.equal('integer:v');
    });

    it('encodes writes by syntax and refuses a value the syntax cannot take', () => {
      const typing = new ValueTyping(fixtureSchema());
      expect(typing.encode('uidNumber', 42).toString()).to.equal('42');
      expect(typing.encode('uidNumber', 2n ** 70n).toString()).to.equal('1180591620717411303424');
      expect(typing.encode('exampleFlag', false).toString()).to.equal('FALSE');
      expect(typing.encode('createTimestamp', new Date('2024-05-06T07:08:09.5Z')).toString()).to.equal('20240506070809.500Z');
      expect(typing.encode('createTimestamp', GeneralizedTime.parse('20240506070809.123456+0100')!).toString()).to.equal('20240506070809.123456+0100');
      expect(typing.encode('member', parseDN('uid=a')).toString()).to.equal('uid=a');
      expect(() => typing.encode('uidNumber', true)).to.throw(AttributeValueError, /uidNumber.*boolean/);
      expect(() => typing.encode('uidNumber', 1.5)).to.throw(AttributeValueError);
      expect(() => typing.encode('exampleFlag', new Date())).to.throw(AttributeValueError);
    });
  });
});
