import { expect } from 'chai';
import fc from 'fast-check';
import { DN, escapeDNValue, normalizeType, normalizeValue, parseDN } from '../../../lib/dn';

describe('dn/normalize and equals', () => {
  describe('attribute types', () => {
    it('lower-cases descriptors and maps well-known OIDs and synonyms to short names', () => {
      const cases: Array<[string, string]> = [
        ['CN', 'cn'],
        ['2.5.4.3', 'cn'],
        ['commonName', 'cn'],
        ['0.9.2342.19200300.100.1.1', 'uid'],
        ['userid', 'uid'],
        ['0.9.2342.19200300.100.1.25', 'dc'],
        ['domainComponent', 'dc'],
        ['2.5.4.11', 'ou'],
        ['2.5.4.10', 'o'],
        ['2.5.4.6', 'c'],
        ['2.5.4.7', 'l'],
        ['2.5.4.8', 'st'],
        ['GivenName', 'givenname'],
        ['X-Custom', 'x-custom'],
        ['1.2.3.4', '1.2.3.4'],
      ];
      for (const [type, normal] of cases) expect(normalizeType(type), type).to.equal(normal);
    });

    it('equates the OID and name forms of a DN', () => {
      expect(parseDN('2.5.4.3=John,0.9.2342.19200300.100.1.25=example').equals('CN=John,DC=example')).to.equal(true);
    });
  });

  describe('values', () => {
    it('caseIgnore: case, leading/trailing spaces and inner runs of spaces do not matter', () => {
      expect(parseDN('CN=J.  SMITH,DC=Example').equals('cn=j. smith,dc=example')).to.equal(true);
      expect(parseDN('cn=\\ \\ John\\  Smith\\ ').equals('cn=john smith')).to.equal(true);
      expect(parseDN('ou=Sales').equals('ou=Sale s')).to.equal(false);
    });

    it('caseIgnore: RFC 4518 mapping (NBSP and tab are spaces, soft hyphen vanishes), NFKC and full case folding', () => {
      expect(normalizeValue('cn', 'A\u00A0\tB')).to.equal('a b');
      expect(normalizeValue('cn', 'co\u00ADop')).to.equal('coop');
      expect(normalizeValue('cn', 'ﬁle')).to.equal('file');
      expect(normalizeValue('cn', 'STRASSE')).to.equal(normalizeValue('cn', 'Straße'));
      expect(normalizeValue('cn', 'e\u0301')).to.equal('é');
      expect(normalizeValue('cn', 'ΣΑΣ')).to.equal(normalizeValue('cn', 'σας'));
    });

    it('telephoneNumber ignores spaces and hyphens', () => {
      expect(parseDN('telephoneNumber=\\+1 555-123 4567').equals('2.5.4.20=\\+15551234567')).to.equal(true);
      expect(normalizeValue('telephoneNumber', '+1 555‐1234')).to.equal('+15551234');
    });

    it('numericString ignores spaces', () => {
      expect(normalizeValue('x121Address', ' 12 34 ')).to.equal('1234');
      // numericString does not fold case, even for what NFKC turns into ASCII (U+3392 → "MHz").
      expect(normalizeValue('x121Address', '\u3392')).to.equal('MHz');
      // Removing spaces can let NFKC compose again (U+00A8 is a space and U+0308): A + ̈ → Ä.
      expect(normalizeValue('x121Address', 'A\u00A8')).to.equal('\u00C4');
    });

    it('unknown types compare case-insensitively but keep spaces significant', () => {
      expect(parseDN('x-foo=Hello World').equals('X-FOO=hello world')).to.equal(true);
      expect(parseDN('x-foo=Hello  World').equals('x-foo=hello world')).to.equal(false);
    });

    it('BER string values of known types equal their text; other #hex values compare as bytes', () => {
      expect(parseDN('cn=#0c03466f6f').equals('cn=foo')).to.equal(true); // UTF8String "Foo"
      expect(parseDN('cn=#13034a6f65').equals('CN=joe')).to.equal(true); // PrintableString "Joe"
      expect(parseDN('cn=#1e0400660066').equals('cn=ff')).to.equal(true); // BMPString "ff"
      expect(parseDN('cn=#04024869').equals('cn=Hi')).to.equal(false); // OCTET STRING is not a string syntax
      expect(parseDN('1.2.3=#04024869').equals('1.2.3=#04024869')).to.equal(true);
      expect(parseDN('1.2.3=#04024869').equals('1.2.3=#04024868')).to.equal(false);
    });
  });

  describe('multi-valued RDNs', () => {
    it('compare as sets and sort in the normalised form', () => {
      const a = parseDN('OU=Sales+CN=J.  Smith,DC=example,DC=net');
      expect(a.equals('cn=j. smith+ou=sales,dc=example,dc=net')).to.equal(true);
      expect(a.toNormalizedString()).to.equal('cn=j. smith+ou=sales,dc=example,dc=net');
      expect(a.equals('ou=sales,dc=example,dc=net')).to.equal(false);
    });
  });

  describe('the normalised DN', () => {
    it('is a DN whose text is the normalised string', () => {
      const d = parseDN('UID=JSmith , DC=Example;DC=NET');
      expect(d.normalize()).to.be.instanceOf(DN);
      expect(d.toNormalizedString()).to.equal('uid=jsmith,dc=example,dc=net');
      // The original keeps its spelling.
      expect(d.toString()).to.equal('UID=JSmith,DC=Example,DC=NET');
    });

    it('escapes values that need it after normalisation', () => {
      expect(parseDN('CN=Smith\\, John').toNormalizedString()).to.equal('cn=smith\\, john');
    });

    it('is idempotent (property)', () => {
      const type = fc.constantFrom('cn', 'CN', '2.5.4.20', 'x121Address', 'x-other', '1.2.3');
      const value = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(' ', '-', 'A', 'ß', '\u3392', '\u00A0', 'ς') }));
      fc.assert(
        fc.property(fc.array(fc.tuple(type, value), { minLength: 1, maxLength: 4 }), (pairs) => {
          const d = parseDN(pairs.map(([t, v]) => `${t}=${escapeDNValue(v)}`).join(','));
          const once = d.toNormalizedString();
          expect(parseDN(once).toNormalizedString()).to.equal(once);
          expect(d.equals(once)).to.equal(true);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('equals', () => {
    it('accepts a DN or a string, and DNs of different lengths differ', () => {
      const d = parseDN('cn=a,dc=b');
      expect(d.equals(parseDN('CN=A,DC=B'))).to.equal(true);
      expect(d.equals('cn=a')).to.equal(false);
      expect(new DN().equals('')).to.equal(true);
    });

    it('throws InvalidDNError for malformed text rather than answering false', () => {
      expect(() => parseDN('cn=a').equals('cn=a,')).to.throw(/position 4/);
    });
  });
});
