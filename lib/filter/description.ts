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

/** An attribute description reduced to what comparison needs. */
export interface ParsedDescription {
  /** Lower-case canonical name of the type (its first name in the table, or the text given). */
  readonly key: string;
  /** Lower-case tagging options; `binary` is dropped, being a transfer option that names no subtype. */
  readonly options: readonly string[];
  readonly rules: AttributeRules;
}

// Attribute descriptions repeat endlessly across entries; remember the parsed form of each.
const CACHE = new Map<string, ParsedDescription>();
const CACHE_LIMIT = 4096;

export const parseDescription = (description: string): ParsedDescription => {
  const cached = CACHE.get(description);
  if (cached !== undefined) return cached;
  const [type = '', ...rest] = description.toLowerCase().split(';');
  const known = lookupAttributeType(type);
  const parsed: ParsedDescription = {
    key: known?.name ?? type,
    options: rest.filter((option) => option !== 'binary' && option !== ''),
    rules: rulesOf(known),
  };
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(description, parsed);
  return parsed;
};

/**
 * Whether an entry's attribute holds values a filter on `wanted` looks at (RFC 4512 §2.5):
 * the same type, and every option of the filter among the attribute's options, so `cn` sees
 * `cn;lang-en` but `cn;lang-en` does not see plain `cn`.
 */
export const describes = (wanted: ParsedDescription, actual: ParsedDescription): boolean =>
  wanted.key === actual.key && wanted.options.every((option) => actual.options.includes(option));
