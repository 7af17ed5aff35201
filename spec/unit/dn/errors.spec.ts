import { expect } from 'chai';
import { parseDN } from '../../../lib/dn';
import { InvalidDNError, LdapSyntaxError, RxLdapError } from '../../../lib/errors';

/** Parses `text` expecting an InvalidDNError at `position` whose reason matches `reason`. */
function expectFailure(text: string, position: number, reason: RegExp): void {
  let caught: unknown;
  try {
    parseDN(text);
  } catch (error) {
    caught = error;
  }
  expect(caught, `parseDN(${JSON.stringify(text)}) should throw`).to.be.instanceOf(InvalidDNError);
  const error = caught as InvalidDNError;
  expect(error.position, `position for ${JSON.stringify(text)} (${error.reason})`).to.equal(position);
  expect(error.reason).to.match(reason);
  expect(error.input).to.equal(text);
}

describe('dn/parseDN errors', () => {
  // [input, 0-based position of the fault, reason]
  const cases: Array<[string, number, RegExp, string]> = [
    // escapes
    ['cn=a\\', 4, /unterminated escape/, 'a backslash at the end (points at the backslash)'],
    ['cn=a\\4', 4, /unterminated hex escape/, 'half a hex pair at the end (points at the backslash)'],
    ['cn=a\\4g,dc=x', 6, /invalid hex digit "g"/, 'a hex pair whose second digit is not hex'],
    ['cn=a\\x', 5, /invalid escape: "x"/, 'a backslash before a character that needs no escape'],
    ['cn=a\\*b', 5, /invalid escape/, 'a filter-style escape is not a DN escape'],
    // UTF-8 from hex pairs
    ['cn=\\C4', 3, /incomplete UTF-8 sequence/, 'a lead byte with no continuation'],
    ['cn=x\\C4y', 4, /incomplete UTF-8 sequence/, 'a lead byte followed by a raw character'],
    ['cn=\\C4\\41', 6, /invalid UTF-8 continuation byte/, 'a lead byte followed by ASCII'],
    ['cn=ok\\8D', 5, /continuation byte without a lead byte/, 'a stray continuation byte'],
    ['cn=\\C0\\80', 3, /never occurs in UTF-8/, 'an overlong encoding of NUL'],
    ['cn=\\ED\\A0\\80', 6, /invalid UTF-8 continuation byte/, 'a UTF-16 surrogate encoded in UTF-8'],
    ['cn=\\F4\\90\\80\\80', 6, /invalid UTF-8 continuation byte/, 'a code point above U+10FFFF'],
    ['cn=\\FF', 3, /never occurs in UTF-8/, 'byte FF'],
    ['cn=\\E2\\82', 3, /incomplete UTF-8 sequence/, 'a three-byte sequence cut short'],
    // attribute types
    ['=x', 0, /missing attribute type/, 'an empty attribute type'],
    ['cn=a,=b', 5, /missing attribute type/, 'an empty attribute type after a comma'],
    ['cn=a+ =b', 6, /missing attribute type/, 'an empty attribute type after a plus'],
    ['cn', 2, /expected '='/, 'a type with no = (points at the end)'],
    ['cn,dc=x', 2, /expected '='/, 'a type followed by a comma'],
    ['c n=x', 2, /expected '='/, 'a space inside the type'],
    ['c_n=x', 1, /invalid character "_" in attribute type/, 'an underscore in a descriptor'],
    ['-cn=x', 0, /attribute type starts with a letter or a digit/, 'a hyphen cannot start a descriptor'],
    ['ü=x', 0, /attribute type starts with a letter or a digit/, 'a non-ASCII letter'],
    ['1=x', 1, /at least two arcs/, 'a numeric OID with a single arc'],
    ['1.=x', 2, /expected a digit after '.'/, 'a numeric OID ending with a dot'],
    ['1..2=x', 2, /expected a digit after '.'/, 'two dots in a row'],
    ['01.2=x', 0, /leading zero/, 'a leading zero in the first arc'],
    ['2.5.04.3=x', 4, /leading zero/, 'a leading zero in a later arc'],
    ['2.5.4.3a=x', 7, /invalid character "a" in numeric OID/, 'letters after a numeric OID'],
    // unescaped specials in values
    ['cn=a"b', 4, /character "\\"" must be escaped/, 'an unescaped double quote'],
    ['cn=a<b', 4, /character "<" must be escaped/, 'an unescaped <'],
    ['cn=a>b', 4, /character ">" must be escaped/, 'an unescaped >'],
    ['cn=a\0b', 4, /NUL must be escaped/, 'a raw NUL'],
    ['cn=a\uD800b', 4, /unpaired UTF-16 surrogate/, 'a lone high surrogate'],
    ['cn=a\uDC00', 4, /unpaired UTF-16 surrogate/, 'a lone low surrogate'],
    ['cn=a+b', 6, /expected '='/, 'an unescaped + makes the rest a new pair, which has no ='],
    // #hex values
    ['cn=#', 3, /no hex digits follow/, 'a # with nothing after it'],
    ['cn=#,dc=x', 3, /no hex digits follow/, 'a # followed by a separator'],
    ['cn=#abc', 6, /odd number of hex digits/, 'an odd number of hex digits (points at the unpaired digit)'],
    ['cn=#abc ,dc=x', 6, /odd number of hex digits/, 'an odd number of hex digits before a separator'],
    ['cn=#foo', 5, /invalid hex digit "o"/, 'an unescaped leading # in text'],
    ['cn=#zz', 4, /invalid hex digit "z"/, 'a # followed by non-hex'],
    ['cn=#0401ff x', 11, /unexpected "x" after #hex value/, 'text after a #hex value'],
    // separators
    ['cn=a,', 4, /trailing RDN separator/, 'a trailing comma'],
    ['cn=a, ', 4, /trailing RDN separator/, 'a trailing comma and space'],
    ['cn=a;', 4, /trailing RDN separator/, 'a trailing semicolon'],
    ['cn=a+', 4, /trailing '\+'/, 'a trailing plus'],
    [',cn=a', 0, /empty RDN/, 'a leading comma'],
    ['cn=a,,dc=b', 5, /empty RDN/, 'two commas in a row'],
    ['cn=a, ,dc=b', 6, /empty RDN/, 'a comma, a space and a comma'],
    ['cn=a++sn=b', 5, /empty RDN/, 'two plus signs in a row'],
  ];

  for (const [text, position, reason, what] of cases) {
    it(`${what}: ${JSON.stringify(text)} at ${position}`, () => expectFailure(text, position, reason));
  }

  it('is an LdapSyntaxError and an RxLdapError whose message names the position', () => {
    try {
      parseDN('cn=a,');
      expect.fail('should throw');
    } catch (error) {
      expect(error).to.be.instanceOf(LdapSyntaxError);
      expect(error).to.be.instanceOf(RxLdapError);
      expect((error as Error).name).to.equal('InvalidDNError');
      expect((error as Error).message).to.contain('position 4');
    }
  });

  it('rejects a non-string with a TypeError', () => {
    expect(() => parseDN(undefined as unknown as string)).to.throw(TypeError);
  });
});
