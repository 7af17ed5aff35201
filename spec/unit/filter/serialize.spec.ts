import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidFilterError } from '../../../lib/errors';
import { escapeFilterValue, filterToString, parseFilter } from '../../../lib/filter';
import { decodeFilter, encodeFilter } from '../../../lib/protocol/filter-codec';
import type { Filter } from '../../../lib/protocol/filter-types';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

// --- arbitraries for well-formed Filter ASTs, shaped exactly as parseFilter builds them ------

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const KEYCHAR = [...ALPHA, ...'0123456789-'.split('')];
const keystringArb = fc
  .tuple(fc.constantFrom(...ALPHA), fc.string({ unit: fc.constantFrom(...KEYCHAR), maxLength: 8 }))
  .map(([first, rest]) => first + rest);
const numericOidArb = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 99_999 })), { minLength: 2, maxLength: 6 })
  .map((arcs) => arcs.join('.'));
const oidArb = fc.oneof(keystringArb, numericOidArb);
const attributeArb = fc
  .tuple(oidArb, fc.array(fc.string({ unit: fc.constantFrom(...KEYCHAR), minLength: 1, maxLength: 6 }), { maxLength: 2 }))
  .map(([type, options]) => [type, ...options].join(';'));
/** Arbitrary bytes, UTF-8 text, and text full of the characters that must be escaped. */
const valueArb = fc.oneof(
  fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 8 }).map(b),
  fc.string({ unit: fc.constantFrom('*', '(', ')', '\\', '\0', 'a', ' ', 'é', '\n'), maxLength: 8 }).map(b),
);
const nonEmptyValueArb = valueArb.filter((value) => value.length > 0);

const avaArb = (type: 'equalityMatch' | 'approxMatch' | 'greaterOrEqual' | 'lessOrEqual'): fc.Arbitrary<Filter> =>
  fc.record({ attributeDesc: attributeArb, assertionValue: valueArb }).map((ava) => ({ type, ...ava }));

const substringsArb: fc.Arbitrary<Filter> = fc
  .record({
    attribute: attributeArb,
    initial: fc.option(nonEmptyValueArb, { nil: undefined }),
    any: fc.array(nonEmptyValueArb, { maxLength: 3 }),
    final: fc.option(nonEmptyValueArb, { nil: undefined }),
  })
  .filter(({ initial, any, final }) => initial !== undefined || any.length > 0 || final !== undefined)
  .map(({ attribute, initial, any, final }) => {
    const filter: Filter = { type: 'substrings', attribute, any };
    if (initial !== undefined) filter.initial = initial;
    if (final !== undefined) filter.final = final;
    return filter;
  });

const extensibleArb: fc.Arbitrary<Filter> = fc
  .record({
    attribute: fc.option(attributeArb, { nil: undefined }),
    matchingRule: fc.option(oidArb, { nil: undefined }),
    matchValue: valueArb,
    dnAttributes: fc.boolean(),
  })
  .filter(({ attribute, matchingRule, dnAttributes }) => {
    if (attribute === undefined && matchingRule === undefined) return false;
    return dnAttributes || matchingRule === undefined || matchingRule.toLowerCase() !== 'dn';
  })
  .map(({ attribute, matchingRule, matchValue, dnAttributes }) => {
    const filter: Filter = { type: 'extensibleMatch', matchValue, dnAttributes };
    if (attribute !== undefined) filter.attribute = attribute;
    if (matchingRule !== undefined) filter.matchingRule = matchingRule;
    return filter;
  });

const leafArb: fc.Arbitrary<Filter> = fc.oneof(
  avaArb('equalityMatch'),
  avaArb('approxMatch'),
  avaArb('greaterOrEqual'),
  avaArb('lessOrEqual'),
  attributeArb.map((attribute): Filter => ({ type: 'present', attribute })),
  substringsArb,
  extensibleArb,
);

const { filter: filterArb } = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('filter'), { maxLength: 4 }).map((filters): Filter => ({ type: 'and', filters })),
    fc.array(tie('filter'), { maxLength: 4 }).map((filters): Filter => ({ type: 'or', filters })),
    tie('filter').map((filter): Filter => ({ type: 'not', filter })),
  ),
}));

