import { expect } from 'chai';
import {
  compileFilter,
  evaluateFilter,
  findMatchingRule,
  matches,
  parseFilter,
  supportedMatchingRules,
  type FilterEntry,
  type FilterResult,
} from '../../../lib/filter';
import type { Filter } from '../../../lib/protocol/filter-types';

const entryOf = (objectName: string, attributes: Record<string, Array<string | Buffer>>): FilterEntry => ({
  objectName,
  attributes: Object.entries(attributes).map(([type, vals]) => ({
    type,
    vals: vals.map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v)),
  })),
});

const babs = entryOf('uid=bjensen+cn=Babs Jensen,ou=People,o=University of Michigan,c=US', {
  objectClass: ['top', 'Person', 'inetOrgPerson'],
  cn: ['Babs Jensen', 'Barbara  Jensen '],
  'cn;lang-de': ['Bärbel Jensen'],
  sn: ['Jensen'],
  uid: ['bjensen'],
  mail: ['Babs.Jensen@Example.COM'],
  uidNumber: ['1000'],
  gidNumber: ['99'],
  telephoneNumber: ['+1 313 555-1234'],
  userPassword: ['Secret'],
  'userCertificate;binary': [Buffer.from([0x30, 0x82, 0xff])],
  member: ['CN=Tim Howes, OU=People, O=University of Michigan, C=US'],
  createTimestamp: ['20240115103000Z'],
  userAccountControl: ['514'],
  groupType: ['-2147483646'],
  seeAlso: [''],
  description: [],
});

const evaluate = (text: string, entry: FilterEntry = babs): FilterResult => evaluateFilter(parseFilter(text), entry);

const expectResults = (cases: Array<[string, FilterResult]>, entry: FilterEntry = babs): void => {
  for (const [text, expected] of cases) expect(evaluate(text, entry), text).to.equal(expected);
};

