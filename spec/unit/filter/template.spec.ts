import { expect } from 'chai';
import fc from 'fast-check';
import { FilterTemplateError, InvalidFilterError } from '../../../lib/errors';
import { filter, parseFilter, type FilterTemplateValue } from '../../../lib/filter';
import type { Filter } from '../../../lib/protocol/filter-types';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('filter template', () => {
  it('turns an injection attempt into a literal value', () => {
    const name = '*)(uid=*';
    const result = filter`(&(objectClass=person)(uid=${name}))`;
    expect(result.toString()).to.equal('(&(objectClass=person)(uid=\\2a\\29\\28uid=\\2a))');
    expect(result).to.deep.equal({
      type: 'and',
      filters: [
        { type: 'equalityMatch', attributeDesc: 'objectClass', assertionValue: b('person') },
        { type: 'equalityMatch', attributeDesc: 'uid', assertionValue: b('*)(uid=*') },
      ],
    });
  });

  it('keeps user input a literal inside substrings', () => {
    const part = 'a*b';
    expect(filter`(cn=${part}*)`).to.deep.equal({ type: 'substrings', attribute: 'cn', initial: b('a*b'), any: [] });
    expect(filter`(cn=*${'\\'}*)`).to.deep.equal({ type: 'substrings', attribute: 'cn', any: [b('\\')] });
  });

  it('never lets a value add a filter', () => {
    expect(filter`(cn=${'x)(|(objectClass=*)'})`).to.deep.equal({
      type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('x)(|(objectClass=*)'),
    });
  });

  describe('refuses an interpolation anywhere but an assertion value (issue 10, point 10)', () => {
    /** Runs `build` and returns the FilterTemplateError it threw. */
    const refusal = (build: () => Filter): FilterTemplateError => {
      let caught: unknown;
      let built = '';
      try {
        built = String(build());
      } catch (error) {
        caught = error;
      }
      expect(caught, `refused, not built into ${built}`).to.be.instanceOf(InvalidFilterError);
      expect((caught as InvalidFilterError).reason).to.match(/^interpolation \d+: /);
      expect(caught).to.be.instanceOf(FilterTemplateError);
      return caught as FilterTemplateError;
    };

    it('in the attribute description: input would choose what is compared', () => {
      // Before: (${'userPassword'}=x) compared userPassword, and (${'uid=*)(objectClass'}=x)
      // became (uid=\2a\29\28objectClass=x): escaped, but the input picked the attribute.
      for (const input of ['userPassword', 'uid=*)(objectClass']) {
        const error = refusal(() => filter`(${input}=x)`);
        expect(error).to.be.instanceOf(InvalidFilterError);
        expect(error.index).to.equal(0);
        expect(error.input).to.equal('(${0}=x)');
        expect(error.position).to.equal(1);
        expect(error.message).to.match(/interpolation 0: only assertion values can be interpolated/);
        expect(error.message).to.not.include(input);
      }
    });

    it('names the interpolation and the text around it, not earlier values', () => {
      const error = refusal(() => filter`(&(cn=${'secret'})(${'sn'}>=${'m'}))`);
      expect(error.index).to.equal(1);
      expect(error.input).to.equal('(&(cn=${0})(${1}>=${2}))');
      expect(error.position).to.equal(error.input.indexOf('${1}'));
      expect(error.message).to.not.include('secret');
    });

    const refused: Array<[string, () => Filter]> = [
      ['part of an attribute description', () => filter`(cn;${'lang-en'}=x)`],
      ['an attribute description after a Filter', () => filter`(&${parseFilter('(a=b)')}(${'cn'}=x))`],
      ['a present filter\'s attribute', () => filter`(${'cn'}=*)`],
      ['an approx / ordering attribute', () => filter`(${'cn'}~=x)`],
      ['the whole bare item', () => filter`${'uid=x'}`],
      ['the value-less start of a bare item', () => filter`${'uid'}=x`],
      ['an extensible match attribute', () => filter`(${'cn'}:caseExactMatch:=x)`],
      ['an extensible match matching rule', () => filter`(cn:${'caseExactMatch'}:=x)`],
      ['a matching rule without an attribute', () => filter`(:${'2.5.13.5'}:=x)`],
      ['the :dn flag', () => filter`(cn:${'dn'}:=x)`],
      ['a number as an attribute', () => filter`(${1}=x)`],
      ['a Buffer as an attribute', () => filter`(${Buffer.from('cn')}=x)`],
      ['the second half of a \\XX escape', () => filter`(cn=\2${'a'})`],
    ];
    for (const [where, build] of refused) {
      it(`in ${where}`, () => {
        expect(refusal(build).index).to.be.at.least(0);
      });
    }

    it('keeps what was allowed: values in every value position, Filters where a filter fits', () => {
      expect(filter`(cn:dn:caseExactMatch:=${'x)('})`).to.deep.equal({
        type: 'extensibleMatch', attribute: 'cn', matchingRule: 'caseExactMatch', matchValue: b('x)('), dnAttributes: true,
      });
      expect(filter`(:2.5.13.5:=${'v'})`).to.deep.equal({ type: 'extensibleMatch', matchingRule: '2.5.13.5', matchValue: b('v'), dnAttributes: false });
      expect(filter`(cn~=${'a'})`.toString()).to.equal('(cn~=a)');
      expect(filter`(n<=${5})`.toString()).to.equal('(n<=5)');
      expect(filter`(cn=${'a'}*${'b'}*${'c'})`).to.deep.equal({ type: 'substrings', attribute: 'cn', initial: b('a'), any: [b('b')], final: b('c') });
      expect(filter`uid=${'x=y'}`).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'uid', assertionValue: b('x=y') });
      expect(filter`(&(a=\29)(cn=${'v'}))`.toString()).to.equal('(&(a=\\29)(cn=v))');
      expect(filter`(&(cn=${'a=b'})(sn=${'c'}))`.toString()).to.equal('(&(cn=a=b)(sn=c))');
    });
  });

  it('escapes Buffers byte for byte', () => {
    const guid = Buffer.from([0x00, 0xff, 0x2a, 0x41]);
    const result = filter`(objectGUID=${guid})`;
    expect(result.toString()).to.equal('(objectGUID=\\00\\ff\\2aA)');
    expect(result).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'objectGUID', assertionValue: guid });
    expect(filter`(x=${new Uint8Array([0x28])})`).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'x', assertionValue: b('(') });
  });

  it('writes numbers, bigints and booleans in LDAP form', () => {
    expect(filter`(uidNumber>=${1000})`.toString()).to.equal('(uidNumber>=1000)');
    expect(filter`(n=${-12n})`.toString()).to.equal('(n=-12)');
    expect(filter`(flag=${true})`.toString()).to.equal('(flag=TRUE)');
    expect(filter`(flag=${false})`.toString()).to.equal('(flag=FALSE)');
  });

  it('refuses null, undefined, NaN and other objects', () => {
    expect(() => parseFilter(undefined as unknown as string)).to.throw(TypeError, /must be a string/);
    const bad: unknown[] = [null, undefined, Number.NaN, Infinity, {}, ['a'], { type: 'Buffer', data: [1] }, Symbol('x')];
    for (const value of bad) {
      expect(() => filter`(uid=${value as FilterTemplateValue})`, String(value)).to.throw(TypeError, /filter template: value 0/);
    }
  });

  it('inserts a Filter as a sub-filter, so filters compose', () => {
    const people = filter`(objectClass=person)`;
    const byUid = filter`(uid=${'j*'})`;
    const both = filter`(&${people}${byUid})`;
    expect(both.toString()).to.equal('(&(objectClass=person)(uid=j\\2a))');
    expect(both).to.deep.equal({
      type: 'and',
      filters: [
        { type: 'equalityMatch', attributeDesc: 'objectClass', assertionValue: b('person') },
        { type: 'equalityMatch', attributeDesc: 'uid', assertionValue: b('j*') },
      ],
    });
    expect(filter`(!${people})`.toString()).to.equal('(!(objectClass=person))');
    expect(filter`${people}`).to.deep.equal(people);
    expect(filter`(|(cn=a)${people}(cn=b))`.toString()).to.equal('(|(cn=a)(objectClass=person)(cn=b))');
  });

  it('inserts plain Filter objects too, with their values escaped', () => {
    const plain: Filter = { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('a)(b') };
    expect(filter`(&${plain})`.toString()).to.equal('(&(cn=a\\29\\28b))');
  });

  it('refuses a Filter where a value is expected', () => {
    const people = parseFilter('(objectClass=person)');
    expect(() => filter`(cn=${people})`).to.throw(InvalidFilterError, /a Filter can only be interpolated where a filter may stand/);
    expect(() => filter`(&(a=b)x${people})`).to.throw(InvalidFilterError, /where a filter may stand/);
    expect(() => filter`(&${people}x)`).to.throw(InvalidFilterError, /where a filter may stand/);
  });

  it('reads its literal parts raw, so RFC 4515 escapes can be written in place', () => {
    expect(filter`(cn=\2a${'x'}\28)`).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b('*x(') });
    expect(filter`(sn=Lu\c4\8di\c4\87)`.toString()).to.equal('(sn=Lučić)');
  });

  it('reports a malformed template as InvalidFilterError', () => {
    expect(() => filter`(cn=${'a'}`).to.throw(InvalidFilterError, /missing '\)'/);
  });

  it('property: any string interpolated as a value comes back as exactly its bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 }), (a, c) => {
        const result = filter`(&(cn=${a})(sn=x${c}*))`;
        expect(result).to.deep.equal({
          type: 'and',
          filters: [
            { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: b(a) },
            { type: 'substrings', attribute: 'sn', initial: b('x' + c), any: [] },
          ],
        });
      }),
    );
  });
});
