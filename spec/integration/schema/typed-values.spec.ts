import { expect } from 'chai';
import {
  Client,
  ConnectionError,
  DN,
  GeneralizedTime,
  matches,
  parseDN,
  parseFilter,
  SaslError,
  UnavailableCriticalExtensionError,
  UnknownSchemaNameError,
  persistentSearchControl,
  type Schema,
  type SearchEntry,
} from '../../../lib';
import { PEOPLE_DN } from '../../support/data';
import { requireSuccess, startSlapd, type SlapdInstance } from '../../support/slapd';
import { ldifTexts, ldifValues } from './ldif-values';

/**
 * Typed values on a real slapd, both ways: what rxldap writes with numbers, booleans, Dates,
 * DNs, bytes and AD-style SIDs, GUIDs and FILETIMEs is what ldapsearch reads back as text, and
 * what rxldap reads back is typed by the server's own schema. The instance gets a small test
 * schema (over ldapi, as the EXTERNAL root) for the syntaxes core/cosine/inetorgperson/nis give
 * no writable attribute of: Boolean, Generalized Time, and AD's attributes (with AD's OIDs).
 */
const TEST_SCHEMA = `dn: cn=rxtest,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: rxtest
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.1 NAME 'rxTime' EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.24 SINGLE-VALUE )
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.2 NAME 'rxFlag' EQUALITY booleanMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.7 SINGLE-VALUE )
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.3 NAME 'rxCount' EQUALITY integerMatch ORDERING integerOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 )
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.4 NAME 'rxBlob' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 )
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.5 NAME 'rxTimes' EQUALITY generalizedTimeMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.24 )
olcAttributeTypes: ( 1.2.840.113556.1.4.146 NAME 'objectSid' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
olcAttributeTypes: ( 1.2.840.113556.1.4.2 NAME 'objectGUID' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
olcAttributeTypes: ( 1.2.840.113556.1.4.96 NAME 'pwdLastSet' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
olcAttributeTypes: ( 1.2.840.113556.1.4.159 NAME 'accountExpires' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
olcAttributeTypes: ( 1.2.840.113556.1.4.74 NAME 'maxPwdAge' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
olcObjectClasses: ( 1.3.6.1.4.1.99999.2.1 NAME 'rxTestObject' SUP top AUXILIARY MAY ( rxTime $ rxFlag $ rxCount $ rxBlob $ rxTimes $ objectSid $ objectGUID $ pwdLastSet $ accountExpires $ maxPwdAge ) )
`;

const SID = 'S-1-5-21-1004336348-1177238915-682003330-512';
const SID_BYTES = Buffer.from('010500000000000515000000dcf4dc3b833d2b46828ba62800020000', 'hex');
const GUID = '012381d3-3b1c-904f-b29a-012381d33b1c';
const GUID_BYTES = Buffer.from('d38123011c3b4f90b29a012381d33b1c', 'hex');
const DN_TEXT = `cn=typed,${PEOPLE_DN}`;

