import { expect } from 'chai';
import { InvalidFilterError } from '../../../lib/errors';
import { DEFAULT_MAX_FILTER_DEPTH, parseFilter } from '../../../lib/filter';
import type { Filter } from '../../../lib/protocol/filter-types';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

const expectError = (text: string, position: number, reason: RegExp): void => {
  let caught: unknown;
  try {
    parseFilter(text);
  } catch (error) {
    caught = error;
  }
  expect(caught, `parseFilter(${JSON.stringify(text)}) should throw`).to.be.instanceOf(InvalidFilterError);
  const error = caught as InvalidFilterError;
  expect(error.position, `position for ${JSON.stringify(text)} (${error.reason})`).to.equal(position);
  expect(error.reason).to.match(reason);
  expect(error.input).to.equal(text);
};

describe('parseFilter', () => {
  describe('RFC 4515 §4 examples', () => {
    const examples: Array<[string, Filter]> = [
      ['(cn=Babs Jensen)', { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('Babs Jensen') }],
      ['(!(cn=Tim Howes))', { type: 'not', filter: { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('Tim Howes') } }],
      [
        '(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))',
        {
          type: 'and',
          filters: [
            { type: 'equalityMatch', attributeDesc: 'objectClass', assertionValue: b('Person') },
            {
              type: 'or',
              filters: [
                { type: 'equalityMatch', attributeDesc: 'sn', assertionValue: b('Jensen') },
                { type: 'substrings', attribute: 'cn', initial: b('Babs J'), any: [] },
              ],
            },
          ],
        },
      ],
      ['(o=univ*of*mich*)', { type: 'substrings', attribute: 'o', initial: b('univ'), any: [b('of'), b('mich')] }],
      ['(seeAlso=)', { type: 'equalityMatch', attributeDesc: 'seeAlso', assertionValue: Buffer.alloc(0) }],
      [
        '(cn:caseExactMatch:=Fred Flintstone)',
        { type: 'extensibleMatch', attribute: 'cn', matchingRule: 'caseExactMatch', matchValue: b('Fred Flintstone'), dnAttributes: false },
      ],
      ['(cn:=Betty Rubble)', { type: 'extensibleMatch', attribute: 'cn', matchValue: b('Betty Rubble'), dnAttributes: false }],
      [
        '(sn:dn:2.4.6.8.10:=Barney Rubble)',
        { type: 'extensibleMatch', attribute: 'sn', matchingRule: '2.4.6.8.10', matchValue: b('Barney Rubble'), dnAttributes: true },
      ],
      ['(o:dn:=Ace Industry)', { type: 'extensibleMatch', attribute: 'o', matchValue: b('Ace Industry'), dnAttributes: true }],
      ['(:1.2.3:=Wilma Flintstone)', { type: 'extensibleMatch', matchingRule: '1.2.3', matchValue: b('Wilma Flintstone'), dnAttributes: false }],
      ['(:DN:2.4.6.8.10:=Dino)', { type: 'extensibleMatch', matchingRule: '2.4.6.8.10', matchValue: b('Dino'), dnAttributes: true }],
      [
        '(o=Parens R Us \\28for all your parenthetical needs\\29)',
        { type: 'equalityMatch', attributeDesc: 'o', assertionValue: b('Parens R Us (for all your parenthetical needs)') },
      ],
      ['(cn=*\\2A*)', { type: 'substrings', attribute: 'cn', any: [b('*')] }],
      ['(filename=C:\\5cMyFile)', { type: 'equalityMatch', attributeDesc: 'filename', assertionValue: b('C:\\MyFile') }],
      ['(sn=Lu\\c4\\8di\\c4\\87)', { type: 'equalityMatch', attributeDesc: 'sn', assertionValue: b('Lučić') }],
      [
        '(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)',
        { type: 'equalityMatch', attributeDesc: '1.3.6.1.4.1.1466.0', assertionValue: Buffer.from([0x04, 0x02, 0x48, 0x69]) },
      ],
    ];
    for (const [text, expected] of examples) {
      it(`parses ${text}`, () => {
        expect(parseFilter(text)).to.deep.equal(expected);
      });
    }

    it('writes them back in canonical form', () => {
      const canonical: Array<[string, string]> = [
        ['(cn=Babs Jensen)', '(cn=Babs Jensen)'],
        ['(:DN:2.4.6.8.10:=Dino)', '(:dn:2.4.6.8.10:=Dino)'],
        ['(cn=*\\2A*)', '(cn=*\\2a*)'],
        ['(filename=C:\\5cMyFile)', '(filename=C:\\5cMyFile)'],
        ['(sn=Lu\\c4\\8di\\c4\\87)', '(sn=Lučić)'],
        ['(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)', '(1.3.6.1.4.1.1466.0=\\04\\02Hi)'],
        ['(o=Parens R Us \\28for all your parenthetical needs\\29)', '(o=Parens R Us \\28for all your parenthetical needs\\29)'],
      ];
      for (const [text, expected] of canonical) expect(parseFilter(text).toString()).to.equal(expected);
    });
  });

  describe('the grammar', () => {
    it('reads each filter type', () => {
      expect(parseFilter('(cn~=x)')).to.deep.equal({ type: 'approxMatch', attributeDesc: 'cn', assertionValue: b('x') });
      expect(parseFilter('(n>=5)')).to.deep.equal({ type: 'greaterOrEqual', attributeDesc: 'n', assertionValue: b('5') });
      expect(parseFilter('(n<=5)')).to.deep.equal({ type: 'lessOrEqual', attributeDesc: 'n', assertionValue: b('5') });
      expect(parseFilter('(cn=*)')).to.deep.equal({ type: 'present', attribute: 'cn' });
      expect(parseFilter('(cn=a*)')).to.deep.equal({ type: 'substrings', attribute: 'cn', initial: b('a'), any: [] });
      expect(parseFilter('(cn=*a)')).to.deep.equal({ type: 'substrings', attribute: 'cn', final: b('a'), any: [] });
      expect(parseFilter('(cn=*a*)')).to.deep.equal({ type: 'substrings', attribute: 'cn', any: [b('a')] });
      expect(parseFilter('(cn=a*b*c)')).to.deep.equal({ type: 'substrings', attribute: 'cn', initial: b('a'), any: [b('b')], final: b('c') });
    });

    it('accepts empty and / or (RFC 4526)', () => {
      expect(parseFilter('(&)')).to.deep.equal({ type: 'and', filters: [] });
      expect(parseFilter('(|)')).to.deep.equal({ type: 'or', filters: [] });
      expect(parseFilter('(!(&))')).to.deep.equal({ type: 'not', filter: { type: 'and', filters: [] } });
    });

    it('accepts attribute options and numeric OIDs', () => {
      expect(parseFilter('(cn;lang-en=x)')).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'cn;lang-en', assertionValue: b('x') });
      expect(parseFilter('(userCertificate;binary=*)')).to.deep.equal({ type: 'present', attribute: 'userCertificate;binary' });
      expect(parseFilter('(2.5.4.3;x-a;x-b=*)')).to.deep.equal({ type: 'present', attribute: '2.5.4.3;x-a;x-b' });
      expect(parseFilter('(cn;lang-en:dn:caseExactMatch:=x)')).to.deep.equal({
        type: 'extensibleMatch', attribute: 'cn;lang-en', matchingRule: 'caseExactMatch', matchValue: b('x'), dnAttributes: true,
      });
    });

    it('reads extensible matches with and without attribute, :dn and rule', () => {
      expect(parseFilter('(cn:dn:=x)')).to.deep.equal({ type: 'extensibleMatch', attribute: 'cn', matchValue: b('x'), dnAttributes: true });
      expect(parseFilter('(cn:Dn:=x)')).to.deep.equal({ type: 'extensibleMatch', attribute: 'cn', matchValue: b('x'), dnAttributes: true });
      // after `:dn`, a second "dn" can only be a matching rule
      expect(parseFilter('(cn:dn:dn:=x)')).to.deep.equal({
        type: 'extensibleMatch', attribute: 'cn', matchingRule: 'dn', matchValue: b('x'), dnAttributes: true,
      });
      expect(parseFilter('(cn:dnx:=x)')).to.deep.equal({
        type: 'extensibleMatch', attribute: 'cn', matchingRule: 'dnx', matchValue: b('x'), dnAttributes: false,
      });
      expect(parseFilter('(:caseExactMatch:=)')).to.deep.equal({
        type: 'extensibleMatch', matchingRule: 'caseExactMatch', matchValue: Buffer.alloc(0), dnAttributes: false,
      });
    });

    it('keeps escaped bytes as they are, including bytes that are not UTF-8', () => {
      expect(parseFilter('(x=\\ff\\00\\FE)')).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'x', assertionValue: Buffer.from([0xff, 0, 0xfe]) });
      expect(parseFilter('(x=a\\2ab\\2A\\2ac)').type).to.equal('equalityMatch');
      expect(parseFilter('(x=é\\c3\\a9é)')).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'x', assertionValue: b('ééé') });
      expect(parseFilter('(x=\\5c\\5c*\\28*)')).to.deep.equal({ type: 'substrings', attribute: 'x', initial: b('\\\\'), any: [b('(')] });
    });

    it('takes non-ASCII text (including astral characters) as UTF-8', () => {
      expect(parseFilter('(cn=Jörg 😀*)')).to.deep.equal({ type: 'substrings', attribute: 'cn', initial: b('Jörg 😀'), any: [] });
    });

    it('keeps spaces in values, which are part of the value', () => {
      expect(parseFilter('(cn= a )')).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b(' a ') });
    });

    it('wraps the common unparenthesised form', () => {
      expect(parseFilter('uid=jdoe')).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'uid', assertionValue: b('jdoe') });
      expect(parseFilter('cn=*')).to.deep.equal({ type: 'present', attribute: 'cn' });
      expect(parseFilter('cn=a*b')).to.deep.equal({ type: 'substrings', attribute: 'cn', initial: b('a'), final: b('b'), any: [] });
      expect(parseFilter('uid=jdoe').toString()).to.equal('(uid=jdoe)');
    });
  });

  describe('the objects it returns', () => {
    it('deep-equal plain Filter objects', () => {
      expect(parseFilter('(cn=a)')).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'cn', assertionValue: Buffer.from('a') });
      expect(parseFilter('(&(cn=a)(!(sn=b)))')).to.eql({
        type: 'and',
        filters: [
          { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('a') },
          { type: 'not', filter: { type: 'equalityMatch', attributeDesc: 'sn', assertionValue: b('b') } },
        ],
      });
    });

    it('have toString() on every node, giving canonical text', () => {
      const parsed = parseFilter('(&(cn=a)(!(sn=b\\2a)))');
      expect(String(parsed)).to.equal('(&(cn=a)(!(sn=b\\2a)))');
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- what is tested: a filter in a template literal
      expect(`${parsed}`).to.equal('(&(cn=a)(!(sn=b\\2a)))');
      if (parsed.type !== 'and') throw new Error('expected and');
      expect(parsed.filters[1]!.toString()).to.equal('(!(sn=b\\2a))');
      expect(Object.keys(parsed)).to.deep.equal(['type', 'filters']);
    });

    it('are JSON-serialisable with only the Filter fields', () => {
      const json = JSON.parse(JSON.stringify(parseFilter('(|(cn=a)(sn=*))'))) as unknown;
      expect(json).to.deep.equal({
        type: 'or',
        filters: [
          { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: { type: 'Buffer', data: [0x61] } },
          { type: 'present', attribute: 'sn' },
        ],
      });
    });

    it('survive structuredClone as plain data', () => {
      const clone = structuredClone(parseFilter('(cn=a)'));
      expect(clone.type).to.equal('equalityMatch');
    });
  });

  describe('errors, at the exact position', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['', 0, /empty filter/],
      ['(', 1, /attribute description expected/],
      ['()', 1, /attribute description expected/],
      ['(cn=a', 5, /missing '\)' to close the '\(' at position 0/],
      ['(&(cn=a)', 8, /missing '\)'/],
      ['(&(|(cn=a)', 10, /missing '\)' to close the '\(' at position 2/],
      ['(cn=a))', 6, /unbalanced '\)'/],
      ['cn=a)', 4, /unbalanced '\)'/],
      ['(cn=a)(cn=b)', 6, /unexpected text after the filter/],
      ['(cn=a) ', 6, /unexpected text after the filter/],
      ['(cn=a(b)', 5, /unescaped '\('/],
      ['(cn>=a*)', 6, /unescaped '\*'/],
      ['(cn~=*)', 5, /unescaped '\*'/],
      ['(cn:=a*)', 6, /unescaped '\*'/],
      ['(cn=a\\)', 5, /bad escape/],
      ['(cn=a\\4)', 5, /bad escape/],
      ['(cn=a\\', 5, /bad escape/],
      ['(cn=\\zz)', 4, /bad escape/],
      ['(cn=\\4g)', 4, /bad escape/],
      ['(cn=a\u0000)', 5, /NUL/],
      ['(cn=\ud800)', 4, /lone surrogate/],
      ['(cn=a\udc00)', 5, /lone surrogate/],
      ['(=a)', 1, /attribute description expected/],
      ['( cn=a)', 1, /attribute description expected/],
      ['(c n=a)', 2, /expected '=', '~=', '>=', '<=' or ':'/],
      ['(cn)', 3, /expected '=', '~=', '>=', '<=' or ':'/],
      ['(cn~a)', 4, /expected '=' after '~'/],
      ['(cn>a)', 4, /expected '=' after '>'/],
      ['(cn=**)', 5, /empty substring/],
      ['(cn=a**b)', 6, /empty substring/],
      ['(cn=a*b**)', 8, /empty substring/],
      ['(!cn=a)', 2, /'!' must be followed by a parenthesised filter/],
      ['(!)', 2, /'!' must be followed/],
      ['(!(a=b)(c=d))', 7, /expected '\)'/],
      ['(&(a=b)x)', 7, /expected '\(' or '\)'/],
      ['(&a=b)', 2, /expected '\(' or '\)'/],
      ['(:=x)', 2, /needs a matching rule/],
      ['(:dn:=x)', 5, /needs a matching rule/],
      ['(cn:dn)', 6, /expected ':=' after the matching rule/],
      ['(cn:rule=x)', 8, /expected ':=' after the matching rule/],
      ['(cn:rule:x)', 9, /expected '=' after ':'/],
      ['(cn:1.2.:=x)', 8, /digit expected/],
      ['(cn:_x:=a)', 4, /matching rule or := expected/],
      ['(1cn=x)', 2, /unexpected "c"/],
      ['(1=x)', 2, /at least two arcs/],
      ['(01.2=x)', 1, /leading zero/],
      ['(cn;=x)', 4, /empty attribute option/],
      ['(cn;a;;b=x)', 6, /empty attribute option/],
      ['(-cn=x)', 1, /must start with a letter or a digit/],
      ['(cn.x=a)', 3, /unexpected "\." in a name/],
      ['&(a=b)', 0, /attribute description expected/],
    ];
    for (const [text, position, reason] of cases) {
      it(`rejects ${JSON.stringify(text)} at ${position}`, () => expectError(text, position, reason));
    }

    it('says where in a message that names the input', () => {
      expect(() => parseFilter('(cn=a')).to.throw(InvalidFilterError, 'invalid filter at position 5');
    });
  });

  describe('nesting depth', () => {
    const nested = (levels: number): string => '(!'.repeat(levels - 1) + '(a=b)' + ')'.repeat(levels - 1);

    it(`accepts ${DEFAULT_MAX_FILTER_DEPTH} levels by default`, () => {
      expect(parseFilter(nested(DEFAULT_MAX_FILTER_DEPTH)).type).to.equal('not');
    });

    it('refuses one more, at the opening parenthesis that goes too deep', () => {
      expectError(nested(DEFAULT_MAX_FILTER_DEPTH + 1), 2 * DEFAULT_MAX_FILTER_DEPTH, /nested deeper than 32 levels/);
    });

    it('takes another limit as an option', () => {
      expect(parseFilter(nested(100), { maxDepth: 100 }).type).to.equal('not');
      expect(() => parseFilter('(&(a=b))', { maxDepth: 1 })).to.throw(InvalidFilterError, /nested deeper than 1 levels/);
    });

    it('does not overflow the stack on hostile input', () => {
      expect(() => parseFilter('('.repeat(1_000_000))).to.throw(InvalidFilterError);
      expect(() => parseFilter('(&'.repeat(500_000))).to.throw(InvalidFilterError, /nested deeper/);
    });
  });
});
