import { expect } from 'chai';
import { Client, parseAttributeType, parseLdapSyntax, parseMatchingRule, parseMatchingRuleUse, parseObjectClass, Schema, SCHEMA_ATTRIBUTES } from '../../../lib';
import type { RootDSE, SchemaAttribute } from '../../../lib';
import { schemaSnapshots } from '../../../lib/schemas';
import { sharedDs389 } from '../../support/ds389';
import { sharedSlapd } from '../../support/slapd';
import { ldifTexts, ldifValues } from './ldif-values';

/**
 * The root DSE and the schema of the spec's slapd and of 389-ds, read by rxldap and checked
 * against what OpenLDAP's ldapsearch prints for the same entries.
 */

const PARSERS: Partial<Record<SchemaAttribute, (text: string) => unknown>> = {
  attributeTypes: parseAttributeType,
  objectClasses: parseObjectClass,
  matchingRules: parseMatchingRule,
  matchingRuleUse: parseMatchingRuleUse,
  ldapSyntaxes: parseLdapSyntax,
};

interface Server {
  name: string;
  url: string;
  bind: [string, string];
  ldapsearch(args: string[]): Promise<string>;
  subschemaDN: string;
  snapshot: 'openldap-2.5' | '389-ds-2.3';
}

const checkRootDSE = (dse: RootDSE, ldif: string): void => {
  for (const [field, attribute] of [
    ['namingContexts', 'namingContexts'],
    ['supportedControl', 'supportedControl'],
    ['supportedExtension', 'supportedExtension'],
    ['supportedFeatures', 'supportedFeatures'],
    ['supportedSASLMechanisms', 'supportedSASLMechanisms'],
    ['altServer', 'altServer'],
  ] as const) {
    expect([...dse[field]].sort(), field).to.deep.equal(ldifTexts(ldif, attribute).sort());
  }
  expect(dse.supportedLDAPVersion).to.deep.equal(ldifTexts(ldif, 'supportedLDAPVersion').map(Number));
  expect(dse.subschemaSubentry).to.equal(ldifTexts(ldif, 'subschemaSubentry')[0]);
  expect(dse.vendorName).to.equal(ldifTexts(ldif, 'vendorName')[0]);
  expect(dse.vendorVersion).to.equal(ldifTexts(ldif, 'vendorVersion')[0]);
  expect(dse.supportedControl.length).to.be.greaterThan(3);
};

const checkSchema = (schema: Schema, ldif: string): void => {
  const printed = ldifValues(ldif);
  let total = 0;
  for (const attribute of SCHEMA_ATTRIBUTES) {
    const texts = (printed.get(attribute.toLowerCase()) ?? []).map((v) => v.toString('utf8'));
    // None lost: as many definitions as ldapsearch printed values, each the one parsed from that value.
    expect(schema.definitions[attribute], attribute).to.have.length(texts.length);
    const parse = PARSERS[attribute];
    if (parse !== undefined) expect(schema.definitions[attribute]).to.deep.equal(texts.map(parse));
    total += texts.length;
  }
  expect(total).to.be.greaterThan(300);
  // Every definition parsed, every superior chain resolved.
  expect(schema.problems.filter((p) => p.kind === 'definition' || /supertype|superclass|SYNTAX/.test(p.message))).to.deep.equal([]);
  for (const type of schema.attributeTypes) {
    if (type.definition.superior !== undefined) expect(type.superior, type.name).to.not.equal(undefined);
    expect(type.syntax, type.name).to.be.a('string');
  }
  for (const oc of schema.objectClasses) {
    expect(oc.superiors, oc.name).to.have.length(oc.definition.superiors.length);
    // Effective MUST holds the class's own MUST and every superclass's.
    for (const ancestor of [oc, ...oc.ancestors]) {
      for (const name of ancestor.definition.must) expect(oc.must, `${oc.name} must ${name}`).to.include(schema.attributeType(name)?.name ?? name);
    }
  }
};

const describeServer = (label: string, server: () => Promise<Server>): void => {
  describe(label, function () {
    this.timeout(180_000);
    let s: Server;
    let client: Client;
    let schema: Schema;

    before(async () => {
      s = await server();
      client = new Client({ url: s.url, timeout: 30_000 });
      await client.bind(...s.bind);
      schema = await client.schema();
    });
    after(async () => {
      await client?.unbind();
    });

    it('reads the root DSE as ldapsearch -b "" -s base "*" "+" prints it', async () => {
      const dse = await client.rootDSE();
      checkRootDSE(dse, await s.ldapsearch(['-b', '', '-s', 'base', '*', '+']));
      expect(client.serverInfo).to.equal(dse);
      expect(dse.subschemaSubentry).to.equal(s.subschemaDN);
      expect(dse.attributes.length).to.be.greaterThan(5);
    });

    it(`parses every definition of the subschema subentry ldapsearch prints, and resolves every chain`, async () => {
      checkSchema(schema, await s.ldapsearch(['-b', s.subschemaDN, '-s', 'base', ...SCHEMA_ATTRIBUTES]));
    });

    it('saves to JSON and loads back to the same schema', () => {
      const text = JSON.stringify(schema);
      const loaded = Schema.fromJSON(text);
      expect(JSON.stringify(loaded)).to.equal(text);
      expect(loaded.problems).to.deep.equal(schema.problems);
      for (const type of schema.attributeTypes) expect(loaded.attributeType(type.oid)!.syntax).to.equal(type.syntax);
    });

      it('matches the shipped snapshot, so the snapshot is this server\'s schema (else: npm run schema:snapshot)', async () => {
      expect(schemaSnapshots[s.snapshot].definitions).to.deep.equal(JSON.parse(JSON.stringify(schema.definitions)));
      expect(Schema.fromJSON(schemaSnapshots[s.snapshot]).problems).to.deep.equal(schema.problems);
    });
  });
};

describeServer('schema and root DSE of the spec slapd (OpenLDAP 2.5)', async () => {
  const slapd = await sharedSlapd();
  return { name: 'slapd', url: slapd.url, bind: [slapd.adminDN, slapd.adminPassword], ldapsearch: (args) => slapd.ldapsearch(['-LLL', ...args]), subschemaDN: 'cn=Subschema', snapshot: 'openldap-2.5' };
});

describeServer('schema and root DSE of 389-ds 2.3', async () => {
  const ds = await sharedDs389();
  return { name: '389-ds', url: ds.url, bind: [ds.rootDN, ds.rootPassword], ldapsearch: (args) => ds.ldapsearch(['-LLL', ...args]), subschemaDN: 'cn=schema', snapshot: '389-ds-2.3' };
});
