import { expect } from 'chai';
import fc from 'fast-check';
import { escapeDNValue, parseDN } from '../../../lib/dn';
import { InvalidDNError } from '../../../lib/errors';

describe('dn/escapeDNValue', () => {
  it('escapes " + , ; < > \\ anywhere', () => {
    expect(escapeDNValue('a"b+c,d;e<f>g\\h')).to.equal('a\\"b\\+c\\,d\\;e\\<f\\>g\\\\h');
  });

  it('writes NUL as \\00', () => {
    expect(escapeDNValue('a\0b')).to.equal('a\\00b');
  });

  it('escapes # and space only at the start, space at the end', () => {
    expect(escapeDNValue('#a#')).to.equal('\\#a#');
    expect(escapeDNValue(' a b ')).to.equal('\\ a b\\ ');
    expect(escapeDNValue('  ')).to.equal('\\ \\ ');
    expect(escapeDNValue(' ')).to.equal('\\ ');
    expect(escapeDNValue('a\\ ')).to.equal('a\\\\\\ ');
  });

  it('leaves = , non-ASCII, controls other than NUL, and inner spaces raw', () => {
    expect(escapeDNValue('a=b  Lučić 😀\t\r')).to.equal('a=b  Lučić 😀\t\r');
    expect(escapeDNValue('')).to.equal('');
  });

  it('writes a Buffer as # and lowercase hex', () => {
    expect(escapeDNValue(Buffer.from([0x04, 0x02, 0x48, 0xab]))).to.equal('#040248ab');
  });

  it('rejects an empty Buffer, which #hex cannot express', () => {
    expect(() => escapeDNValue(Buffer.alloc(0))).to.throw(InvalidDNError, /at least one byte/);
  });

  it('rejects an unpaired surrogate, which UTF-8 cannot express', () => {
    expect(() => escapeDNValue('ab\uD800')).to.throw(InvalidDNError).with.property('position', 2);
  });

  describe('property: escaped values parse back unchanged', () => {
    // Descriptors and numeric OIDs, the two forms RFC 4512 allows for an attribute type.
    const descriptor = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/);
    const arc = fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 99999 }).map(String));
    const oid = fc.array(arc, { minLength: 2, maxLength: 6 }).map((arcs) => arcs.join('.'));
    // Arbitrary Unicode, plus strings dense in the characters that need escaping.
    const special = fc.constantFrom(' ', '#', ',', '+', '"', '\\', '<', '>', ';', '=', '\0', '\t', 'a', 'é', '😀');
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: special }));
    const pair = fc.tuple(fc.oneof(descriptor, oid), fc.oneof(value, fc.uint8Array({ minLength: 1 }).map((b) => Buffer.from(b))));

    it('one pair per RDN', () => {
      fc.assert(
        fc.property(fc.array(pair, { maxLength: 6 }), (pairs) => {
          const text = pairs.map(([type, v]) => `${type}=${escapeDNValue(v)}`).join(',');
          const parsed = parseDN(text);
          expect(parsed.rdns.map((rdn) => rdn.map((a) => [a.type, a.value]))).to.deep.equal(pairs.map((p) => [p]));
          expect(parsed.toString()).to.equal(text);
        }),
        { numRuns: 500 },
      );
    });

    it('multi-valued RDNs, with spaces around the separators', () => {
      fc.assert(
        fc.property(fc.array(fc.array(pair, { minLength: 1, maxLength: 3 }), { maxLength: 4 }), (rdns) => {
          const text = rdns.map((rdn) => rdn.map(([type, v]) => ` ${type} = ${escapeDNValue(v)} `).join('+')).join(';');
          const parsed = parseDN(text);
          expect(parsed.rdns.map((rdn) => rdn.map((a) => [a.type, a.value]))).to.deep.equal(rdns);
        }),
        { numRuns: 300 },
      );
    });
  });
});
