import { expect } from 'chai';
import fc from 'fast-check';
import { decodeMessage, encodeMessage } from '../../../lib/protocol';
import type { LdapMessage, ProtocolOp } from '../../../lib/protocol';
import { ProtocolError } from '../../../lib/errors';
import { messageArbitrary } from '../../support/arbitraries';
import { loadWireFixtures } from '../../support/fixtures';
import { BerReader } from '../../../lib/ber';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const roundTrip = (message: LdapMessage): LdapMessage => decodeMessage(encodeMessage(message));
const b = (s: string): Buffer => Buffer.from(s);
const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };

/** One realistic example of each of the 21 protocolOps. */
const examples: ProtocolOp[] = [
  { type: 'bindRequest', version: 3, name: 'cn=admin,dc=example,dc=com', authentication: { type: 'simple', simple: b('secret') } },
  { type: 'bindRequest', version: 3, name: '', authentication: { type: 'sasl', mechanism: 'SCRAM-SHA-256', credentials: b('n,,n=user,r=abc') } },
  { type: 'bindRequest', version: 3, name: '', authentication: { type: 'sasl', mechanism: 'EXTERNAL' } },
  { type: 'bindResponse', ...ok, resultCode: 14, serverSaslCreds: b('r=abcdef,s=c2FsdA==,i=4096') },
  { type: 'unbindRequest' },
  {
    type: 'searchRequest', baseObject: 'dc=example,dc=com', scope: 'wholeSubtree', derefAliases: 'derefAlways', sizeLimit: 500, timeLimit: 30, typesOnly: false,
    filter: { type: 'and', filters: [{ type: 'equalityMatch', attributeDesc: 'objectClass', assertionValue: b('person') }, { type: 'substrings', attribute: 'cn', initial: b('J'), any: [b('o')], final: b('n') }] },
    attributes: ['cn', 'mail', '+'],
  },
  { type: 'searchResEntry', objectName: 'uid=jdoe,ou=people,dc=example,dc=com', attributes: [{ type: 'cn', vals: [b('John Doe')] }, { type: 'jpegPhoto', vals: [Buffer.from([0xff, 0xd8, 0x00])] }, { type: 'empty', vals: [] }] },
  { type: 'searchResDone', ...ok },
  { type: 'searchResRef', uris: ['ldap://other.example.com/ou=remote,dc=example,dc=com??sub'] },
  { type: 'modifyRequest', object: 'uid=jdoe,dc=example,dc=com', changes: [{ operation: 'replace', modification: { type: 'mail', vals: [b('j@example.com')] } }, { operation: 'increment', modification: { type: 'uidNumber', vals: [b('1')] } }] },
  { type: 'modifyResponse', resultCode: 20, matchedDN: '', diagnosticMessage: 'modify/add: mail: value #0 already exists' },
  { type: 'addRequest', entry: 'cn=new,dc=example,dc=com', attributes: [{ type: 'objectClass', vals: [b('top'), b('person')] }, { type: 'sn', vals: [b('New')] }] },
  { type: 'addResponse', resultCode: 68, matchedDN: '', diagnosticMessage: '' },
  { type: 'delRequest', entry: 'cn=gone,dc=example,dc=com' },
  { type: 'delResponse', resultCode: 32, matchedDN: 'dc=example,dc=com', diagnosticMessage: '' },
  { type: 'modDNRequest', entry: 'cn=a,dc=example,dc=com', newrdn: 'cn=b', deleteoldrdn: true, newSuperior: 'ou=moved,dc=example,dc=com' },
  { type: 'modDNRequest', entry: 'cn=a,dc=example,dc=com', newrdn: 'cn=b', deleteoldrdn: false },
  { type: 'modDNResponse', ...ok },
  { type: 'compareRequest', entry: 'cn=a,dc=example,dc=com', ava: { attributeDesc: 'sn', assertionValue: b('Doe') } },
  { type: 'compareResponse', resultCode: 6, matchedDN: '', diagnosticMessage: '' },
  { type: 'abandonRequest', idToAbandon: 2147483647 },
  { type: 'extendedReq', requestName: '1.3.6.1.4.1.4203.1.11.3' },
  { type: 'extendedReq', requestName: '1.3.6.1.1.8', requestValue: hex('3003020105') },
  { type: 'extendedResp', ...ok, responseValue: b('dn:cn=admin,dc=example,dc=com') },
  { type: 'extendedResp', resultCode: 52, matchedDN: '', diagnosticMessage: 'shutting down', responseName: '1.3.6.1.4.1.1466.20036' },
  { type: 'searchResDone', resultCode: 10, matchedDN: '', diagnosticMessage: '', referral: ['ldap://a.example.com/', 'ldap://b.example.com/'] },
  { type: 'intermediateResponse', responseName: '1.3.6.1.4.1.4203.1.9.1.4', responseValue: hex('a003040161') },
  { type: 'intermediateResponse' },
];

