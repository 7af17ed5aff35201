/**
 * The SyncReplConsumer's own sync takes its entries undecoded and builds their SyncAttributes
 * straight from the BER (undecodedEntryAttributes). What must hold: for any entry of the usual
 * shape, exactly what entryAttributes gives for the same entry decoded -- the same names (a
 * repeated type merged under its first spelling, in any case), the same values (UTF-8 text,
 * base64 for binary attributes and ;binary options, empty sets kept), the same key order and
 * the same prototype, so the stores serialise them to the same bytes.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { decodeMessageAt } from '../../../../lib/protocol/decode';
import { encodeMessage } from '../../../../lib/protocol/encode';
import type { PartialAttribute, SearchResultEntry } from '../../../../lib/protocol/types';
import { UndecodedEntry } from '../../../../lib/protocol/undecoded-entry';
import { SearchEntry } from '../../../../lib/search/entry';
import { binaryAttributeSet, DEFAULT_BINARY_ATTRIBUTES, entryAttributes, undecodedEntryAttributes } from '../../../../lib/search/sync/attributes';
import type { SyncAttributes } from '../../../../lib/search/sync';

const pdu = (objectName: string, attributes: PartialAttribute[]): Buffer =>
  encodeMessage({ messageId: 7, protocolOp: { type: 'searchResEntry', objectName, attributes } });

const decode = (bytes: Buffer, undecoded: boolean): SearchResultEntry => {
  const op = decodeMessageAt(bytes, 0, bytes.length, undefined, undecoded ? () => true : undefined).protocolOp;
  if (op.type !== 'searchResEntry') throw new Error(`expected searchResEntry, got ${op.type}`);
  return op;
};

/** Everything a store would see of a result: key order, values, prototype. */
const shape = (attributes: SyncAttributes): { keys: string[]; json: string; proto: unknown } => ({
  keys: Object.keys(attributes),
  json: JSON.stringify(attributes),
  proto: Object.getPrototypeOf(attributes),
});

const BINARY_SETS: ReadonlyArray<[string, ReadonlySet<string>]> = [
  ['the default binary attributes', binaryAttributeSet(DEFAULT_BINARY_ATTRIBUTES)],
  ['description and CN as binary', binaryAttributeSet(['description', 'CN'])],
  ['no binary attributes', new Set<string>()],
];

// Repeated types in different case, ;binary in any case, options, names an object could inherit.
const attributeName = fc.constantFrom(
  'cn', 'CN', 'Cn', 'sn', 'description', 'DESCRIPTION;lang-en', 'description;Binary', 'userCertificate', 'userCertificate;binary',
  'USERCERTIFICATE;BINARY', 'jpegPhoto', 'objectClass', 'objectclass', '2.5.4.3', 'constructor', '__proto__', 'valueOf', 'x-opt;lang-en;binary',
);
const byteValue = fc.uint8Array({ maxLength: 127 }).map((bytes) => Buffer.from(bytes)); // non-UTF-8 bytes, empty values
const textValue = fc.string({ maxLength: 60 }).map((text) => Buffer.from(text, 'utf8')).filter((value) => value.length < 128);
const special = fc.constantFrom(...['', 'Jos\u00e9', '\u{1F600}', 'a'].map((text) => Buffer.from(text, 'utf8')), Buffer.from([0xff, 0xfe]), Buffer.from([0xe2, 0x82]));
const attributes = fc.array(fc.record({ type: attributeName, vals: fc.array(fc.oneof(byteValue, textValue, special), { maxLength: 4 }) }), { maxLength: 10 });
const dn = fc.oneof(fc.constantFrom('', 'uid=user000001,ou=people,dc=example,dc=com'), fc.string({ maxLength: 40 }));

describe('undecodedEntryAttributes (the consumer\'s entries read straight from the BER)', () => {
  for (const [name, binary] of BINARY_SETS) {
    it(`gives exactly entryAttributes' result for the same entry decoded: ${name}`, () => {
      fc.assert(
        fc.property(dn, attributes, (objectName, list) => {
          const bytes = pdu(objectName, list);
          const undecoded = decode(bytes, true);
          expect(undecoded).to.be.instanceOf(UndecodedEntry);
          const decoded = decode(bytes, false);
          const expected = entryAttributes(new SearchEntry(decoded.objectName, decoded.attributes), binary);
          const actual = undecodedEntryAttributes(undecoded as UndecodedEntry, binary);
          expect(shape(actual)).to.deep.equal(shape(expected));
          for (const key of Object.keys(expected)) expect(actual[key]).to.deep.equal(expected[key]);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('merges a repeated type under its first spelling and keeps an empty set, as entryAttributes does', () => {
    const list: PartialAttribute[] = [
      { type: 'cn', vals: [Buffer.from('a')] },
      { type: 'jpegPhoto', vals: [Buffer.from([0xff, 0x00])] },
      { type: 'CN', vals: [Buffer.from('b'), Buffer.from('c')] },
      { type: 'description', vals: [] },
      { type: 'sn;binary', vals: [Buffer.from('s')] },
    ];
    const actual = undecodedEntryAttributes(decode(pdu('cn=x', list), true) as UndecodedEntry, binaryAttributeSet(DEFAULT_BINARY_ATTRIBUTES));
    expect(Object.keys(actual)).to.deep.equal(['cn', 'jpegPhoto', 'description', 'sn;binary']);
    expect(actual.cn).to.deep.equal(['a', 'b', 'c']);
    expect(actual.jpegPhoto).to.deep.equal(['/wA=']);
    expect(actual.description).to.deep.equal([]);
    expect(actual['sn;binary']).to.deep.equal(['cw==']);
  });
});
