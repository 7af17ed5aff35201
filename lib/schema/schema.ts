import { SchemaError } from '../errors/schema';
import type { AttributeTypeResolver, ResolvedAttributeType } from '../filter/description';
import type {
  DitContentRuleDefinition,
  DitStructureRuleDefinition,
  LdapSyntaxDefinition,
  MatchingRuleDefinition,
  MatchingRuleUseDefinition,
  NameFormDefinition,
  SchemaDefinitions,
} from './definitions';
import { SCHEMA_ATTRIBUTES } from './definitions';
import { AttributeType, ObjectClass } from './elements';
import { nearestName } from './nearest-name';

/**
 * A directory schema: the definitions of a subschema subentry (RFC 4512 §4.2) indexed by every
 * name and OID (case-insensitively), with superior chains resolved. Pure data and functions: it
 * needs no client, so an offline snapshot (Schema.fromJSON) serves as well as a live read.
 */

/** Something the schema refers to but does not define, or defines twice. The schema stays usable. */
export interface SchemaProblem {
  /** Which kind of element: 'attribute type', 'object class', …, or 'definition' for one that did not parse. */
  readonly kind: string;
  /** The element's name or OID (for a definition that did not parse, its text). */
  readonly element: string;
  readonly message: string;
}

/** What Schema.toJSON writes: the definitions as parsed, so loading them gives the same schema. */
export interface SchemaJSON {
  readonly format: 'rxldap-schema';
  readonly version: 1;
  /** Where the schema came from (a server's vendor and version, a snapshot's name). */
  readonly source?: string;
  readonly definitions: SchemaDefinitions;
}

export interface SchemaOptions {
  /** Where it came from, kept in toJSON. */
  source?: string;
  /** Problems found before the schema was built (definitions that did not parse), reported with its own. */
  problems?: readonly SchemaProblem[];
}

const EMPTY: SchemaDefinitions = {
  attributeTypes: [], objectClasses: [], matchingRules: [], matchingRuleUse: [], ldapSyntaxes: [], dITContentRules: [], dITStructureRules: [], nameForms: [],
};

/** A lookup by lower-cased name and OID; the first definition of a key keeps it. */
class Index<T> {
  private readonly byKey = new Map<string, T>();
  constructor(private readonly kind: string, private readonly problems: SchemaProblem[]) {}
  add(keys: readonly string[], item: T, label: string): void {
    for (const key of keys) {
      const lower = key.toLowerCase();
      const existing = this.byKey.get(lower);
      if (existing !== undefined && existing !== item) {
        this.problems.push({ kind: this.kind, element: label, message: `${key} already names another ${this.kind}; the first keeps it` });
      } else {
        this.byKey.set(lower, item);
      }
    }
  }
  get(key: string): T | undefined {
    return this.byKey.get(key.toLowerCase());
  }
}

export class Schema implements AttributeTypeResolver {
  readonly definitions: SchemaDefinitions;
  readonly source: string | undefined;
  /** References the schema cannot resolve, names defined twice, definitions that did not parse. */
  readonly problems: readonly SchemaProblem[];
  readonly attributeTypes: readonly AttributeType[];
  readonly objectClasses: readonly ObjectClass[];
  readonly #attributeTypes: Index<AttributeType>;
  readonly #objectClasses: Index<ObjectClass>;
  readonly #matchingRules: Index<MatchingRuleDefinition>;
  readonly #matchingRuleUse: Index<MatchingRuleUseDefinition>;
  readonly #ldapSyntaxes: Index<LdapSyntaxDefinition>;
  readonly #dITContentRules: Index<DitContentRuleDefinition>;
  readonly #dITStructureRules: Index<DitStructureRuleDefinition>;
  readonly #nameForms: Index<NameFormDefinition>;
  readonly #resolved = new Map<AttributeType, ResolvedAttributeType>();
  readonly #lineages = new Map<ObjectClass, readonly string[]>();

