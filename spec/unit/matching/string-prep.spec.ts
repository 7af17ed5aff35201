import { expect } from 'chai';
import fc from 'fast-check';
import { caseFold, compareCodePoints, matchSubstrings, prepareBytes, prepareString, type StringPrep } from '../../../lib/matching';

describe('matching/string-prep (RFC 4518)', () => {
  it('maps controls to nothing and every kind of space to SPACE', () => {
    expect(prepareString('A\u00A0\tB', 'caseIgnore')).to.equal('a b');
    expect(prepareString('co\u00ADop\u200B', 'caseIgnore')).to.equal('coop');
  });

  it('caseIgnore folds fully and normalises to NFKC; caseExact keeps case', () => {
    expect(prepareString('ﬁle', 'caseIgnore')).to.equal('file');
    expect(prepareString('Straße', 'caseIgnore')).to.equal(prepareString('STRASSE', 'caseIgnore'));
    expect(prepareString('ΣΑΣ', 'caseIgnore')).to.equal(prepareString('σας', 'caseIgnore'));
    expect(prepareString('\u3392', 'caseIgnore')).to.equal('mhz');
    expect(prepareString('  Hello   World ', 'caseExact')).to.equal('Hello World');
    expect(prepareString('e\u0301', 'caseExact')).to.equal('é');
  });

  it('keeps a single edge space only where a substring touches another part', () => {
    expect(prepareString('  a  b  ', 'caseIgnore', 'value')).to.equal('a b');
    expect(prepareString('  a  b  ', 'caseIgnore', 'initial')).to.equal('a b ');
    expect(prepareString('  a  b  ', 'caseIgnore', 'any')).to.equal(' a b ');
    expect(prepareString('  a  b  ', 'caseIgnore', 'final')).to.equal(' a b');
  });

  it('telephoneNumber drops every space and hyphen; numericString every space, without folding', () => {
    expect(prepareString('+1 555\u2010123-4567', 'telephoneNumber', 'any')).to.equal('+15551234567');
    expect(prepareString(' 12 34 ', 'numericString')).to.equal('1234');
    expect(prepareString('\u3392', 'numericString')).to.equal('MHz');
    expect(prepareString('A\u00A8', 'numericString')).to.equal('\u00C4');
  });

  it('prepares bytes only when they are UTF-8', () => {
    expect(prepareBytes(Buffer.from(' Babs  JENSEN ', 'utf8'), 'caseIgnore')).to.equal('babs jensen');
    expect(prepareBytes(Buffer.from([0xff, 0x41]), 'caseIgnore')).to.equal(undefined);
  });

  it('folds ς to σ whatever the context, so folding is idempotent', () => {
    expect(caseFold('ΟΔΟΣ')).to.equal('οδοσ');
    expect(caseFold(caseFold('ẞ'))).to.equal(caseFold('ẞ'));
  });

  it('is idempotent for every rule and position (property)', () => {
    const preps: StringPrep[] = ['caseIgnore', 'caseExact', 'telephoneNumber', 'numericString'];
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(' ', '-', 'A', 'ß', '\u3392', '\u00A0', 'ς', '\u00A8') }));
    fc.assert(
      fc.property(text, fc.constantFrom(...preps), fc.constantFrom('value' as const, 'initial' as const, 'any' as const, 'final' as const), (value, prep, position) => {
        const once = prepareString(value, prep, position);
        expect(prepareString(once, prep, position)).to.equal(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('matching/compare', () => {
  it('orders by code point, astral characters after U+FFFF', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).to.be.greaterThan(0);
    expect('\u{1F600}' < '\uFFFD').to.equal(true); // what UTF-16 order would say
    expect(compareCodePoints('ab', 'abc')).to.be.lessThan(0);
    expect(compareCodePoints('abc', 'abc')).to.equal(0);
  });

  it('matches initial, any in order without overlap, and final', () => {
    expect(matchSubstrings('babs jensen', 'ba', ['s j'], 'sen')).to.equal(true);
    expect(matchSubstrings('abab', 'ab', [], 'ab')).to.equal(true);
    expect(matchSubstrings('aba', 'ab', [], 'ba')).to.equal(false); // initial and final overlap
    expect(matchSubstrings('abc', undefined, ['c', 'b'], undefined)).to.equal(false);
  });
});
