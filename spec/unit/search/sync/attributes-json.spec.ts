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
import { binaryAttributeSet, DEFAULT_BINARY_ATTRIBUTES, undecodedEntryAttributes } from '../../../../lib/search/sync/attributes';
import { undecodedAttributesJson } from '../../../../lib/search/sync/attributes-json';
import { attributeList, BINARY_SETS, undecodedEntry } from './undecoded-arbitraries';

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

  it('finds a repeated type when the description cache is emptied between its spellings (10,000 descriptions)', () => {
    const binary = new Set<string>(); // a cache of its own, filled from empty
    for (let i = 0; i < 9_999; i++) {
      const entry = undecodedEntry('cn=x', [{ type: `x-${i}`, vals: [Buffer.from('v')] }]);
      expect(undecodedAttributesJson(entry, binary)).to.equal(`{"x-${i}":["v"]}`);
    }
    // 'cn' is the 10,000th description; 'x-last' empties the cache; 'CN' repeats 'cn'.
    const entry = undecodedEntry('cn=x', [{ type: 'cn', vals: [Buffer.from('a')] }, { type: 'x-last', vals: [] }, { type: 'CN', vals: [Buffer.from('b')] }]);
    expect(undecodedAttributesJson(entry, binary)).to.equal('{"cn":["a","b"],"x-last":[]}');
    expect(undecodedAttributesJson(entry, binary)).to.equal('{"cn":["a","b"],"x-last":[]}');
  });

  it('writes an entry larger than its scratch buffer', () => {
    const vals = Array.from({ length: 2000 }, (_, i) => Buffer.from(`\u0001value ${i}`));
    const entry = undecodedEntry('cn=x', [{ type: 'member', vals }]);
    expect(undecodedAttributesJson(entry, new Set())).to.equal(JSON.stringify(undecodedEntryAttributes(entry, new Set())));
  });
});