  constructor(definitions: Partial<SchemaDefinitions>, options: SchemaOptions = {}) {
    this.definitions = { ...EMPTY, ...definitions };
    this.source = options.source;
    const problems: SchemaProblem[] = [...(options.problems ?? [])];
    this.problems = problems;
    const d = this.definitions;
    const keys = (x: { oid: string; names: readonly string[] }): string[] => [x.oid, ...x.names];
    this.#attributeTypes = new Index('attribute type', problems);
    this.attributeTypes = d.attributeTypes.map((definition) => new AttributeType(definition));
    for (const type of this.attributeTypes) this.#attributeTypes.add(keys(type), type, type.name);
    this.#objectClasses = new Index('object class', problems);
    this.objectClasses = d.objectClasses.map((definition) => new ObjectClass(definition));
    for (const oc of this.objectClasses) this.#objectClasses.add(keys(oc), oc, oc.name);
    this.#matchingRules = this.index('matching rule', d.matchingRules, keys, problems);
    this.#matchingRuleUse = this.index('matching rule use', d.matchingRuleUse, keys, problems);
    this.#ldapSyntaxes = this.index('LDAP syntax', d.ldapSyntaxes, (x) => [x.oid], problems);
    this.#dITContentRules = this.index('DIT content rule', d.dITContentRules, keys, problems);
    this.#dITStructureRules = this.index('DIT structure rule', d.dITStructureRules, (x) => [String(x.ruleId), ...x.names], problems);
    this.#nameForms = this.index('name form', d.nameForms, keys, problems);
    // Every SUP is linked before anything is inherited along the chains (and loops are seen whole).
    for (const type of this.attributeTypes) this.linkSupertype(type, problems);
    for (const type of this.attributeTypes) this.inherit(type, problems);
    for (const oc of this.objectClasses) this.linkSuperclasses(oc, problems);
    for (const oc of this.objectClasses) this.accumulate(oc, problems);
  }

  private index<T>(kind: string, items: readonly T[], keys: (item: T) => string[], problems: SchemaProblem[]): Index<T> {
    const index = new Index<T>(kind, problems);
    for (const item of items) index.add(keys(item), item, keys(item)[1] ?? keys(item)[0]!);
    return index;
  }

  private linkSupertype(type: AttributeType, problems: SchemaProblem[]): void {
    const sup = type.definition.superior;
    if (sup === undefined) return;
    type.superior = this.#attributeTypes.get(sup);
    if (type.superior === undefined) problems.push({ kind: 'attribute type', element: type.name, message: `its supertype ${sup} is not defined` });
  }

  /** What a type inherits: its own field, else the nearest supertype's. */
  private inherit(type: AttributeType, problems: SchemaProblem[]): void {
    const chain = [type, ...type.superiors];
    if (type.superior !== undefined && chain.includes(type, 1)) problems.push({ kind: 'attribute type', element: type.name, message: 'its supertypes form a loop' });
    const inherit = (field: 'syntax' | 'equality' | 'ordering' | 'substr'): string | undefined => chain.find((t) => t.definition[field] !== undefined)?.definition[field];
    type.syntax = inherit('syntax');
    type.syntaxLength = chain.find((t) => t.definition.syntax !== undefined)?.definition.syntaxLength;
    type.equality = inherit('equality');
    type.ordering = inherit('ordering');
    type.substr = inherit('substr');
    // A chain cut short (an undefined or looping SUP) is reported already; a whole one must end in a SYNTAX.
    if (type.syntax === undefined && !chain.includes(type, 1) && chain[chain.length - 1]!.definition.superior === undefined) problems.push({ kind: 'attribute type', element: type.name, message: 'neither it nor a supertype names a SYNTAX' });
  }

  private linkSuperclasses(oc: ObjectClass, problems: SchemaProblem[]): void {
    for (const sup of oc.definition.superiors) {
      const superior = this.#objectClasses.get(sup);
      if (superior === undefined) problems.push({ kind: 'object class', element: oc.name, message: `its superclass ${sup} is not defined` });
      else oc.superiors.push(superior);
    }
  }

  /** MUST and MAY of the class and every superclass. */
  private accumulate(oc: ObjectClass, problems: SchemaProblem[]): void {
    if (oc.superiors.some((sup) => sup === oc || sup.ancestors.includes(oc))) problems.push({ kind: 'object class', element: oc.name, message: 'its superclasses form a loop' });
    const must = new Set<string>();
    const may = new Set<string>();
    for (const cls of [oc, ...oc.ancestors]) {
      // A superclass's own list was checked when it was resolved: report each name once.
      const report = cls === oc ? problems : undefined;
      for (const name of cls.definition.must) must.add(this.attributeName(name, oc, report));
      for (const name of cls.definition.may) may.add(this.attributeName(name, oc, report));
    }
    oc.must = [...must];
    oc.may = [...may].filter((name) => !must.has(name));
  }

