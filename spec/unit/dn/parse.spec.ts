import { expect } from 'chai';
import { DN, isValidDN, parseDN } from '../../../lib/dn';

/** The values of a parsed DN as plain data, RDN by RDN, for deep equality. */
const pairs = (text: string): Array<Array<[string, string | Buffer]>> =>
  parseDN(text).rdns.map((rdn) => rdn.map((atav): [string, string | Buffer] => [atav.type, atav.value]));

describe('dn/parseDN', () => {
  describe('RFC 4514 §4 examples', () => {
    it('UID=jsmith,DC=example,DC=net', () => {
      const text = 'UID=jsmith,DC=example,DC=net';
      expect(pairs(text)).to.deep.equal([[['UID', 'jsmith']], [['DC', 'example']], [['DC', 'net']]]);
      expect(parseDN(text).toString()).to.equal(text);
    });

    it('OU=Sales+CN=J.  Smith,DC=example,DC=net (multi-valued RDN, inner spaces kept)', () => {
      const text = 'OU=Sales+CN=J.  Smith,DC=example,DC=net';
      expect(pairs(text)).to.deep.equal([[['OU', 'Sales'], ['CN', 'J.  Smith']], [['DC', 'example']], [['DC', 'net']]]);
      expect(parseDN(text).toString()).to.equal(text);
    });

    it('CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net (escaped quotes and comma)', () => {
      const text = 'CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net';
      expect(pairs(text)[0]).to.deep.equal([['CN', 'James "Jim" Smith, III']]);
      expect(parseDN(text).toString()).to.equal(text);
    });

    it('CN=Before\\0dAfter,DC=example,DC=net (hex-escaped carriage return)', () => {
      const d = parseDN('CN=Before\\0dAfter,DC=example,DC=net');
      expect(d.rdns[0]![0]!.value).to.equal('Before\rAfter');
      // RFC 4514 §2.4 does not require CR to be escaped, so the canonical form carries it raw.
      expect(d.toString()).to.equal('CN=Before\rAfter,DC=example,DC=net');
    });

    it('1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com (BER value kept as bytes)', () => {
      const d = parseDN('1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com');
      const value = d.rdns[0]![0]!.value;
      expect(Buffer.isBuffer(value)).to.equal(true);
      expect(value).to.deep.equal(Buffer.from([0x04, 0x02, 0x48, 0x69]));
      expect(d.rdns[0]![0]!.type).to.equal('1.3.6.1.4.1.1466.0');
      expect(d.toString()).to.equal('1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com');
    });

    it('CN=Lu\\C4\\8Di\\C4\\87 (hex pairs forming multi-byte UTF-8)', () => {
      const d = parseDN('CN=Lu\\C4\\8Di\\C4\\87');
      expect(d.rdns[0]![0]!.value).to.equal('Lučić');
      expect(d.toString()).to.equal('CN=Lučić');
    });
  });

  describe('values', () => {
    it('accepts every RFC 4514 special character escaped with a backslash', () => {
      expect(pairs('cn=\\,\\+\\"\\\\\\<\\>\\;\\=\\#\\ ')).to.deep.equal([[['cn', ',+"\\<>;=# ']]]);
    });

    it('keeps escaped leading and trailing spaces and drops unescaped ones', () => {
      expect(pairs('cn=\\ foo\\ ')).to.deep.equal([[['cn', ' foo ']]]);
      expect(pairs('cn=  \\  foo \\  ')).to.deep.equal([[['cn', '  foo  ']]]);
      expect(pairs('cn=\\20x\\20')).to.deep.equal([[['cn', ' x ']]]);
    });

    it('accepts hex pairs in either case, including \\00 for NUL', () => {
      expect(pairs('cn=\\4a\\4B\\00')).to.deep.equal([[['cn', 'JK\0']]]);
    });

    it('accepts 4-byte UTF-8 from hex pairs and raw non-ASCII characters', () => {
      expect(pairs('cn=\\F0\\9F\\98\\80 😀 Ünïcødé')).to.deep.equal([[['cn', '😀 😀 Ünïcødé']]]);
    });

    it('allows unescaped = and non-leading # inside a value', () => {
      expect(pairs('cn=a=b#c')).to.deep.equal([[['cn', 'a=b#c']]]);
    });

    it('allows an empty value', () => {
      expect(pairs('cn=,dc=x')).to.deep.equal([[['cn', '']], [['dc', 'x']]]);
      expect(pairs('cn=')).to.deep.equal([[['cn', '']]]);
    });

    it('allows raw control characters other than NUL (tabs are not whitespace here)', () => {
      expect(pairs('cn=\ta\t')).to.deep.equal([[['cn', '\ta\t']]]);
    });

    it('decodes #hex in either case and re-serialises it as lowercase', () => {
      const d = parseDN('cn=#0C03466F6F');
      expect(d.rdns[0]![0]!.value).to.deep.equal(Buffer.from('0c03466f6f', 'hex'));
      expect(d.toString()).to.equal('cn=#0c03466f6f');
    });
  });

  describe('attribute types', () => {
    it('keeps descriptors as written (any case, digits, hyphens)', () => {
      expect(pairs('cN=a,x-Attr2=b')).to.deep.equal([[['cN', 'a']], [['x-Attr2', 'b']]]);
    });

    it('accepts numeric OIDs, including 0 arcs', () => {
      expect(pairs('2.5.4.3=a,0.9.2342.19200300.100.1.25=b,1.0=c')).to.deep.equal([
        [['2.5.4.3', 'a']],
        [['0.9.2342.19200300.100.1.25', 'b']],
        [['1.0', 'c']],
      ]);
    });
  });

  describe('tolerated input', () => {
    it('the empty DN (root DSE) is valid and has no RDNs', () => {
      const d = parseDN('');
      expect(d.length).to.equal(0);
      expect(d.rdns).to.deep.equal([]);
      expect(d.toString()).to.equal('');
      expect(parseDN('   ').length).to.equal(0);
    });

    it('spaces around , + = and at both ends', () => {
      expect(parseDN('  cn = J. Smith  +  sn = Smith ,  dc = example ; dc=net  ').toString()).to.equal(
        'cn=J. Smith+sn=Smith,dc=example,dc=net',
      );
      expect(parseDN('cn=#0401ff , dc=x').toString()).to.equal('cn=#0401ff,dc=x');
    });

    it('; as an RDN separator (RFC 2253), serialised as ,', () => {
      expect(parseDN('cn=a;ou=b;dc=c').toString()).to.equal('cn=a,ou=b,dc=c');
    });
  });

  describe('round trips', () => {
    const cases = [
      'UID=jsmith,DC=example,DC=net',
      'OU=Sales+CN=J.  Smith,DC=example,DC=net',
      'CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net',
      'CN=Before\\0dAfter,DC=example,DC=net',
      '1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com',
      'CN=Lu\\C4\\8Di\\C4\\87',
      'cn=\\#hash\\ ,ou=\\ lead,o=trail\\ ',
      'cn=a\\00b\\<\\>\\;\\\\',
      'cn=\\ ',
      'cn=',
      '',
      ' cn = x ; dc = y ',
    ];
    for (const text of cases) {
      it(`parse → toString → parse is stable for ${JSON.stringify(text)}`, () => {
        const once = parseDN(text);
        const canonical = once.toString();
        const twice = parseDN(canonical);
        expect(twice.rdns).to.deep.equal(once.rdns);
        expect(twice.toString()).to.equal(canonical);
      });
    }
  });

  it('DN.parse is parseDN', () => {
    expect(DN.parse('cn=x').toString()).to.equal('cn=x');
  });

  it('isValidDN says whether parseDN would accept the text', () => {
    expect(isValidDN('cn=x,dc=y')).to.equal(true);
    expect(isValidDN('')).to.equal(true);
    expect(isValidDN('cn=x,')).to.equal(false);
    expect(isValidDN('cn')).to.equal(false);
    expect(isValidDN(42 as unknown as string)).to.equal(false);
  });
});