describe('filterToString', () => {
  it('writes every filter type', () => {
    const cases: Array<[Filter, string]> = [
      [{ type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('a') }, '(cn=a)'],
      [{ type: 'approxMatch', attributeDesc: 'cn', assertionValue: b('a') }, '(cn~=a)'],
      [{ type: 'greaterOrEqual', attributeDesc: 'n', assertionValue: b('1') }, '(n>=1)'],
      [{ type: 'lessOrEqual', attributeDesc: 'n', assertionValue: b('1') }, '(n<=1)'],
      [{ type: 'present', attribute: 'objectClass' }, '(objectClass=*)'],
      [{ type: 'substrings', attribute: 'cn', initial: b('a'), any: [b('b'), b('c')], final: b('d') }, '(cn=a*b*c*d)'],
      [{ type: 'substrings', attribute: 'cn', any: [b('*')] }, '(cn=*\\2a*)'],
      [{ type: 'extensibleMatch', matchingRule: '1.2.3', matchValue: b('x'), dnAttributes: true }, '(:dn:1.2.3:=x)'],
      [{ type: 'extensibleMatch', attribute: 'cn', matchValue: b('x'), dnAttributes: false }, '(cn:=x)'],
      [{ type: 'and', filters: [] }, '(&)'],
      [{ type: 'or', filters: [{ type: 'present', attribute: 'a' }] }, '(|(a=*))'],
      [{ type: 'not', filter: { type: 'present', attribute: 'a' } }, '(!(a=*))'],
    ];
    for (const [filter, text] of cases) expect(filterToString(filter)).to.equal(text);
  });

  it('leaves out empty substrings, which match anything', () => {
    expect(filterToString({ type: 'substrings', attribute: 'cn', initial: Buffer.alloc(0), any: [Buffer.alloc(0), b('x')] })).to.equal('(cn=*x*)');
  });

  it('refuses filters that have no RFC 4515 text', () => {
    const refuse = (filter: Filter, reason: RegExp): void => {
      expect(() => filterToString(filter)).to.throw(InvalidFilterError, reason);
    };
    refuse({ type: 'substrings', attribute: 'cn', any: [] }, /at least one non-empty substring/);
    refuse({ type: 'extensibleMatch', matchValue: b('x'), dnAttributes: false }, /needs a matchingRule or an attribute/);
    refuse({ type: 'extensibleMatch', attribute: 'cn', matchingRule: 'DN', matchValue: b('x'), dnAttributes: false }, /named "dn"/);
    refuse({ type: 'equalityMatch', attributeDesc: 'cn=x)(uid', assertionValue: b('x') }, /unexpected "="/);
    refuse({ type: 'present', attribute: '' }, /name expected/);
    refuse({ type: 'extensibleMatch', matchingRule: 'bad rule', matchValue: b('x'), dnAttributes: false }, /unexpected " "/);
    refuse({ type: 'bogus' } as unknown as Filter, /unknown filter type/);
  });

  it('is what toString() returns on parsed filters', () => {
    const filter = parseFilter('(|(cn=a*)(sn~=b))');
    expect(filter.toString()).to.equal(filterToString(filter));
  });

  it('round-trips parse → toString → parse', () => {
    for (const text of [
      '(cn=Babs Jensen)',
      '(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))',
      '(o=univ*of*mich*)',
      '(seeAlso=)',
      '(cn:caseExactMatch:=Fred Flintstone)',
      '(sn:dn:2.4.6.8.10:=Barney Rubble)',
      '(:DN:2.4.6.8.10:=Dino)',
      '(o=Parens R Us \\28for all your parenthetical needs\\29)',
      '(cn=*\\2A*)',
      '(filename=C:\\5cMyFile)',
      '(sn=Lu\\c4\\8di\\c4\\87)',
      '(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)',
      '(x=\\ff\\fe\\c3)',
      '(&)',
      '(cn:dn:dn:=x)',
    ]) {
      const parsed = parseFilter(text);
      const again = parseFilter(parsed.toString());
      expect(again, text).to.deep.equal(parsed);
      expect(again.toString(), text).to.equal(parsed.toString());
    }
  });

  it('property: any Filter AST → filterToString → parseFilter gives the same AST', () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        const text = filterToString(filter);
        expect(parseFilter(text, { maxDepth: 1000 })).to.deep.equal(filter);
        // canonical text is a fixed point
        expect(parseFilter(text, { maxDepth: 1000 }).toString()).to.equal(text);
      }),
      { numRuns: 500 },
    );
  });

  it('property: canonical text is printable (controls escaped) and valid UTF-16', () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        const text = filterToString(filter);
        // eslint-disable-next-line no-control-regex -- what is tested: no control character reaches the text
        expect(text).to.not.match(/[\u0000-\u001f\u007f]/);
        expect(text).to.not.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseFilter output and the BER codec', () => {
  it('encodes with encodeFilter and decodes back equal', () => {
    for (const text of [
      '(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))',
      '(o=univ*of*mich*)',
      '(seeAlso=)',
      '(cn=*)',
      '(cn~=x)',
      '(n>=1)',
      '(n<=1)',
      '(!(cn=Tim Howes))',
      '(sn:dn:2.4.6.8.10:=Barney Rubble)',
      '(:1.2.3:=Wilma Flintstone)',
      '(cn:=Betty Rubble)',
      '(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)',
      '(|)',
    ]) {
      const parsed = parseFilter(text);
      expect(decodeFilter(encodeFilter(parsed)), text).to.deep.equal(parsed);
    }
  });

  it('property: random filters survive text and BER alike', () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        const parsed = parseFilter(filterToString(filter), { maxDepth: 1000 });
        expect(decodeFilter(encodeFilter(parsed))).to.deep.equal(filter);
      }),
      { numRuns: 200 },
    );
  });
});

