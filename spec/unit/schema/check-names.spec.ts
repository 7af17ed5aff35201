import { expect } from 'chai';
import { checkRequestNames, matches, evaluateFilter, parseFilter, UnknownSchemaNameError, type FilterEntry } from '../../../lib';
import type { RequestOp } from '../../../lib/protocol/types';
import { fixtureSchema } from './fixture';

const schema = fixtureSchema();

const unknown = (check: () => void): UnknownSchemaNameError => {
  try {
    check();
  } catch (error) {
    expect(error).to.be.instanceOf(UnknownSchemaNameError);
    return error as UnknownSchemaNameError;
  }
  return expect.fail('no error');
};

const search = (filter: string, attributes: string[] = []): RequestOp =>
  ({ type: 'searchRequest', baseObject: '', scope: 'baseObject', derefAliases: 'neverDerefAliases', sizeLimit: 0, timeLimit: 0, typesOnly: false, filter: parseFilter(filter), attributes });

describe('checkNames', () => {
  it('passes a request whose names the schema knows, in any case and by OID, with options', () => {
    expect(() => checkRequestNames(schema, search('(&(CN;lang-en=x)(2.5.4.4=y)(objectClass=inetOrgPerson)(!(mail=*)))', ['*', '+', '1.1', 'commonName', '@person']))).to.not.throw();
  });

  it('names an unknown attribute in a filter and suggests the nearest', () => {
    const error = unknown(() => checkRequestNames(schema, search('(|(cn=a)(&(mial=x)))')));
    expect(error.unknownName).to.equal('mial');
    expect(error.kind).to.equal('attribute type');
    expect(error.where).to.equal('filter');
    expect(error.suggestion).to.equal('mail');
    expect(error.message).to.equal('unknown attribute type "mial" in the filter (did you mean "mail"?): the schema in use does not define it');
  });

  it('names an unknown object class in a filter, and an attribute list entry', () => {
    expect(unknown(() => checkRequestNames(schema, search('(objectClass=inetOrgPersn)'))).suggestion).to.equal('inetOrgPerson');
    const listed = unknown(() => checkRequestNames(schema, search('(cn=x)', ['cn', 'surnam;lang-de'])));
    expect([listed.unknownName, listed.where, listed.suggestion]).to.deep.equal(['surnam', 'attributes', 'surname']);
    expect(unknown(() => checkRequestNames(schema, search('(cn=x)', ['@persn']))).kind).to.equal('object class');
  });

  it('checks adds, modifies (object classes too) and compares; no suggestion when nothing is close', () => {
    const add: RequestOp = { type: 'addRequest', entry: 'cn=x', attributes: [{ type: 'objectClass', vals: [Buffer.from('person'), Buffer.from('persno')] }] };
    expect(unknown(() => checkRequestNames(schema, add)).where).to.equal('entry');
    const modify: RequestOp = { type: 'modifyRequest', object: 'cn=x', changes: [{ operation: 'replace', modification: { type: 'telephoneNumber', vals: [] } }] };
    const error = unknown(() => checkRequestNames(schema, modify));
    expect([error.unknownName, error.where, error.suggestion]).to.deep.equal(['telephoneNumber', 'modification', undefined]);
    const compare: RequestOp = { type: 'compareRequest', entry: 'cn=x', ava: { attributeDesc: 'uidNumbr', assertionValue: Buffer.from('1') } };
    expect(unknown(() => checkRequestNames(schema, compare)).suggestion).to.equal('uidNumber');
  });
});

describe('matches() with a schema', () => {
  const ada: FilterEntry = {
    objectName: 'cn=Ada,dc=example,dc=com',
    attributes: [
      { type: 'objectClass', vals: [Buffer.from('inetOrgPerson')] },
      { type: 'cn', vals: [Buffer.from('Ada Lovelace')] },
      { type: 'sn;lang-en', vals: [Buffer.from('Lovelace')] },
      { type: 'uidNumber', vals: [Buffer.from('1000')] },
      { type: 'exampleOrdered', vals: [Buffer.from('first')] },
    ],
  };
  const withSchema = (filter: string): boolean => matches(parseFilter(filter), ada, { schema });

  it('a filter on a supertype sees its subtypes: (name=x) matches cn, sn and a subtype of name with no rules of its own', () => {
    expect(withSchema('(name=ada lovelace)')).to.equal(true);
    expect(withSchema('(name=lovelace)')).to.equal(true);
    expect(withSchema('(name=FIRST)')).to.equal(true);
    expect(withSchema('(name=*love*)')).to.equal(true);
    expect(withSchema('(name=*)')).to.equal(true);
    expect(withSchema('(name;lang-en=lovelace)')).to.equal(true);
    expect(withSchema('(name;lang-en=ada lovelace)')).to.equal(false);
    // Without a schema the built-in table knows no supertypes.
    expect(matches(parseFilter('(name=ada lovelace)'), ada)).to.equal(false);
    // A subtype does not see its supertype's values.
    expect(withSchema('(cn=lovelace)')).to.equal(false);
  });

  it('an objectClass assertion matches subclasses: the superclasses are implicit values (RFC 4512 §2.4.1)', () => {
    expect(withSchema('(objectClass=person)')).to.equal(true);
    expect(withSchema('(objectClass=2.5.6.0)')).to.equal(true);
    expect(withSchema('(objectClass=exampleAux)')).to.equal(false);
    expect(matches(parseFilter('(objectClass=person)'), ada)).to.equal(false);
  });

  it("uses the schema's rules: an ordering rule only where the schema gives one, names and OIDs alike", () => {
    expect(withSchema('(uidNumber>=999)')).to.equal(true);
    expect(withSchema('(1.3.6.1.1.1.1.0<=999)')).to.equal(false);
    // cn has no ORDERING in the schema: Undefined, as slapd answers; the built-in table is lenient.
    expect(evaluateFilter(parseFilter('(cn>=a)'), ada, { schema })).to.equal('UNDEFINED');
    expect(evaluateFilter(parseFilter('(cn>=a)'), ada)).to.equal('TRUE');
    // A type the schema does not define makes the item Undefined (RFC 4511 §4.5.1.7).
    expect(evaluateFilter(parseFilter('(nosuch=x)'), ada, { schema })).to.equal('UNDEFINED');
    expect(evaluateFilter(parseFilter('(!(nosuch=x))'), ada, { schema })).to.equal('UNDEFINED');
  });
});