describe('filter evaluation', () => {
  describe('three-valued logic (RFC 4511 §4.5.1.7)', () => {
    const leaves: Record<FilterResult, string> = {
      TRUE: '(objectClass=*)',
      FALSE: '(sn=Smith)',
      UNDEFINED: '(cn:1.2.3.4:=x)',
    };
    const values: FilterResult[] = ['TRUE', 'FALSE', 'UNDEFINED'];

    it('has leaves that evaluate as labelled', () => {
      for (const value of values) expect(evaluate(leaves[value])).to.equal(value);
    });

    it('NOT: TRUE ↔ FALSE, UNDEFINED stays UNDEFINED', () => {
      expect(evaluate(`(!${leaves.TRUE})`)).to.equal('FALSE');
      expect(evaluate(`(!${leaves.FALSE})`)).to.equal('TRUE');
      expect(evaluate(`(!${leaves.UNDEFINED})`)).to.equal('UNDEFINED');
      expect(evaluate(`(!(!${leaves.UNDEFINED}))`)).to.equal('UNDEFINED');
    });

    it('AND: FALSE if any is FALSE, else UNDEFINED if any is UNDEFINED, else TRUE', () => {
      const and = (a: FilterResult, b: FilterResult): FilterResult =>
        a === 'FALSE' || b === 'FALSE' ? 'FALSE' : a === 'UNDEFINED' || b === 'UNDEFINED' ? 'UNDEFINED' : 'TRUE';
      for (const a of values) {
        for (const b of values) expect(evaluate(`(&${leaves[a]}${leaves[b]})`), `${a} AND ${b}`).to.equal(and(a, b));
      }
    });

    it('OR: TRUE if any is TRUE, else UNDEFINED if any is UNDEFINED, else FALSE', () => {
      const or = (a: FilterResult, b: FilterResult): FilterResult =>
        a === 'TRUE' || b === 'TRUE' ? 'TRUE' : a === 'UNDEFINED' || b === 'UNDEFINED' ? 'UNDEFINED' : 'FALSE';
      for (const a of values) {
        for (const b of values) expect(evaluate(`(|${leaves[a]}${leaves[b]})`), `${a} OR ${b}`).to.equal(or(a, b));
      }
    });

    it('empty AND is TRUE and empty OR is FALSE (RFC 4526)', () => {
      expect(evaluate('(&)')).to.equal('TRUE');
      expect(evaluate('(|)')).to.equal('FALSE');
    });

    it('matches() is true only for TRUE', () => {
      expect(matches(parseFilter(leaves.TRUE), babs)).to.equal(true);
      expect(matches(parseFilter(leaves.FALSE), babs)).to.equal(false);
      expect(matches(parseFilter(leaves.UNDEFINED), babs)).to.equal(false);
      expect(matches(parseFilter(`(!${leaves.UNDEFINED})`), babs)).to.equal(false);
    });

    it('treats a filter type it does not know as UNDEFINED', () => {
      expect(evaluateFilter({ type: 'bogus' } as unknown as Filter, babs)).to.equal('UNDEFINED');
    });
  });

  describe('RFC 4515 §4 examples against an entry', () => {
    it('evaluates them', () => {
      expectResults([
        ['(cn=Babs Jensen)', 'TRUE'],
        ['(!(cn=Tim Howes))', 'TRUE'],
        ['(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))', 'TRUE'],
        ['(o=univ*of*mich*)', 'FALSE'], // o is only in the DN, not an attribute
        ['(o:dn:=University of Michigan)', 'TRUE'],
        ['(seeAlso=)', 'TRUE'],
        ['(cn:caseExactMatch:=Babs Jensen)', 'TRUE'],
        ['(cn:caseExactMatch:=babs jensen)', 'FALSE'],
        ['(cn:=Babs Jensen)', 'TRUE'],
        ['(sn:dn:2.4.6.8.10:=Barney Rubble)', 'UNDEFINED'],
        ['(:1.2.3:=Wilma Flintstone)', 'UNDEFINED'],
        ['(cn=*\\2A*)', 'FALSE'],
      ]);
    });
  });

  describe('attribute descriptions', () => {
    it('compare names case-insensitively, through synonyms and OIDs', () => {
      expectResults([
        ['(CN=babs jensen)', 'TRUE'],
        ['(commonName=babs jensen)', 'TRUE'],
        ['(2.5.4.3=babs jensen)', 'TRUE'],
        ['(surname=jensen)', 'TRUE'],
        ['(userid=BJENSEN)', 'TRUE'],
        ['(rfc822Mailbox=babs.jensen@example.com)', 'TRUE'],
        ['(0.9.2342.19200300.100.1.1=bjensen)', 'TRUE'],
      ]);
    });

    it('let a plain type see its tagged subtypes, but not the other way round', () => {
      expectResults([
        ['(cn=Bärbel Jensen)', 'TRUE'],
        ['(cn;lang-de=Bärbel Jensen)', 'TRUE'],
        ['(cn;LANG-DE=bärbel jensen)', 'TRUE'],
        ['(cn;lang-de=Babs Jensen)', 'FALSE'],
        ['(cn;lang-en=*)', 'FALSE'],
        ['(cn;lang-de=*)', 'TRUE'],
      ]);
    });

    it('ignore the ;binary transfer option', () => {
      expectResults([
        ['(userCertificate=*)', 'TRUE'],
        ['(userCertificate;binary=*)', 'TRUE'],
        ['(cn;binary=babs jensen)', 'TRUE'],
      ]);
    });
  });

  describe('present', () => {
    it('is TRUE when the attribute has a value', () => {
      expectResults([
        ['(objectClass=*)', 'TRUE'],
        ['(OBJECTCLASS=*)', 'TRUE'],
        ['(mail=*)', 'TRUE'],
        ['(telexNumber=*)', 'FALSE'],
        ['(description=*)', 'FALSE'], // listed without values
      ]);
    });
  });

  describe('caseIgnoreMatch (the default for directory strings)', () => {
    it('ignores case and insignificant spaces (RFC 4518)', () => {
      expectResults([
        ['(cn=BABS JENSEN)', 'TRUE'],
        ['(cn=  babs    jensen )', 'TRUE'],
        ['(cn=barbara jensen)', 'TRUE'],
        ['(cn=babsjensen)', 'FALSE'],
        ['(cn=Babs\\09Jensen)', 'TRUE'], // a tab is a space
        ['(cn=Babs\\c2\\adJensen)', 'FALSE'], // a soft hyphen vanishes, leaving no space at all
        ['(cn=Ba\\c2\\adbs Jensen)', 'TRUE'],
        ['(unknownAttr=x)', 'FALSE'],
      ]);
    });

    it('folds more than toLowerCase (ß ~ SS) and applies NFKC', () => {
      const entry = entryOf('cn=x', { cn: ['Straße'], sn: ['ﬁle'] });
      expectResults([
        ['(cn=STRASSE)', 'TRUE'],
        ['(cn=strasse)', 'TRUE'],
        ['(sn=FILE)', 'TRUE'],
      ], entry);
    });

    it('orders by code point after preparation', () => {
      expectResults([
        ['(sn>=J)', 'TRUE'],
        ['(sn>=jensen)', 'TRUE'],
        ['(sn>=jensen0)', 'FALSE'],
        ['(sn<=JENSEN)', 'TRUE'],
        ['(sn<=i)', 'FALSE'],
      ]);
    });

    it('treats approxMatch as equality after normalisation', () => {
      expectResults([
        ['(cn~=babs  JENSEN)', 'TRUE'],
        ['(cn~=Bab Jenson)', 'FALSE'],
        ['(uidNumber~=1000)', 'TRUE'],
      ]);
    });

    it('reads a value that is not UTF-8 as no directory string: UNDEFINED', () => {
      expect(evaluate('(cn=\\ff)')).to.equal('UNDEFINED');
    });
  });

  describe('caseIgnoreSubstringsMatch', () => {
    it('matches initial, any and final in order, ignoring case and extra spaces', () => {
      expectResults([
        ['(cn=babs*)', 'TRUE'],
        ['(cn=BABS J*)', 'TRUE'],
        ['(cn=babs  j*)', 'TRUE'],
        ['(cn=*jensen)', 'TRUE'],
        ['(cn=*JENSEN  )', 'TRUE'],
        ['(cn=*s j*)', 'TRUE'],
        ['(cn=b*s*j*n)', 'TRUE'],
        ['(cn=*jensen*babs*)', 'FALSE'],
        ['(cn=babs*babs*)', 'FALSE'],
        ['(cn=babs jensen*jensen)', 'FALSE'], // parts may not overlap
        ['(cn=*ens*en)', 'TRUE'],
        ['(cn=x*)', 'FALSE'],
        ['(nothing=x*)', 'FALSE'],
      ]);
    });
  });

  describe('attribute types with their own rules', () => {
    it('objectClass compares case-insensitively and has no substrings or ordering rule', () => {
      expectResults([
        ['(objectClass=person)', 'TRUE'],
        ['(objectClass=INETORGPERSON)', 'TRUE'],
        ['(objectClass=groupOfNames)', 'FALSE'],
        ['(objectClass=per*)', 'UNDEFINED'],
        ['(objectClass>=a)', 'UNDEFINED'],
        ['(objectClass=not an oid)', 'UNDEFINED'],
      ]);
    });

    it('userPassword is octetStringMatch: exact, no ordering, no substrings', () => {
      expectResults([
        ['(userPassword=Secret)', 'TRUE'],
        ['(userPassword=secret)', 'FALSE'],
        ['(userPassword=Secret )', 'FALSE'],
        ['(userPassword>=A)', 'UNDEFINED'],
        ['(userPassword=Sec*)', 'UNDEFINED'],
      ]);
    });

    it('uidNumber and gidNumber compare as integers', () => {
      expectResults([
        ['(uidNumber=1000)', 'TRUE'],
        ['(uidNumber=01000)', 'UNDEFINED'], // not an RFC 4517 INTEGER
        ['(uidNumber=abc)', 'UNDEFINED'],
        ['(!(uidNumber=abc))', 'UNDEFINED'],
        ['(uidNumber>=999)', 'TRUE'],
        ['(uidNumber>=1000)', 'TRUE'],
        ['(uidNumber>=1001)', 'FALSE'],
        ['(gidNumber<=100)', 'TRUE'], // "99" < "100" as numbers, not as strings
        ['(gidNumber>=100)', 'FALSE'],
        ['(gidNumber>=-5)', 'TRUE'],
        ['(uidNumber=1*)', 'UNDEFINED'],
        ['(uidNumber<=99999999999999999999999)', 'TRUE'],
      ]);
    });

    it('createTimestamp / modifyTimestamp compare as instants (GeneralizedTime)', () => {
      expectResults([
        ['(createTimestamp=20240115103000Z)', 'TRUE'],
        ['(createTimestamp=20240115103000.0Z)', 'TRUE'],
        ['(createTimestamp=202401151230+0200)', 'TRUE'],
        ['(createTimestamp>=20240101000000Z)', 'TRUE'],
        ['(createTimestamp>=20240115103000Z)', 'TRUE'],
        ['(createTimestamp>=20240115103000.5Z)', 'FALSE'],
        ['(createTimestamp<=2024011510Z)', 'FALSE'],
        ['(createTimestamp<=2024011510.5Z)', 'TRUE'], // half an hour past 10:00
        ['(createTimestamp<=20240115113000+0100)', 'TRUE'],
        ['(createTimestamp>=yesterday)', 'UNDEFINED'],
        ['(createTimestamp>=20241301000000Z)', 'UNDEFINED'],
        ['(createTimestamp>=20230229000000Z)', 'UNDEFINED'],
        ['(modifyTimestamp>=20240101000000Z)', 'FALSE'], // absent
      ]);
    });

    it('telephoneNumber ignores spaces and hyphens, and has substrings but no ordering', () => {
      expectResults([
        ['(telephoneNumber=+13135551234)', 'TRUE'],
        ['(telephoneNumber=+1-313-555-1234)', 'TRUE'],
        ['(telephoneNumber=+1 313 555 1235)', 'FALSE'],
        ['(telephoneNumber=*5551234)', 'TRUE'],
        ['(telephoneNumber=+1 313*)', 'TRUE'],
        ['(telephoneNumber=*55-51*)', 'TRUE'],
        ['(telephoneNumber>=1)', 'UNDEFINED'],
      ]);
    });

    it('mail is caseIgnoreIA5Match: ASCII only', () => {
      expectResults([
        ['(mail=babs.jensen@example.com)', 'TRUE'],
        ['(mail=*@EXAMPLE.com)', 'TRUE'],
        ['(mail=bäbs@example.com)', 'UNDEFINED'],
      ]);
    });

    it('DN-valued attributes compare by distinguishedNameMatch', () => {
      expectResults([
        ['(member=cn=tim howes,ou=people,o=university of michigan,c=us)', 'TRUE'],
        ['(member=CN=Tim Howes,OU=People,O=University of Michigan,C=US)', 'TRUE'],
        ['(member=2.5.4.3=Tim Howes,ou=People,o=University of Michigan,c=US)', 'TRUE'],
        ['(member=cn=Tim Howes,ou=People,o=University of Michigan)', 'FALSE'],
        ['(member=not a dn)', 'UNDEFINED'],
        ['(member=cn=Tim*)', 'UNDEFINED'], // no substrings rule for DNs
      ]);
    });
  });

  describe('extensibleMatch', () => {
    it('uses the named rule, by name or OID', () => {
      expectResults([
        ['(cn:caseExactMatch:=Babs Jensen)', 'TRUE'],
        ['(cn:2.5.13.5:=Babs Jensen)', 'TRUE'],
        ['(cn:2.5.13.5:=BABS JENSEN)', 'FALSE'],
        ['(cn:CASEEXACTMATCH:=Babs Jensen)', 'TRUE'],
        ['(cn:2.5.13.2:=BABS JENSEN)', 'TRUE'],
        ['(uidNumber:2.5.13.14:=1000)', 'TRUE'],
        ['(uidNumber:integerMatch:=x)', 'UNDEFINED'],
        ['(userPassword:2.5.13.17:=Secret)', 'TRUE'],
        ['(cn:octetStringMatch:=babs jensen)', 'FALSE'],
        ['(member:2.5.13.1:=cn=tim howes,ou=people,o=university of michigan,c=us)', 'TRUE'],
      ]);
    });

    it('uses the type’s equality rule when no rule is named', () => {
      expectResults([
        ['(cn:=BABS JENSEN)', 'TRUE'],
        ['(uidNumber:=1000)', 'TRUE'],
        ['(uidNumber:=0x3e8)', 'UNDEFINED'],
      ]);
    });

    it('without a type, applies the rule to every attribute', () => {
      expectResults([
        ['(:caseExactMatch:=Jensen)', 'TRUE'],
        ['(:caseExactMatch:=jensen)', 'FALSE'],
        ['(:integerMatch:=99)', 'TRUE'],
        ['(:2.5.13.2:=BJENSEN)', 'TRUE'],
      ]);
    });

    it('reads an ordering rule as "the value sorts before the assertion"', () => {
      expectResults([
        ['(uidNumber:integerOrderingMatch:=1001)', 'TRUE'],
        ['(uidNumber:2.5.13.15:=1000)', 'FALSE'],
        ['(sn:caseIgnoreOrderingMatch:=k)', 'TRUE'],
      ]);
    });

    it('reads a substrings rule’s assertion in SubstringAssertion form', () => {
      expectResults([
        ['(cn:caseIgnoreSubstringsMatch:=babs\\2a)', 'TRUE'], // the filter text escapes the asterisk
        ['(cn:2.5.13.7:=B\\2aJ\\2a)', 'TRUE'],
        ['(cn:2.5.13.7:=b\\2aj\\2a)', 'FALSE'],
        ['(cn:caseIgnoreSubstringsMatch:=babs)', 'UNDEFINED'], // no asterisk: not a SubstringAssertion
      ]);
      const entry = entryOf('cn=x', { cn: ['a*b'] });
      expect(evaluate('(cn:caseIgnoreSubstringsMatch:=a\\5c2a\\2a)', entry)).to.equal('TRUE');
    });

    it('supports AD bitAnd / bitOr', () => {
      expectResults([
        ['(userAccountControl:1.2.840.113556.1.4.803:=2)', 'TRUE'],
        ['(userAccountControl:1.2.840.113556.1.4.803:=514)', 'TRUE'],
        ['(userAccountControl:1.2.840.113556.1.4.803:=3)', 'FALSE'],
        ['(userAccountControl:1.2.840.113556.1.4.804:=3)', 'TRUE'],
        ['(userAccountControl:1.2.840.113556.1.4.804:=1)', 'FALSE'],
        ['(!(userAccountControl:1.2.840.113556.1.4.803:=2))', 'FALSE'],
        ['(groupType:1.2.840.113556.1.4.803:=2147483648)', 'TRUE'], // the sign bit of a negative int32
        ['(groupType:1.2.840.113556.1.4.803:=2)', 'TRUE'],
        ['(userAccountControl:bitAnd:=512)', 'TRUE'],
        ['(userAccountControl:1.2.840.113556.1.4.803:=two)', 'UNDEFINED'],
      ]);
    });

    it('with :dn, also matches the values in the entry’s DN', () => {
      expectResults([
        ['(ou:dn:=people)', 'TRUE'],
        ['(ou:=people)', 'FALSE'],
        ['(o:dn:=University of Michigan)', 'TRUE'],
        ['(o:dn:caseExactMatch:=University of Michigan)', 'TRUE'],
        ['(o:dn:caseExactMatch:=university of michigan)', 'FALSE'],
        ['(:dn:caseIgnoreMatch:=us)', 'TRUE'],
        ['(:caseIgnoreMatch:=us)', 'FALSE'],
        ['(:dn:2.5.13.5:=People)', 'TRUE'],
        ['(organizationName:dn:=university of michigan)', 'TRUE'],
      ]);
      // Only the DN holds uid and cn here, so these can match nothing else.
      const named = entryOf(babs.objectName, { objectClass: ['person'] });
      expectResults([
        ['(uid:dn:=bjensen)', 'TRUE'], // one AVA of a multi-valued RDN
        ['(uid:=bjensen)', 'FALSE'],
        ['(cn:dn:caseIgnoreSubstringsMatch:=\\2ajensen)', 'TRUE'],
        ['(cn:dn:caseExactMatch:=babs jensen)', 'FALSE'],
        ['(userid:dn:=BJENSEN)', 'TRUE'],
      ], named);
    });

    it('decodes #hex (BER) values in the DN', () => {
      const entry = entryOf('cn=#04024869,dc=example', { objectClass: ['device'] });
      expect(evaluate('(cn:dn:=hi)', entry)).to.equal('TRUE');
    });

    it('finds no DN values when the entry’s DN does not parse', () => {
      const entry = entryOf('not a dn', { cn: ['x'] });
      expect(evaluate('(:dn:caseIgnoreMatch:=dn)', entry)).to.equal('FALSE');
    });

    it('is UNDEFINED for an unknown matching rule', () => {
      expectResults([
        ['(cn:1.2.3:=Babs Jensen)', 'UNDEFINED'],
        ['(cn:noSuchMatch:=Babs Jensen)', 'UNDEFINED'],
        ['(!(cn:noSuchMatch:=x))', 'UNDEFINED'],
      ]);
    });
  });

  describe('compileFilter', () => {
    it('prepares once and evaluates many entries', () => {
      const compiled = compileFilter(parseFilter('(&(objectClass=person)(uidNumber>=1000))'));
      const people = [1, 999, 1000, 5000].map((n) => entryOf(`uid=u${n},dc=x`, { objectClass: ['person'], uidNumber: [String(n)] }));
      expect(people.map(compiled)).to.deep.equal(['FALSE', 'FALSE', 'TRUE', 'TRUE']);
    });

    it('works on plain Filter objects from the BER decoder as well as parsed ones', () => {
      const plain: Filter = { type: 'equalityMatch', attributeDesc: 'sn', assertionValue: Buffer.from('JENSEN') };
      expect(matches(plain, babs)).to.equal(true);
    });
  });
});

describe('matching rule registry', () => {
  it('finds rules by name (any case) and by OID', () => {
    expect(findMatchingRule('caseExactMatch')?.oid).to.equal('2.5.13.5');
    expect(findMatchingRule('CASEIGNOREMATCH')?.oid).to.equal('2.5.13.2');
    expect(findMatchingRule('2.5.13.14')?.names[0]).to.equal('integerMatch');
    expect(findMatchingRule('1.2.840.113556.1.4.803')?.names).to.include('bitAnd');
    expect(findMatchingRule('2.5.13.1')?.names[0]).to.equal('distinguishedNameMatch');
    expect(findMatchingRule('noSuchMatch')).to.equal(undefined);
    const oids = supportedMatchingRules().map((rule) => rule.oid);
    for (const oid of ['2.5.13.1', '2.5.13.2', '2.5.13.5', '2.5.13.14', '2.5.13.17', '1.2.840.113556.1.4.803', '1.2.840.113556.1.4.804']) {
      expect(oids).to.include(oid);
    }
  });
});