describe('escapeFilterValue', () => {
  it('escapes the five reserved characters (RFC 4515 §3)', () => {
    expect(escapeFilterValue('*')).to.equal('\\2a');
    expect(escapeFilterValue('(')).to.equal('\\28');
    expect(escapeFilterValue(')')).to.equal('\\29');
    expect(escapeFilterValue('\\')).to.equal('\\5c');
    expect(escapeFilterValue('\0')).to.equal('\\00');
    expect(escapeFilterValue('*)(uid=*')).to.equal('\\2a\\29\\28uid=\\2a');
  });

  it('leaves other text as it is, non-ASCII included', () => {
    expect(escapeFilterValue('Babs Jensen')).to.equal('Babs Jensen');
    expect(escapeFilterValue('Lučić 😀 = ~ > <')).to.equal('Lučić 😀 = ~ > <');
    expect(escapeFilterValue('')).to.equal('');
  });

  it('escapes control characters so the text stays printable', () => {
    expect(escapeFilterValue('a\nb\tc\x7f')).to.equal('a\\0ab\\09c\\7f');
  });

  it('escapes bytes that are not valid UTF-8, one by one', () => {
    expect(escapeFilterValue(Buffer.from([0x04, 0x02, 0x48, 0x69]))).to.equal('\\04\\02Hi');
    expect(escapeFilterValue(Buffer.from([0xff, 0xc3]))).to.equal('\\ff\\c3');
    expect(escapeFilterValue(Buffer.from([0xc3, 0xa9, 0xc3]))).to.equal('é\\c3');
    // overlong '/', a UTF-16 surrogate, and a code point above U+10FFFF are not UTF-8
    expect(escapeFilterValue(Buffer.from([0xc0, 0xaf]))).to.equal('\\c0\\af');
    expect(escapeFilterValue(Buffer.from([0xed, 0xa0, 0x80]))).to.equal('\\ed\\a0\\80');
    expect(escapeFilterValue(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).to.equal('\\f4\\90\\80\\80');
    expect(escapeFilterValue(Buffer.from([0xf0, 0x9f, 0x98, 0x80]))).to.equal('😀');
  });

  it('accepts a plain Uint8Array', () => {
    expect(escapeFilterValue(new Uint8Array([0x2a, 0x61]))).to.equal('\\2aa');
  });

  it('property: the escaped text parses back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.string({ unit: 'grapheme', maxLength: 16 }), (bytes, text) => {
        for (const value of [Buffer.from(bytes), b(text)]) {
          const parsed = parseFilter(`(x=${escapeFilterValue(value)})`);
          expect(parsed).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'x', assertionValue: value });
        }
      }),
    );
  });
});
