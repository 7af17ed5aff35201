import { lookupAttributeType, type AttributeRules, type AttributeType } from '../matching';

/**
 * Attribute descriptions (RFC 4512 §2.5) reduced to what evaluation needs, with the rules of
 * their type taken from the shared table in lib/matching. Types not in the table are directory
 * strings compared with the caseIgnore rules, which is what most user attributes are.
 *
 * One leniency over the RFCs: a caseIgnoreMatch type gets caseIgnoreOrderingMatch even where
 * RFC 4519 declares no ORDERING rule, so `(cn>=m)` works in a schema-less directory.
 */

const DIRECTORY_STRING: AttributeRules = {
  equality: 'caseIgnoreMatch', ordering: 'caseIgnoreOrderingMatch', substrings: 'caseIgnoreSubstringsMatch',
};

const rulesOf = (type: AttributeType | undefined): AttributeRules => {
  if (type === undefined) return DIRECTORY_STRING;
  const { equality, ordering, substrings } = type;
  const lenientOrdering = ordering ?? (equality === 'caseIgnoreMatch' ? 'caseIgnoreOrderingMatch' : undefined);
  return { equality, ordering: lenientOrdering, substrings };
};

/**
 * What a schema tells evaluation about one attribute type (lib/schema's Schema is one): which
 * type a name or OID means, its supertypes, and its effective matching rules. With one, a filter
 * on a supertype sees its subtypes (`(name=x)` looks at `cn`, RFC 4512 §2.5.1), and the rules
 * are the schema's, not the built-in table's.
 */
export interface AttributeTypeResolver {
  /** The type `nameOrOid` means, or undefined when the schema does not define it. */
  resolveAttributeType(nameOrOid: string): ResolvedAttributeType | undefined;
  /**
   * The lower-case names and OIDs of an object class and of all its superclasses, or undefined
   * when the schema does not define it: `(objectClass=person)` is true of an entry that names
   * only inetOrgPerson, whose superclasses RFC 4512 §2.4.1 makes implicit values of it.
   */
  objectClassLineage?(nameOrOid: string): readonly string[] | undefined;
}

/** objectClass's OID: the one attribute whose equality a schema's class hierarchy widens. */
export const OBJECT_CLASS_OID = '2.5.4.0';

export interface ResolvedAttributeType {
  /** One lower-case key per type (its OID, say), the same for every name of it. */
  readonly key: string;
  /** The keys of its supertypes, nearest first. */
  readonly superiors: readonly string[];
  readonly rules: AttributeRules;
}

/** An attribute description reduced to what comparison needs. */
export interface ParsedDescription {
  /** Lower-case canonical name of the type (its first name in the table, the schema's key, or the text given). */
  readonly key: string;
  /** Keys of the type's supertypes (only with a schema). */
  readonly superiors: readonly string[];
  /** Lower-case tagging options; `binary` is dropped, being a transfer option that names no subtype. */
  readonly options: readonly string[];
  readonly rules: AttributeRules;
}

// Attribute descriptions repeat endlessly across entries; remember the parsed form of each
// (one cache for the built-in table, one per schema).
const CACHE = new Map<string, ParsedDescription>();
const SCHEMA_CACHES = new WeakMap<AttributeTypeResolver, Map<string, ParsedDescription>>();
const CACHE_LIMIT = 4096;
const NO_SUPERIORS: readonly string[] = [];

export const parseDescription = (description: string, schema?: AttributeTypeResolver): ParsedDescription => {
  let cache = CACHE;
  if (schema !== undefined) {
    cache = SCHEMA_CACHES.get(schema) ?? new Map<string, ParsedDescription>();
    SCHEMA_CACHES.set(schema, cache);
  }
  const cached = cache.get(description);
  if (cached !== undefined) return cached;
  const [type = '', ...rest] = description.toLowerCase().split(';');
  const options = rest.filter((option) => option !== 'binary' && option !== '');
  let parsed: ParsedDescription;
  if (schema === undefined) {
    const known = lookupAttributeType(type);
    parsed = { key: known?.name ?? type, superiors: NO_SUPERIORS, options, rules: rulesOf(known) };
  } else {
    // A type the schema does not define has no rules: its items are Undefined (RFC 4511 §4.5.1.7).
    const resolved = schema.resolveAttributeType(type);
    parsed = { key: resolved?.key ?? type, superiors: resolved?.superiors ?? NO_SUPERIORS, options, rules: resolved?.rules ?? {} };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(description, parsed);
  return parsed;
};

/**
 * Whether an entry's attribute holds values a filter on `wanted` looks at (RFC 4512 §2.5):
 * the same type or one of its subtypes, and every option of the filter among the attribute's
 * options, so `cn` sees `cn;lang-en` but `cn;lang-en` does not see plain `cn`.
 */
export const describes = (wanted: ParsedDescription, actual: ParsedDescription): boolean =>
  (wanted.key === actual.key || actual.superiors.includes(wanted.key)) && wanted.options.every((option) => actual.options.includes(option));
