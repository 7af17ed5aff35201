import { expect } from 'chai';
import fc from 'fast-check';
import { evaluateFilter, filter, filterToString, matches, parseFilter } from '../../../lib/filter';
import type { FilterEntry } from '../../../lib/filter';
import { encodeFilter } from '../../../lib/protocol/filter-codec';
import type { Filter, FilterValue } from '../../../lib/protocol/filter-types';

/**
 * Issue 10, point 10 (second half): a Filter built by hand may hold its values as strings.
 * filterToString printed such a string one `\00` per character while encodeFilter wrote its
 * UTF-8 bytes, and evaluation threw a TypeError. A string now stands for its UTF-8 bytes
 * everywhere: text, BER and evaluation all agree with the Buffer form.
 */

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The same filter with every value as the Buffer of its UTF-8 bytes. */
const asBytes = (filter: Filter): Filter => {
  const bytes = (value: FilterValue): Buffer => (typeof value === 'string' ? b(value) : value);
  switch (filter.type) {
    case 'and':
    case 'or':
      return { type: filter.type, filters: filter.filters.map(asBytes) };
    case 'not':
      return { type: 'not', filter: asBytes(filter.filter) };
    case 'equalityMatch':
    case 'approxMatch':
    case 'greaterOrEqual':
    case 'lessOrEqual':
      return { ...filter, assertionValue: bytes(filter.assertionValue) };
    case 'substrings': {
      const result: Filter = { type: 'substrings', attribute: filter.attribute, any: filter.any.map(bytes) };
      if (filter.initial !== undefined) result.initial = bytes(filter.initial);
      if (filter.final !== undefined) result.final = bytes(filter.final);
      return result;
    }
    case 'extensibleMatch':
      return { ...filter, matchValue: bytes(filter.matchValue) };
    case 'present':
      return filter;
  }
};

// --- string-valued filters over a few attributes and rules, so evaluation often decides -------

const ATTRIBUTES = ['cn', 'sn', 'uid', 'uidNumber', 'mail', 'cn;lang-en', 'objectClass'];
const RULES = ['caseExactMatch', 'caseIgnoreMatch', '2.5.13.2', 'integerMatch', 'caseIgnoreSubstringsMatch', '1.2.3.4'];
const attributeArb = fc.constantFrom(...ATTRIBUTES);
/** Any text (lone surrogates included), and text made of what must be escaped or folded. */
const textArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('*', '(', ')', '\\', '\0', '\n', 'a', 'A', ' ', 'é', 'ü', 'Ü', '1', '\ud800'), maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const partArb = textArb.filter((text) => text.length > 0);

const leafArb: fc.Arbitrary<Filter> = fc.oneof(
  fc
    .record({ type: fc.constantFrom('equalityMatch', 'approxMatch', 'greaterOrEqual', 'lessOrEqual'), attributeDesc: attributeArb, assertionValue: textArb })
    .map((ava): Filter => ava),
  fc
    .record({
      attribute: attributeArb,
      initial: fc.option(partArb, { nil: undefined }),
      any: fc.array(partArb, { maxLength: 3 }),
      final: fc.option(partArb, { nil: undefined }),
    })
    .filter(({ initial, any, final }) => initial !== undefined || any.length > 0 || final !== undefined)
    .map(({ attribute, initial, any, final }) => {
      const result: Filter = { type: 'substrings', attribute, any };
      if (initial !== undefined) result.initial = initial;
      if (final !== undefined) result.final = final;
      return result;
    }),
  fc
    .record({
      attribute: fc.option(attributeArb, { nil: undefined }),
      matchingRule: fc.option(fc.constantFrom(...RULES), { nil: undefined }),
      matchValue: textArb,
      dnAttributes: fc.boolean(),
    })
    .filter(({ attribute, matchingRule }) => attribute !== undefined || matchingRule !== undefined)
    .map(({ attribute, matchingRule, matchValue, dnAttributes }) => {
      const result: Filter = { type: 'extensibleMatch', matchValue, dnAttributes };
      if (attribute !== undefined) result.attribute = attribute;
      if (matchingRule !== undefined) result.matchingRule = matchingRule;
      return result;
    }),
);

const { filter: stringFilterArb } = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('filter'), { maxLength: 3 }).map((filters): Filter => ({ type: 'and', filters })),
    fc.array(tie('filter'), { maxLength: 3 }).map((filters): Filter => ({ type: 'or', filters })),
    tie('filter').map((inner): Filter => ({ type: 'not', filter: inner })),
  ),
}));

