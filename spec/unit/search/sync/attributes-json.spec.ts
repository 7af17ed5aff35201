/**
 * The JSON text the stores hold for an undecoded entry, written straight from its BER
 * (undecodedAttributesJson): for any entry of the usual shape it must be exactly the text
 * JSON.stringify gives for undecodedEntryAttributes' result (the stores' format does not change,
 * and a record read back is the record written), whatever the values hold: binary attributes,
 * non-ASCII text, invalid UTF-8, quotes, backslashes, control characters, repeated types in
 * another case, empty value sets, names an object could inherit, names that are array indices.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { decodeMessageAt } from '../../../../lib/protocol/decode';
import { encodeMessage } from '../../../../lib/protocol/encode';
import type { PartialAttribute } from '../../../../lib/protocol/types';
import { UndecodedEntry } from '../../../../lib/protocol/undecoded-entry';
import { binaryAttributeSet, DEFAULT_BINARY_ATTRIBUTES, undecodedEntryAttributes } from '../../../../lib/search/sync/attributes';
import { undecodedAttributesJson } from '../../../../lib/search/sync/attributes-json';

export const undecodedEntry = (objectName: string, attributes: PartialAttribute[]): UndecodedEntry => {
  const bytes = encodeMessage({ messageId: 7, protocolOp: { type: 'searchResEntry', objectName, attributes } });
  const op = decodeMessageAt(bytes, 0, bytes.length, undefined, () => true).protocolOp;
  if (!(op instanceof UndecodedEntry)) throw new Error(`expected an undecoded entry, got ${op.type}`);
  return op;
};

const BINARY_SETS: ReadonlyArray<[string, ReadonlySet<string>]> = [
  ['the default binary attributes', binaryAttributeSet(DEFAULT_BINARY_ATTRIBUTES)],
  ['description and CN as binary', binaryAttributeSet(['description', 'CN'])],
  ['no binary attributes', new Set<string>()],
];

export const attributeName = fc.oneof(
  fc.constantFrom(
    'cn', 'CN', 'Cn', 'sn', 'description', 'DESCRIPTION;lang-en', 'description;Binary', 'userCertificate', 'userCertificate;binary',
    'USERCERTIFICATE;BINARY', 'jpegPhoto', 'objectClass', 'objectclass', '2.5.4.3', 'constructor', '__proto__', 'valueOf', 'toString',
    'x-opt;lang-en;binary', '1', '0', '42', '01', '4294967295', 'a"b', 'back\\slash', 'tab\there', 'caf\u00e9',
  ),
  fc.string({ maxLength: 12 }).filter((name) => Buffer.byteLength(name) < 128),
);
const byteValue = fc.uint8Array({ maxLength: 127 }).map((bytes) => Buffer.from(bytes)); // invalid UTF-8, control characters, empty values
const textValue = fc.string({ maxLength: 60 }).map((text) => Buffer.from(text, 'utf8')).filter((value) => value.length < 128);
const unicodeValue = fc.string({ unit: 'grapheme', maxLength: 20 }).map((text) => Buffer.from(text, 'utf8')).filter((value) => value.length < 128);
const special = fc.constantFrom(
  ...['', 'Jos\u00e9', '\u{1F600}', 'a', '"', '\\', '\\"', '\u0000', '\u001f', '\b\f\n\r\t', '\u007f', '\u2028\u2029', 'a"b\\c\nd'].map((text) => Buffer.from(text, 'utf8')),
  Buffer.from([0xff, 0xfe]), Buffer.from([0xe2, 0x82]), Buffer.from([0x61, 0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf0, 0x9f, 0x98]),
  Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x22]), Buffer.from([0x80, 0x5c]),
);
export const attributeList = fc.array(fc.record({ type: attributeName, vals: fc.array(fc.oneof(byteValue, textValue, unicodeValue, special), { maxLength: 4 }) }), { maxLength: 10 });

describe('undecodedAttributesJson (the stores\' JSON text straight from the BER)', () => {
  for (const [name, binary] of BINARY_SETS) {
    it(`is exactly JSON.stringify of undecodedEntryAttributes' result: ${name}`, () => {
      fc.assert(
        fc.property(attributeList, (list) => {
          const entry = undecodedEntry('cn=x', list);
          const expected = JSON.stringify(undecodedEntryAttributes(entry, binary));
          expect(undecodedAttributesJson(entry, binary)).to.equal(expected);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('escapes what JSON.stringify escapes and decodes invalid UTF-8 as U+FFFD', () => {
    const entry = undecodedEntry('cn=x', [
      { type: 'cn', vals: [Buffer.from('a"b\\c\u0001\n'), Buffer.from([0x61, 0xe2, 0x82]), Buffer.from([0xff])] },
      { type: 'sn', vals: [Buffer.from('Jos\u00e9 \u{1F600}')] },
      { type: 'description', vals: [] },
    ]);
    const text = undecodedAttributesJson(entry, new Set());
    expect(text).to.equal('{"cn":["a\\"b\\\\c\\u0001\\n","a\ufffd","\ufffd"],"sn":["Jos\u00e9 \u{1F600}"],"description":[]}');
    expect(JSON.parse(text)).to.deep.equal({ cn: ['a"b\\c\u0001\n', 'a\ufffd', '\ufffd'], sn: ['Jos\u00e9 \u{1F600}'], description: [] });
  });

  it('writes a type repeated in another case under its first spelling, and array-index names first, as JSON.stringify does', () => {
    const entry = undecodedEntry('cn=x', [
      { type: 'cn', vals: [Buffer.from('a')] },
      { type: '7', vals: [Buffer.from('seven')] },
      { type: 'CN', vals: [Buffer.from('b')] },
    ]);
    expect(undecodedAttributesJson(entry, new Set())).to.equal('{"7":["seven"],"cn":["a","b"]}');
  });

  it('writes binary values as base64 and keeps `__proto__` an attribute', () => {
    const entry = undecodedEntry('cn=x', [
      { type: '__proto__', vals: [Buffer.from('p')] },
      { type: 'jpegPhoto', vals: [Buffer.from([0xff, 0x00, 0x22])] },
      { type: 'sn;binary', vals: [Buffer.from('s')] },
    ]);
    const text = undecodedAttributesJson(entry, binaryAttributeSet(DEFAULT_BINARY_ATTRIBUTES));
    expect(text).to.equal('{"__proto__":["p"],"jpegPhoto":["/wAi"],"sn;binary":["cw=="]}');
    expect(Object.keys(JSON.parse(text) as object)).to.deep.equal(['__proto__', 'jpegPhoto', 'sn;binary']);
  });

  it('writes an entry larger than its scratch buffer', () => {
    const vals = Array.from({ length: 2000 }, (_, i) => Buffer.from(`\u0001value ${i}`));
    const entry = undecodedEntry('cn=x', [{ type: 'member', vals }]);
    expect(undecodedAttributesJson(entry, new Set())).to.equal(JSON.stringify(undecodedEntryAttributes(entry, new Set())));
  });
});
