/**
 * Valid LDAPMessages to mutate: one hand-written message of every protocolOp type, a fixed
 * sample of the property-based generators of the unit specs, and every PDU of the captured
 * slapd traffic in spec/fixtures/wire.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeMessage } from '../../lib/protocol';
import type { LdapMessage, ProtocolOp } from '../../lib/protocol';
import { messageArbitrary } from '../../spec/support/arbitraries';
import { repoRoot } from './repo-root';

const b = (text: string): Buffer => Buffer.from(text);
const result = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
const referral = { resultCode: 10, matchedDN: 'dc=example,dc=com', diagnosticMessage: 'elsewhere', referral: ['ldap://other.example.com/dc=example,dc=com'] };

/** Every protocolOp type once, with the optional fields present. */
const EVERY_OP: ProtocolOp[] = [
  { type: 'bindRequest', version: 3, name: 'cn=admin,dc=example,dc=com', authentication: { type: 'simple', simple: b('secret') } },
  { type: 'bindRequest', version: 3, name: '', authentication: { type: 'sasl', mechanism: 'SCRAM-SHA-256', credentials: b('n,,n=user,r=nonce') } },
  { type: 'bindResponse', ...result, serverSaslCreds: b('r=nonce,s=c2FsdA==,i=4096') },
  { type: 'unbindRequest' },
  {
    type: 'searchRequest', baseObject: 'dc=example,dc=com', scope: 'wholeSubtree', derefAliases: 'derefAlways', sizeLimit: 10, timeLimit: 5, typesOnly: false,
    filter: {
      type: 'and',
      filters: [
        { type: 'equalityMatch', attributeDesc: 'objectClass', assertionValue: b('person') },
        { type: 'or', filters: [{ type: 'substrings', attribute: 'cn', initial: b('a'), any: [b('b')], final: b('c') }, { type: 'present', attribute: 'mail' }] },
        { type: 'not', filter: { type: 'approxMatch', attributeDesc: 'sn', assertionValue: b('smith') } },
        { type: 'greaterOrEqual', attributeDesc: 'uidNumber', assertionValue: b('1000') },
        { type: 'lessOrEqual', attributeDesc: 'uidNumber', assertionValue: b('2000') },
        { type: 'extensibleMatch', matchingRule: '2.5.13.2', attribute: 'ou', matchValue: b('People'), dnAttributes: true },
      ],
    },
    attributes: ['cn', 'mail', '+'],
  },
  { type: 'searchResEntry', objectName: 'uid=jdoe,ou=People,dc=example,dc=com', attributes: [{ type: 'cn', vals: [b('John Doe'), b('J. Doe')] }, { type: 'jpegPhoto', vals: [Buffer.alloc(300, 0xab)] }] },
  { type: 'searchResDone', ...referral },
  { type: 'searchResRef', uris: ['ldap://a.example.com/dc=example,dc=com??sub', 'ldap://b.example.com/'] },
  { type: 'modifyRequest', object: 'uid=jdoe,dc=example,dc=com', changes: [{ operation: 'replace', modification: { type: 'mail', vals: [b('j@example.com')] } }, { operation: 'increment', modification: { type: 'uidNumber', vals: [b('1')] } }] },
  { type: 'modifyResponse', ...result },
  { type: 'addRequest', entry: 'cn=new,dc=example,dc=com', attributes: [{ type: 'objectClass', vals: [b('top'), b('person')] }, { type: 'sn', vals: [b('new')] }] },
  { type: 'addResponse', ...result },
  { type: 'delRequest', entry: 'cn=old,dc=example,dc=com' },
  { type: 'delResponse', ...result },
  { type: 'modDNRequest', entry: 'cn=a,dc=example,dc=com', newrdn: 'cn=b', deleteoldrdn: true, newSuperior: 'ou=moved,dc=example,dc=com' },
  { type: 'modDNResponse', ...result },
  { type: 'compareRequest', entry: 'cn=a,dc=example,dc=com', ava: { attributeDesc: 'cn', assertionValue: b('a') } },
  { type: 'compareResponse', ...result, resultCode: 6 },
  { type: 'abandonRequest', idToAbandon: 7 },
  { type: 'extendedReq', requestName: '1.3.6.1.4.1.4203.1.11.1', requestValue: Buffer.from('300b8009636e3d61646d696e', 'hex') },
  { type: 'extendedResp', ...result, responseName: '1.3.6.1.4.1.1466.20037', responseValue: b('x') },
  { type: 'intermediateResponse', responseName: '1.3.6.1.4.1.4203.1.9.1.4', responseValue: Buffer.from('a203010100', 'hex') },
];

const everyOp = (): Buffer[] =>
  EVERY_OP.map((protocolOp, i) => {
    const message: LdapMessage = { messageId: i + 1, protocolOp };
    if (i % 3 === 0) message.controls = [{ type: 'pagedResults', oid: '1.2.840.113556.1.4.319', criticality: true, value: { size: 5, cookie: b('cookie') } }];
    return encodeMessage(message);
  });

/** Splits a captured stream into its PDUs by their outer headers (the captures are valid). */
const splitPdus = (stream: Buffer): Buffer[] => {
  const pdus: Buffer[] = [];
  let pos = 0;
  while (pos + 2 <= stream.length) {
    let length = stream[pos + 1]!;
    let header = 2;
    if (length >= 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + stream[pos + 2 + i]!;
      header += count;
    }
    pdus.push(stream.subarray(pos, pos + header + length));
    pos += header + length;
  }
  return pdus;
};

const capturedPdus = (): Buffer[] => {
  const dir = join(repoRoot(), 'spec', 'fixtures', 'wire');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .flatMap((name) => splitPdus(readFileSync(join(dir, name))));
};

/** Generated messages from a fixed seed, so the corpus is the same on every run. */
const sampled = (count: number): Buffer[] => fc.sample(messageArbitrary, { seed: 4511, numRuns: count }).map(encodeMessage);

let cached: Buffer[] | undefined;

/** All message seeds; built once per process. */
export const messageSeeds = (): Buffer[] => (cached ??= [...everyOp(), ...capturedPdus(), ...sampled(300)]);
