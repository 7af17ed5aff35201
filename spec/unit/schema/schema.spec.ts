import { expect } from 'chai';
import { parseSchema, Schema, SchemaError, SchemaSyntaxError } from '../../../lib';
import { FIXTURE, fixtureSchema } from './fixture';

describe('Schema', () => {
  it('finds every element by any name or OID, in any case', () => {
    const schema = fixtureSchema();
    const cn = schema.attributeType('cn');
    expect(cn?.oid).to.equal('2.5.4.3');
    for (const key of ['CN', 'commonName', 'COMMONNAME', '2.5.4.3', 'cn;lang-en']) expect(schema.attributeType(key), key).to.equal(cn);
    expect(schema.objectClass('INETORGPERSON')).to.equal(schema.objectClass('2.16.840.1.113730.3.2.2'));
    expect(schema.matchingRule('CASEIGNOREMATCH')?.oid).to.equal('2.5.13.2');
    expect(schema.matchingRuleUse('2.5.13.2')?.applies).to.deep.equal(['name', 'cn', 'sn']);
    expect(schema.ldapSyntax('1.3.6.1.4.1.1466.115.121.1.27')?.description).to.equal('Integer');
    expect(schema.dITContentRule('personrule')?.not).to.deep.equal(['userPassword']);
    expect(schema.nameForm('PERSONBYCN')?.objectClass).to.equal('person');
    expect(schema.dITStructureRule(2)?.superiorRules).to.deep.equal([1]);
    expect(schema.dITStructureRule('childRule')).to.equal(schema.dITStructureRule(2));
    expect(schema.attributeType('nosuch')).to.equal(undefined);
  });

  it('gives a subtype what it does not name itself from its supertype chain', () => {
    const schema = fixtureSchema();
    const cn = schema.attributeType('cn')!;
    expect(cn.superior).to.equal(schema.attributeType('name'));
    expect(cn.syntax).to.equal('1.3.6.1.4.1.1466.115.121.1.15');
    expect(cn.syntaxLength).to.equal(32768);
    expect(cn.equality).to.equal('caseIgnoreMatch');
    expect(cn.substr).to.equal('caseIgnoreSubstringsMatch');
    expect(cn.ordering).to.equal(undefined);
    expect(cn.isA(schema.attributeType('name')!)).to.equal(true);
    expect(schema.attributeType('member')!.equality).to.equal('distinguishedNameMatch');
    expect(schema.attributeType('createTimestamp')!.operational).to.equal(true);
  });

  it('accumulates MUST and MAY down the class chain, each attribute once, by its primary name', () => {
    const inetOrgPerson = fixtureSchema().objectClass('inetOrgPerson')!;
    expect(inetOrgPerson.ancestors.map(String)).to.deep.equal(['organizationalPerson', 'person', 'top']);
    expect(inetOrgPerson.must).to.have.members(['sn', 'cn', 'objectClass']);
    expect(inetOrgPerson.may).to.have.members(['userPassword', 'description', 'uid', 'mail', 'givenName', 'employeeNumber']);
    expect(inetOrgPerson.kind).to.equal('STRUCTURAL');
  });

  it('has no problems with a consistent schema, and reports what it cannot resolve', () => {
    expect(fixtureSchema().problems).to.deep.equal([]);
    const broken = parseSchema({
      attributeTypes: ["( 1.1 NAME 'a' SUP nosuch )", "( 1.2 NAME 'b' SUP c )", "( 1.3 NAME 'c' SUP b )", "( 1.4 NAME 'a' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )"],
      objectClasses: ["( 2.1 NAME 'x' SUP nosuch MUST zz )", "( 2.2 NAME 'y' SUP z )", "( 2.3 NAME 'z' SUP y )"],
    });
    const messages = broken.problems.map((p) => `${p.element}: ${p.message}`);
    expect(messages).to.include.members([
      'a: its supertype nosuch is not defined',
      'b: its supertypes form a loop',
      'c: its supertypes form a loop',
      'a: a already names another attribute type; the first keeps it',
      'x: its superclass nosuch is not defined',
      'x: it lists attribute zz, which is not defined',
      'y: its superclasses form a loop',
    ]);
  });

  it('leaves out a definition that does not parse and says so, or throws it when strict', () => {
    const input = { attributeTypes: ["( 1.1 NAME 'ok' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )", "( 1.2 NAME 'bad' SYNTAX )"] };
    const lenient = parseSchema(input);
    expect(lenient.attributeTypes.map(String)).to.deep.equal(['ok']);
    expect(lenient.problems).to.have.length(1);
    expect(lenient.problems[0]!.message).to.match(/position 24/);
    expect(() => parseSchema(input, { strict: true })).to.throw(SchemaSyntaxError);
  });

  it('reads a subschema entry in the wire form, whatever case the attribute names are in', () => {
    const schema = parseSchema({ attributes: [{ type: 'ATTRIBUTETYPES', vals: FIXTURE.attributeTypes.map((t) => Buffer.from(t)) }, { type: 'objectclasses', vals: FIXTURE.objectClasses.map((t) => Buffer.from(t)) }] });
    expect(schema.attributeTypes).to.have.length(FIXTURE.attributeTypes.length);
    expect(schema.objectClasses).to.have.length(FIXTURE.objectClasses.length);
  });

  it('saves to JSON and loads back to the same schema', () => {
    const schema = parseSchema(FIXTURE, { source: 'fixture' });
    const text = JSON.stringify(schema);
    const loaded = Schema.fromJSON(text);
    expect(loaded.toJSON()).to.deep.equal(JSON.parse(text));
    expect(JSON.stringify(loaded)).to.equal(text);
    expect(loaded.source).to.equal('fixture');
    expect(loaded.objectClass('inetOrgPerson')!.must).to.deep.equal(schema.objectClass('inetOrgPerson')!.must);
    expect(() => Schema.fromJSON('{"format":"other"}')).to.throw(SchemaError);
    expect(() => Schema.fromJSON({ format: 'rxldap-schema', version: 1, definitions: {} } as never)).to.throw(SchemaError, /attributeTypes/);
  });

  it('suggests the nearest known name for a typo, and nothing for a name far from all', () => {
    const schema = fixtureSchema();
    expect(schema.suggestAttributeType('mial')).to.equal('mail');
    expect(schema.suggestAttributeType('givenname')).to.equal('givenName');
    expect(schema.suggestAttributeType('telephoneNumber')).to.equal(undefined);
    expect(schema.suggestObjectClass('inetOrgPersn')).to.equal('inetOrgPerson');
  });
});