const entryArb: fc.Arbitrary<FilterEntry> = fc.record({
  objectName: fc.constantFrom('cn=a,dc=example', 'uid=Ü1+sn=x,dc=example', ''),
  attributes: fc.array(fc.record({ type: attributeArb, vals: fc.array(textArb.map(b), { maxLength: 3 }) }), { maxLength: 4 }),
});

describe('string assertion values (issue 10, point 10)', () => {
  it('filterToString escapes a string value as encodeFilter encodes it: NUL and parentheses included', () => {
    const hand: Filter = { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: 'a\0)(b' };
    // Before: "(cn=\\00\\00\\00\\00\\00)", one \00 per character, while the BER held "a\0)(b".
    expect(filterToString(hand)).to.equal('(cn=a\\00\\29\\28b)');
    expect(encodeFilter(hand)).to.deep.equal(encodeFilter({ type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('a\0)(b') }));
    expect(parseFilter(filterToString(hand))).to.deep.equal(asBytes(hand));
  });

  it('writes string substrings and extensible values as UTF-8 text', () => {
    expect(filterToString({ type: 'substrings', attribute: 'sn', initial: 'Lu*', any: ['č'], final: ')' })).to.equal('(sn=Lu\\2a*č*\\29)');
    expect(filterToString({ type: 'substrings', attribute: 'sn', initial: '', any: ['', 'x'] })).to.equal('(sn=*x*)');
    expect(filterToString({ type: 'extensibleMatch', attribute: 'cn', matchingRule: 'caseExactMatch', matchValue: '(x)', dnAttributes: true }))
      .to.equal('(cn:dn:caseExactMatch:=\\28x\\29)');
    expect(filterToString({ type: 'greaterOrEqual', attributeDesc: 'n', assertionValue: '10' })).to.equal('(n>=10)');
  });

  it('evaluates a string value as its UTF-8 bytes instead of throwing', () => {
    const entry: FilterEntry = { objectName: 'cn=jürgen', attributes: [{ type: 'cn', vals: [b('jürgen')] }, { type: 'uidNumber', vals: [b('1000')] }] };
    expect(matches({ type: 'equalityMatch', attributeDesc: 'cn', assertionValue: 'JÜRGEN' }, entry)).to.equal(true);
    expect(matches({ type: 'approxMatch', attributeDesc: 'cn', assertionValue: 'Jürgen' }, entry)).to.equal(true);
    expect(matches({ type: 'substrings', attribute: 'cn', initial: 'jü', any: ['r'], final: 'EN' }, entry)).to.equal(true);
    expect(matches({ type: 'greaterOrEqual', attributeDesc: 'uidNumber', assertionValue: '999' }, entry)).to.equal(true);
    expect(matches({ type: 'lessOrEqual', attributeDesc: 'uidNumber', assertionValue: '999' }, entry)).to.equal(false);
    expect(matches({ type: 'extensibleMatch', attribute: 'cn', matchingRule: 'caseExactMatch', matchValue: 'jürgen', dnAttributes: true }, entry)).to.equal(true);
  });

  it('a string-valued Filter interpolated into the template keeps its value', () => {
    const hand: Filter = { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: 'x)(uid=*' };
    expect(filter`(&${hand})`).to.deep.equal({ type: 'and', filters: [asBytes(hand)] });
  });

  it('refuses a value that is neither a string nor bytes with a TypeError that says so', () => {
    const broken = { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: undefined } as unknown as Filter;
    expect(() => filterToString(broken)).to.throw(TypeError, /a filter value must be a string or a Buffer, not undefined/);
    expect(() => encodeFilter(broken)).to.throw(TypeError, /a filter value must be a string or a Buffer/);
    expect(() => matches(broken, { objectName: '', attributes: [] })).to.throw(TypeError, /a filter value must be a string or a Buffer/);
  });

  it('property: filterToString → parseFilter → encodeFilter gives the BER of the original', () => {
    fc.assert(
      fc.property(stringFilterArb, (original) => {
        const reparsed = parseFilter(filterToString(original), { maxDepth: 64 });
        expect(encodeFilter(reparsed).equals(encodeFilter(original)), filterToString(original)).to.equal(true);
        expect(reparsed).to.deep.equal(asBytes(original));
      }),
      { numRuns: 500 },
    );
  });

  it('property: a string and the Buffer of its UTF-8 bytes give the same text, BER and evaluation', () => {
    fc.assert(
      fc.property(stringFilterArb, entryArb, (original, entry) => {
        const bytes = asBytes(original);
        expect(filterToString(original)).to.equal(filterToString(bytes));
        expect(encodeFilter(original).equals(encodeFilter(bytes))).to.equal(true);
        expect(evaluateFilter(original, entry)).to.equal(evaluateFilter(bytes, entry));
      }),
      { numRuns: 500 },
    );
  });
});