describe('typed values, check_names and the root DSE against a real slapd', function () {
  this.timeout(120_000);
  let slapd: SlapdInstance;
  let client: Client;
  let schema: Schema;
  const read = async (dn = DN_TEXT): Promise<SearchEntry> => (await client.search(dn, { scope: 'base', attributes: ['*', '+'] }))[0]!;
  const ldapsearch = (dn = DN_TEXT): Promise<string> => slapd.ldapsearch(['-LLL', '-b', dn, '-s', 'base', '*', '+']);

  before(async () => {
    slapd = await startSlapd();
    requireSuccess(await slapd.run('ldapmodify', ['-Q', '-Y', 'EXTERNAL', '-H', slapd.ldapiUrl, '-a'], { input: TEST_SCHEMA }));
    client = new Client({ url: slapd.url, timeout: 30_000, checkNames: true });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    schema = await client.schema();
    client.useSchema(schema);
  });
  after(async () => {
    await client?.unbind();
    await slapd?.stop();
  });

  it('writes numbers, bigints, booleans, Dates, GeneralizedTimes, DNs, bytes and AD values that ldapsearch reads as the right text', async () => {
    await client.add(DN_TEXT, {
      objectClass: ['inetOrgPerson', 'posixAccount', 'rxTestObject'],
      cn: 'typed', sn: 'Values', uid: 'typed',
      uidNumber: 1234, gidNumber: 5678n, homeDirectory: '/home/typed',
      rxTime: new Date('2024-05-06T07:08:09.120Z'),
      rxTimes: [GeneralizedTime.parse('20240506070809.123456789+0230')!, new Date('2001-02-03T04:05:06Z')],
      rxFlag: true,
      rxCount: [7, 2n ** 70n],
      rxBlob: Buffer.from([0x00, 0xff, 0xfe]),
      manager: parseDN(`uid=user0001,${PEOPLE_DN}`),
      objectSid: SID, objectGUID: GUID,
      pwdLastSet: new Date('2022-06-18T04:26:40.000Z'), accountExpires: null, maxPwdAge: 42 * 24 * 3600 * 1000,
    });
    const text = await ldapsearch();
    const values = ldifValues(text);
    const texts = (name: string): string[] => ldifTexts(text, name);
    expect(texts('uidNumber')).to.deep.equal(['1234']);
    expect(texts('gidNumber')).to.deep.equal(['5678']);
    expect(texts('rxTime')).to.deep.equal(['20240506070809.120Z']);
    expect(texts('rxTimes')).to.have.members(['20240506070809.123456789+0230', '20010203040506Z']);
    expect(texts('rxFlag')).to.deep.equal(['TRUE']);
    expect(texts('rxCount')).to.have.members(['7', '1180591620717411303424']);
    expect(values.get('rxblob')).to.deep.equal([Buffer.from([0x00, 0xff, 0xfe])]);
    expect(texts('manager')).to.deep.equal([`uid=user0001,${PEOPLE_DN}`]);
    expect(values.get('objectsid')).to.deep.equal([SID_BYTES]);
    expect(values.get('objectguid')).to.deep.equal([GUID_BYTES]);
    expect(texts('pwdLastSet')).to.deep.equal(['133000000000000000']);
    expect(texts('accountExpires')).to.deep.equal(['0']);
    expect(texts('maxPwdAge')).to.deep.equal(['-36288000000000']);
  });

  it('reads them back typed by the server schema, operational attributes too, single-valued ones as one value', async () => {
    const entry = await read();
    const text = await ldapsearch();
    expect(entry.value('uidNumber')).to.equal(1234);
    expect(entry.value('gidNumber')).to.equal(5678);
    expect((entry.value('rxTime') as GeneralizedTime).date.toISOString()).to.equal('2024-05-06T07:08:09.120Z');
    const precise = entry.values<GeneralizedTime>('rxTimes').find((t) => t.offsetMinutes === 150)!;
    expect([precise.nanoseconds, precise.toISOString()]).to.deep.equal([123_456_789, '2024-05-06T07:08:09.123456789+02:30']);
    expect(entry.value('rxFlag')).to.equal(true);
    expect(entry.value('rxCount')).to.have.deep.members([7, 2n ** 70n]);
    expect(entry.value('rxBlob')).to.deep.equal([Buffer.from([0x00, 0xff, 0xfe])]);
    expect(entry.values('manager')[0]).to.be.instanceOf(DN);
    expect(entry.value('objectSid')).to.equal(SID);
    expect(entry.value('objectGUID')).to.equal(GUID);
    expect((entry.value('pwdLastSet') as Date).toISOString()).to.equal('2022-06-18T04:26:40.000Z');
    expect(entry.value('accountExpires')).to.equal(null);
    expect(entry.value('maxPwdAge')).to.equal(42 * 24 * 3600 * 1000);
    expect(entry.value('cn')).to.deep.equal(['typed']);
    expect(entry.value('homeDirectory')).to.equal('/home/typed');
    // Operational attributes: UUID text, Generalized Time, DN, OID, Boolean, each as ldapsearch prints them.
    expect(entry.value('entryUUID')).to.equal(ldifTexts(text, 'entryUUID')[0]);
    expect(String(entry.value('createTimestamp'))).to.equal(ldifTexts(text, 'createTimestamp')[0]);
    expect(entry.value('createTimestamp')).to.be.instanceOf(GeneralizedTime);
    expect(String(entry.value('creatorsName'))).to.equal(slapd.adminDN);
    expect(entry.value('creatorsName')).to.be.instanceOf(DN);
    expect(entry.value('structuralObjectClass')).to.equal('inetOrgPerson');
    expect(entry.value('hasSubordinates')).to.equal(false);
    expect(String(entry.value('entryDN'))).to.equal(DN_TEXT);
    // get() is as it always was: the first value as UTF-8 text.
    expect(entry.get('uidNumber')).to.equal('1234');
  });

  it('modifies with typed values, and ldapsearch sees the new text', async () => {
    await client.modify(DN_TEXT, [
      { operation: 'replace', attribute: 'rxFlag', values: false },
      { operation: 'replace', attribute: 'rxTime', values: GeneralizedTime.parse('20300101000000.5-0500')! },
      { operation: 'increment', attribute: 'uidNumber', values: 6 },
    ]);
    const text = await ldapsearch();
    expect([ldifTexts(text, 'rxFlag'), ldifTexts(text, 'rxTime'), ldifTexts(text, 'uidNumber')]).to.deep.equal([['FALSE'], ['20300101000000.5-0500'], ['1240']]);
    expect((await read()).value('uidNumber')).to.equal(1240);
  });

  it('check_names: an unknown attribute or class fails before anything is sent, naming it and the nearest known one', async () => {
    const offline = new Client({ url: 'ldap://127.0.0.1:1', schema, checkNames: true, reconnect: false, connectTimeout: 2_000 });
    const failure = async (run: () => PromiseLike<unknown>): Promise<unknown> => {
      try {
        await run();
      } catch (error) {
        return error;
      }
      return expect.fail('no error');
    };
    // Nothing listens on port 1: an UnknownSchemaNameError, not a ConnectionError, shows the request never left.
    const typo = await failure(() => offline.search(PEOPLE_DN, { filter: '(&(objectClass=inetOrgPerson)(mial=a@b))' }));
    expect(typo).to.be.instanceOf(UnknownSchemaNameError);
    expect((typo as UnknownSchemaNameError).suggestion).to.equal('mail');
    const oc = await failure(() => offline.add(`cn=x,${PEOPLE_DN}`, { objectClass: ['inetOrgPersn'], cn: 'x', sn: 'y' }));
    expect([(oc as UnknownSchemaNameError).unknownName, (oc as UnknownSchemaNameError).suggestion]).to.deep.equal(['inetOrgPersn', 'inetOrgPerson']);
    const listed = await failure(() => offline.search(PEOPLE_DN, { attributes: ['cn', 'telephonNumber'] }));
    expect((listed as UnknownSchemaNameError).suggestion).to.equal('telephoneNumber');
    const modified = await failure(() => offline.modify(DN_TEXT, [{ operation: 'replace', attribute: 'descripton', values: 'x' }]));
    expect((modified as UnknownSchemaNameError).suggestion).to.equal('description');
    // Known names pass the check and reach the (absent) server.
    expect(await failure(() => offline.search(PEOPLE_DN, { filter: '(commonName=x)', attributes: ['2.5.4.3'] }))).to.be.instanceOf(ConnectionError);
    await offline.unbind();
    // Without checkNames the same typo goes to the server, which simply matches nothing.
    const unchecked = new Client({ url: slapd.url, schema });
    await unchecked.bind(slapd.adminDN, slapd.adminPassword);
    expect(await unchecked.search(PEOPLE_DN, { filter: '(mial=a@b)' })).to.deep.equal([]);
    await unchecked.unbind();
  });

  it("check_names: a modifyDN's new RDN is checked too, every attribute type of a multi-valued one", async () => {
    const offline = new Client({ url: 'ldap://127.0.0.1:1', schema, checkNames: true, reconnect: false, connectTimeout: 2_000 });
    const failure = async (run: () => PromiseLike<unknown>): Promise<unknown> => {
      try {
        await run();
      } catch (error) {
        return error;
      }
      return expect.fail('no error');
    };
    const renamed = await failure(() => offline.modifyDN(DN_TEXT, 'comonName=renamed'));
    expect(renamed).to.be.instanceOf(UnknownSchemaNameError);
    const { unknownName, kind, where } = renamed as UnknownSchemaNameError;
    expect([unknownName, kind, where]).to.deep.equal(['comonName', 'attribute type', 'new RDN']);
    expect((renamed as UnknownSchemaNameError).suggestion).to.equal('commonName');
    const multi = await failure(() => offline.modifyDN(DN_TEXT, 'cn=renamed+uidd=x', { newSuperior: PEOPLE_DN }));
    expect((multi as UnknownSchemaNameError).unknownName).to.equal('uidd');
    // Known types (by name or OID) pass and reach the (absent) server; so does a new RDN that is no RDN, for the server to refuse.
    expect(await failure(() => offline.modifyDN(DN_TEXT, 'cn=renamed+2.5.4.4=x'))).to.be.instanceOf(ConnectionError);
    expect(await failure(() => offline.modifyDN(DN_TEXT, 'no rdn here'))).to.be.instanceOf(ConnectionError);
    await offline.unbind();
  });

  it("matches() with the server's schema agrees with slapd's own filtering, supertypes and missing ordering rules included", async () => {
    const entries = await client.pagedSearch(PEOPLE_DN, { attributes: ['*'], pageSize: 500 });
    expect(entries.length).to.be.greaterThan(100);
    const filters = ['(name=typed)', '(name=user0042*)', '(|(name=*7)(sn=values))', '(cn>=user05)', '(!(cn<=m))', '(uidNumber>=1000)', '(objectClass=person)', '(name:=typed)'];
    for (const text of filters) {
      const server = (await client.search(PEOPLE_DN, { filter: text, attributes: ['1.1'] })).map((e) => e.dn).sort();
      const local = entries.filter((e) => matches(parseFilter(text), { objectName: e.dn, attributes: e.attributes }, { schema })).map((e) => e.dn).sort();
      expect(local, text).to.deep.equal(server);
    }
    // The supertype filter does find entries (the comparison above is not of two empty lists).
    expect((await client.search(PEOPLE_DN, { filter: '(name=typed)' })).map((e) => e.dn)).to.deep.equal([DN_TEXT]);
  });

  it('a refused critical control is named in the error once the root DSE is known not to list it', async () => {
    const fresh = new Client({ url: slapd.url });
    await fresh.bind(slapd.adminDN, slapd.adminPassword);
    const attempt = (): Promise<unknown> => fresh.search(PEOPLE_DN, { scope: 'base', controls: [persistentSearchControl({}, { critical: true })] }).then(() => undefined, (error: unknown) => error);
    const before = await attempt();
    expect(before).to.be.instanceOf(UnavailableCriticalExtensionError);
    expect((before as Error).message).to.not.include('root DSE');
    const dse = await fresh.rootDSE();
    expect(dse.supportsControl('2.16.840.1.113730.3.4.3')).to.equal(false);
    const after = await attempt();
    expect(after).to.be.instanceOf(UnavailableCriticalExtensionError);
    expect((after as Error).message).to.include("the server's root DSE does not list control 2.16.840.1.113730.3.4.3 in supportedControl");
    await fresh.unbind();
  });

  it('saslBind with a mechanism the root DSE does not offer fails before any credential is sent', async () => {
    const fresh = new Client({ url: slapd.url });
    const dse = await fresh.rootDSE();
    expect(dse.supportsSaslMechanism('PLAIN')).to.equal(false);
    expect(dse.pickSaslMechanism(['PLAIN', 'SCRAM-SHA-256', 'DIGEST-MD5'])).to.equal('SCRAM-SHA-256');
    const error = await fresh.saslBind('PLAIN', { username: 'u', password: 'p' }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(SaslError);
    expect((error as Error).message).to.match(/does not offer it.*SCRAM-SHA-256/);
    expect((error as Error).message).to.not.include('"p"');
    // The root DSE search went out; no bind request did.
    expect(fresh.metrics.messagesSent).to.equal(1);
    await fresh.unbind();
  });
});
