import { ATTRIBUTE_TYPES, OBJECT_CLASSES } from './definitions';
import { parseAttributeTypeDescription, parseObjectClassDescription } from './parse';
import type { AttributeTypeDescription, AttributeUsage, ObjectClassDescription, ObjectClassKind } from './parse';

/**
 * The schema the in-memory directory checks entries against: attribute types (names, single
 * value, operational, user-modifiable, matching rules and syntax inherited through SUP) and
 * object classes (kind, superclasses, MUST and MAY inherited). Built from RFC 4512 descriptions:
 * the built-in set (core, cosine, inetorgperson, nis, as slapd publishes them) plus a user's own.
 */
export interface AttributeType {
  readonly oid: string;
  /** The first NAME (as the schema spells it), or the OID when it has none: how values are returned. */
  readonly name: string;
  /** Lower-cased name: the key an entry stores the type's values under. */
  readonly key: string;
  readonly names: readonly string[];
  readonly singleValue: boolean;
  readonly noUserModification: boolean;
  readonly usage: AttributeUsage;
  readonly operational: boolean;
  readonly equality: string | undefined;
  readonly ordering: string | undefined;
  readonly substr: string | undefined;
  readonly syntax: string | undefined;
  readonly description: AttributeTypeDescription;
}

export interface ObjectClass {
  readonly oid: string;
  readonly name: string;
  readonly key: string;
  readonly kind: ObjectClassKind;
  /** Direct superclasses' keys. */
  readonly sup: readonly string[];
  /** Keys of the attribute types required and allowed, inherited ones included. */
  readonly must: ReadonlySet<string>;
  readonly may: ReadonlySet<string>;
  /** Keys of this class and every superclass. */
  readonly chain: ReadonlySet<string>;
  readonly description: ObjectClassDescription;
}

export interface SchemaDefinitions {
  /** RFC 4512 AttributeTypeDescriptions added to (or replacing, by OID) the built-in ones. */
  attributeTypes?: readonly string[];
  objectClasses?: readonly string[];
}

export class Schema {
  private readonly types = new Map<string, AttributeType>();
  private readonly classes = new Map<string, ObjectClass>();
  /** In definition order, for cn=Subschema. */
  readonly attributeTypeList: AttributeType[] = [];
  readonly objectClassList: ObjectClass[] = [];

  constructor(extra: SchemaDefinitions = {}) {
    const typeDescriptions = mergeByOid([...ATTRIBUTE_TYPES, ...(extra.attributeTypes ?? [])].map(parseAttributeTypeDescription));
    const byName = new Map<string, AttributeTypeDescription>();
    for (const description of typeDescriptions) {
      for (const name of description.names) byName.set(name.toLowerCase(), description);
      byName.set(description.oid, description);
    }
    // Matching rules and syntax come from the nearest superior that has them (RFC 4512 §4.1.2).
    const inherited = (description: AttributeTypeDescription, field: 'equality' | 'ordering' | 'substr' | 'syntax'): string | undefined => {
      const seen = new Set<AttributeTypeDescription>();
      for (let at: AttributeTypeDescription | undefined = description; at !== undefined && !seen.has(at); at = at.sup === undefined ? undefined : byName.get(at.sup.toLowerCase())) {
        seen.add(at);
        if (at[field] !== undefined) return at[field];
      }
      return undefined;
    };
    for (const description of typeDescriptions) {
      const name = description.names[0] ?? description.oid;
      const type: AttributeType = {
        oid: description.oid,
        name,
        key: name.toLowerCase(),
        names: description.names,
        singleValue: description.singleValue,
        noUserModification: description.noUserModification,
        usage: description.usage,
        operational: description.usage !== 'userApplications',
        equality: inherited(description, 'equality'),
        ordering: inherited(description, 'ordering'),
        substr: inherited(description, 'substr'),
        syntax: inherited(description, 'syntax'),
        description,
      };
      this.attributeTypeList.push(type);
      for (const alias of description.names) this.types.set(alias.toLowerCase(), type);
      this.types.set(description.oid, type);
    }

    const classDescriptions = mergeByOid([...OBJECT_CLASSES, ...(extra.objectClasses ?? [])].map(parseObjectClassDescription));
    const classByName = new Map<string, ObjectClassDescription>();
    for (const description of classDescriptions) {
      for (const name of description.names) classByName.set(name.toLowerCase(), description);
      classByName.set(description.oid, description);
    }
    const keyOf = (name: string): string => this.types.get(name.toLowerCase())?.key ?? name.toLowerCase();
    for (const description of classDescriptions) {
      const must = new Set<string>();
      const may = new Set<string>();
      const chain = new Set<string>();
      const visit = (at: ObjectClassDescription | undefined): void => {
        if (at === undefined) return;
        const key = (at.names[0] ?? at.oid).toLowerCase();
        if (chain.has(key)) return;
        chain.add(key);
        for (const name of at.must) must.add(keyOf(name));
        for (const name of at.may) may.add(keyOf(name));
        for (const sup of at.sup) visit(classByName.get(sup.toLowerCase()));
      };
      visit(description);
      const name = description.names[0] ?? description.oid;
      const objectClass: ObjectClass = {
        oid: description.oid,
        name,
        key: name.toLowerCase(),
        kind: description.kind,
        sup: description.sup.map((sup) => (classByName.get(sup.toLowerCase())?.names[0] ?? sup).toLowerCase()),
        must,
        may,
        chain,
        description,
      };
      this.objectClassList.push(objectClass);
      for (const alias of description.names) this.classes.set(alias.toLowerCase(), objectClass);
      this.classes.set(description.oid, objectClass);
    }
  }

  /** The type a name, synonym or OID (any case) names, without options. */
  attributeType(name: string): AttributeType | undefined {
    return this.types.get(name.toLowerCase());
  }

  objectClass(name: string): ObjectClass | undefined {
    return this.classes.get(name.toLowerCase());
  }
}

/** A later description with the same OID replaces an earlier one (a user's own over the built-in). */
const mergeByOid = <T extends { oid: string }>(descriptions: T[]): T[] => {
  const byOid = new Map<string, T>();
  for (const description of descriptions) byOid.set(description.oid, description);
  return [...byOid.values()];
};

let builtIn: Schema | undefined;
/** The built-in schema, parsed once per process on first use. */
export const builtInSchema = (): Schema => (builtIn ??= new Schema());