describe('LDAPMessage codec', () => {
  it('covers all 21 protocolOps in its examples', () => {
    expect(new Set(examples.map((op) => op.type)).size).to.equal(21);
  });

  for (const [index, protocolOp] of examples.entries()) {
    it(`round-trips example ${index}: ${protocolOp.type}`, () => {
      const message: LdapMessage = { messageId: index + 1, protocolOp };
      expect(roundTrip(message)).to.deep.equal(message);
    });
  }

  it('round-trips controls on requests and responses', () => {
    const message: LdapMessage = {
      messageId: 9,
      protocolOp: { type: 'delRequest', entry: 'cn=x' },
      controls: [
        { type: 'raw', oid: '9.9.9', criticality: true, value: b('opaque') },
        { type: 'raw', oid: '9.9.8', criticality: false },
        { type: 'pagedResults', oid: '1.2.840.113556.1.4.319', criticality: false, value: { size: 10, cookie: b('c') } },
      ],
    };
    expect(roundTrip(message)).to.deep.equal(message);
  });

  describe('byte-exact encodings (written out by hand from RFC 4511 Appendix B)', () => {
    const vectors: Array<[string, LdapMessage, string]> = [
      ['unbind', { messageId: 3, protocolOp: { type: 'unbindRequest' } }, '30 05 020103 4200'],
      ['abandon', { messageId: 6, protocolOp: { type: 'abandonRequest', idToAbandon: 5 } }, '30 06 020106 500105'],
      ['delete', { messageId: 2, protocolOp: { type: 'delRequest', entry: 'dc=x' } }, '30 09 020102 4a04 64633d78'],
      ['anonymous bind', { messageId: 1, protocolOp: { type: 'bindRequest', version: 3, name: '', authentication: { type: 'simple', simple: Buffer.alloc(0) } } }, '30 0c 020101 60 07 020103 0400 8000'],
      ['bind success', { messageId: 1, protocolOp: { type: 'bindResponse', ...ok } }, '30 0c 020101 61 07 0a0100 0400 0400'],
      ['whoami', { messageId: 4, protocolOp: { type: 'extendedReq', requestName: '1.3.6.1.4.1.4203.1.11.3' } }, '30 1e 020104 77 19 8017 312e332e362e312e342e312e343230332e312e31312e33'],
      [
        'base search with present filter and a critical control',
        { messageId: 2, protocolOp: { type: 'searchRequest', baseObject: '', scope: 'baseObject', derefAliases: 'neverDerefAliases', sizeLimit: 0, timeLimit: 0, typesOnly: false, filter: { type: 'present', attribute: 'objectClass' }, attributes: ['+'] }, controls: [{ type: 'raw', oid: '1.2.3', criticality: true }] },
        '30 36 020102 63 23 0400 0a0100 0a0100 020100 020100 010100 870b 6f626a656374436c617373 3003 04012b a0 0c 300a 0405 312e322e33 0101ff',
      ],
    ];
    for (const [name, message, expected] of vectors) {
      it(name, () => {
        expect(encodeMessage(message).toString('hex')).to.equal(hex(expected).toString('hex'));
        expect(decodeMessage(hex(expected))).to.deep.equal(message);
      });
    }
  });

  describe('rejects malformed messages with a ProtocolError naming the problem', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['an unknown protocolOp', '30 05 020101 5f00', /multi-octet tag|unknown protocolOp tag 0x5f/],
      ['an unknown application tag', '30 05 020101 7a00', /unknown protocolOp tag 0x7a/],
      ['a messageID out of range', '30 09 0205 0080000000 4200', /INTEGER 2147483648 out of range/],
      ['a negative messageID', '30 05 0201ff 4200', /INTEGER -1 out of range/],
      ['a bad search scope', '30 1b 020102 63 16 0400 0a0107 0a0100 020100 020100 010100 8701 61 3000', /unknown search scope 7/],
      ['a bind version of 0', '30 0c 020101 60 07 020100 0400 8000', /INTEGER 0 out of range \[1, 127\]/],
      ['trailing bytes inside the op', '30 08 020101 4203 000000', /NULL must have no content/],
      ['trailing bytes after the message', '30 05 020103 4200 00', /unexpected octets after the end/],
      ['a missing protocolOp', '30 03 020101', /protocolOp expected/],
      ['garbage where controls should be', '30 07 020103 4200 0400', /expected tag 0xa0/],
      ['a constructed string in an entry', '30 0d 020102 64 08 2406 0404 64633d78 3000', /constructed encoding of a string/],
      ['a truncated entry', '30 0b 020102 64 06 0404 64633d78', /expected tag 0x30 but the data ended|runs past/],
      ['a bad modify operation', '30 16 020102 66 11 0400 300d 300b 0a0109 3006 0401 61 3101 00', /unknown modify operation 9|runs past/],
    ];
    for (const [name, input, reason] of cases) {
      it(name, () => {
        expect(() => decodeMessage(hex(input))).to.throw(ProtocolError, reason);
      });
    }
  });

  it('round-trips random valid messages (property)', () => {
    fc.assert(
      fc.property(messageArbitrary, (message) => {
        expect(roundTrip(message)).to.deep.equal(message);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but ProtocolError on random bytes (property)', () => {
    const randomInput = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      // valid messages with a few bytes flipped or cut reach far deeper into the decoder
      fc.tuple(messageArbitrary, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat()).map(([message, flips, cut]) => {
        const bytes = Buffer.from(encodeMessage(message));
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        return cut % 3 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
      }),
    );
    fc.assert(
      fc.property(randomInput, (input) => {
        try {
          decodeMessage(input);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws anything but ProtocolError on mutated real PDUs, whose controls reach every codec (property)', () => {
    const pdus: Buffer[] = [];
    for (const fixture of loadWireFixtures()) {
      const reader = new BerReader(fixture.bytes);
      while (!reader.atEnd) pdus.push(reader.readRaw()); // the PDUs exactly as slapd and the tools framed them
    }
    const realPdus = pdus;
    expect(realPdus.length).to.be.greaterThan(100);
    for (const pdu of realPdus) decodeMessage(pdu); // unmutated, they all decode
    const mutated = fc
      .tuple(fc.constantFrom(...realPdus), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }))
      .map(([pdu, flips]) => {
        const bytes = Buffer.from(pdu);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        return bytes;
      });
    fc.assert(
      fc.property(mutated, (input) => {
        try {
          decodeMessage(input);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
        }
      }),
      { numRuns: 20000 },
    );
  });
});
