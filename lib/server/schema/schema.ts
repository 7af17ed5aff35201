import { loadSchemaSnapshot, printAttributeType, printLdapSyntax, printMatchingRule, printMatchingRuleUse, printObjectClass, RxSchema } from '../deps';
import type { AttributeUsage, ObjectClassKind, SchemaJSON } from '../deps';

/**
 * The schema as the in-memory directory reads it, over rxldap's own Schema (lib/schema): every
 * attribute type and object class with what the checks need at hand (a lower-cased key per
 * element, MUST, MAY and the superclass chain as sets of keys), and the definitions as text for
 * cn=Subschema. By default the schema slapd 2.5 publishes with core, cosine, inetorgperson and
 * nis (rxldap's shipped snapshot), so entries are checked as slapd checks them.
 */
export interface AttributeType {
  readonly oid: string;
  /** The first NAME (as the schema spells it), or the OID when it has none: how values are returned. */
  readonly name: string;
  /** Lower-cased name: the key an entry stores the type's values under. */
  readonly key: string;
  readonly names: readonly string[];
  /** The supertype as the definition names it. */
  readonly sup: string | undefined;
  readonly singleValue: boolean;
  readonly noUserModification: boolean;
  readonly usage: AttributeUsage;
  readonly operational: boolean;
  readonly equality: string | undefined;
  readonly ordering: string | undefined;
  readonly substr: string | undefined;
  readonly syntax: string | undefined;
}

export interface ObjectClass {
  readonly oid: string;
  readonly name: string;
  readonly key: string;
  readonly kind: ObjectClassKind;
  /** Keys of the attribute types required and allowed, inherited ones included. */
  readonly must: ReadonlySet<string>;
  readonly may: ReadonlySet<string>;
  /** Keys of this class and every superclass. */
  readonly chain: ReadonlySet<string>;
}

export class Schema {
  private readonly types = new Map<string, AttributeType>();
  private readonly classes = new Map<string, ObjectClass>();

  constructor(readonly model: RxSchema) {
    for (const type of model.attributeTypes) {
      const entry: AttributeType = {
        oid: type.oid,
        name: type.name,
        key: type.name.toLowerCase(),
        names: type.names,
        sup: type.definition.superior,
        singleValue: type.singleValue,
        noUserModification: type.noUserModification,
        usage: type.usage,
        operational: type.operational,
        equality: type.equality,
        ordering: type.ordering,
        substr: type.substr,
        syntax: type.syntax,
      };
      for (const alias of [type.oid, ...type.names]) if (!this.types.has(alias.toLowerCase())) this.types.set(alias.toLowerCase(), entry);
    }
    const keyOf = (name: string): string => this.types.get(name.toLowerCase())?.key ?? name.toLowerCase();
    for (const objectClass of model.objectClasses) {
      const entry: ObjectClass = {
        oid: objectClass.oid,
        name: objectClass.name,
        key: objectClass.name.toLowerCase(),
        kind: objectClass.kind,
        must: new Set(objectClass.must.map(keyOf)),
        may: new Set(objectClass.may.map(keyOf)),
        chain: new Set([objectClass, ...objectClass.ancestors].map((cls) => cls.name.toLowerCase())),
      };
      for (const alias of [objectClass.oid, ...objectClass.names]) if (!this.classes.has(alias.toLowerCase())) this.classes.set(alias.toLowerCase(), entry);
    }
  }

  /** The type a name, synonym or OID (any case) names, without options. */
  attributeType(name: string): AttributeType | undefined {
    return this.types.get(name.toLowerCase());
  }

  objectClass(name: string): ObjectClass | undefined {
    return this.classes.get(name.toLowerCase());
  }

  /** The definitions as cn=Subschema publishes them. */
  descriptions(): Record<'attributeTypes' | 'objectClasses' | 'ldapSyntaxes' | 'matchingRules' | 'matchingRuleUse', string[]> {
    const { definitions } = this.model;
    return {
      ldapSyntaxes: definitions.ldapSyntaxes.map(printLdapSyntax),
      matchingRules: definitions.matchingRules.map(printMatchingRule),
      matchingRuleUse: definitions.matchingRuleUse.map(printMatchingRuleUse),
      attributeTypes: definitions.attributeTypes.map(printAttributeType),
      objectClasses: definitions.objectClasses.map(printObjectClass),
    };
  }
}

let openldap: Promise<Schema> | undefined;

/**
 * The schema a directory checks against: a saved one (Schema.toJSON(), or one of rxldap/schemas'
 * snapshots), else the OpenLDAP 2.5 snapshot, read once per process.
 */
export const loadServerSchema = async (saved?: SchemaJSON): Promise<Schema> => {
  if (saved !== undefined) return new Schema(RxSchema.fromJSON(saved));
  openldap ??= loadSchemaSnapshot('openldap-2.5').then((model) => new Schema(model));
  return openldap;
};