  /** The primary name of an attribute a class lists (as written when the schema lacks it). */
  private attributeName(name: string, oc: ObjectClass, problems: SchemaProblem[] | undefined): string {
    const type = this.#attributeTypes.get(name);
    if (type !== undefined) return type.name;
    problems?.push({ kind: 'object class', element: oc.name, message: `it lists attribute ${name}, which is not defined` });
    return name;
  }

  /** The attribute type a name, OID or attribute description (`cn;lang-en`) means. */
  attributeType(nameOrOid: string): AttributeType | undefined {
    const semicolon = nameOrOid.indexOf(';');
    return this.#attributeTypes.get(semicolon < 0 ? nameOrOid : nameOrOid.slice(0, semicolon));
  }

  objectClass(nameOrOid: string): ObjectClass | undefined {
    return this.#objectClasses.get(nameOrOid);
  }

  matchingRule(nameOrOid: string): MatchingRuleDefinition | undefined {
    return this.#matchingRules.get(nameOrOid);
  }

  matchingRuleUse(nameOrOid: string): MatchingRuleUseDefinition | undefined {
    return this.#matchingRuleUse.get(nameOrOid);
  }

  ldapSyntax(oid: string): LdapSyntaxDefinition | undefined {
    return this.#ldapSyntaxes.get(oid);
  }

  dITContentRule(nameOrOid: string): DitContentRuleDefinition | undefined {
    return this.#dITContentRules.get(nameOrOid);
  }

  /** By rule ID or name. */
  dITStructureRule(idOrName: number | string): DitStructureRuleDefinition | undefined {
    return this.#dITStructureRules.get(String(idOrName));
  }

  nameForm(nameOrOid: string): NameFormDefinition | undefined {
    return this.#nameForms.get(nameOrOid);
  }

  /** The known attribute type nearest to `name` by edit distance, when one is close (for "did you mean"). */
  suggestAttributeType(name: string): string | undefined {
    return nearestName(name, this.attributeTypes.flatMap((t) => t.names));
  }

  suggestObjectClass(name: string): string | undefined {
    return nearestName(name, this.objectClasses.flatMap((c) => c.names));
  }

  /** For filter evaluation (AttributeTypeResolver): the type's key, supertypes and effective rules. */
  resolveAttributeType(nameOrOid: string): ResolvedAttributeType | undefined {
    const type = this.attributeType(nameOrOid);
    if (type === undefined) return undefined;
    let resolved = this.#resolved.get(type);
    if (resolved === undefined) {
      resolved = {
        key: type.oid.toLowerCase(),
        superiors: type.superiors.map((t) => t.oid.toLowerCase()),
        rules: { equality: type.equality, ordering: type.ordering, substrings: type.substr },
      };
      this.#resolved.set(type, resolved);
    }
    return resolved;
  }

  /** For filter evaluation: the names and OIDs (lower case) of a class and all its superclasses. */
  objectClassLineage(nameOrOid: string): readonly string[] | undefined {
    const oc = this.objectClass(nameOrOid);
    if (oc === undefined) return undefined;
    let lineage = this.#lineages.get(oc);
    if (lineage === undefined) {
      lineage = [oc, ...oc.ancestors].flatMap((c) => [c.oid, ...c.names].map((key) => key.toLowerCase()));
      this.#lineages.set(oc, lineage);
    }
    return lineage;
  }

  /** The definitions as parsed, for Schema.fromJSON (a JSON.stringify of this round-trips). */
  toJSON(): SchemaJSON {
    return { format: 'rxldap-schema', version: 1, ...(this.source === undefined ? {} : { source: this.source }), definitions: this.definitions };
  }

  /** A schema saved with toJSON (as the object or its JSON text). */
  static fromJSON(json: SchemaJSON | string): Schema {
    const data: unknown = typeof json === 'string' ? JSON.parse(json) : json;
    if (typeof data !== 'object' || data === null || (data as SchemaJSON).format !== 'rxldap-schema' || (data as SchemaJSON).version !== 1) {
      throw new SchemaError('not a schema saved by Schema.toJSON (format rxldap-schema, version 1)');
    }
    const { definitions, source } = data as SchemaJSON;
    for (const attribute of SCHEMA_ATTRIBUTES) {
      if (!Array.isArray(definitions?.[attribute])) throw new SchemaError(`a saved schema without its ${attribute} list`);
    }
    // `new this`, not `new Schema`: a class that names itself gets a bundler alias and loses its name.
    return new this(definitions, source === undefined ? {} : { source });
  }
}
