import { checkFilterDepth, filterValueBytes, type Filter, type SubstringsFilter } from '../protocol/filter-types';
import type { PartialAttribute } from '../protocol/types';
import type { AttributeRules } from '../matching';
import { describes, OBJECT_CLASS_OID, parseDescription, type AttributeTypeResolver, type ParsedDescription } from './description';
import { namingValues } from './dn-match';
import { compileEquality, compileExtensible, compileSubstrings, type Matcher, type MatchingRule, type SubstringParts } from './matching-rules';
import { findMatchingRule } from './rules';

/**
 * Filter evaluation against one entry, in RFC 4511 §4.5.1.7's three-valued logic.
 *
 * An item is UNDEFINED when it cannot be decided: the attribute type has no matching rule of the
 * kind the item needs (`(userPassword>=x)`, `(objectClass=per*)`), an extensibleMatch names an
 * unknown matching rule, or the assertion value is not valid for the rule (`(uidNumber=abc)`).
 * and/or/not then follow the RFC: NOT UNDEFINED is UNDEFINED, FALSE wins an AND and TRUE wins
 * an OR over UNDEFINED. `matches` is true only for TRUE, which is how a server decides whether
 * to return an entry.
 *
 * approxMatch is evaluated as the attribute's equality match (after its normalisation); no
 * sound-alike algorithm is applied. An attribute value that is not valid for the rule never
 * matches, and `(attr=*)` needs at least one value.
 */
export type FilterResult = 'TRUE' | 'FALSE' | 'UNDEFINED';

/** What evaluation looks at: the entry's DN (for `:dn:`) and its attributes. */
export interface FilterEntry {
  readonly objectName: string;
  readonly attributes: readonly PartialAttribute[];
}

/** A filter prepared once (assertion values normalised) to be run against many entries. */
export type CompiledFilter = (entry: FilterEntry) => FilterResult;

const always = (result: FilterResult): CompiledFilter => () => result;
const UNDEFINED = always('UNDEFINED');

/** How evaluation reads attribute types. */
export interface EvaluationOptions {
  /**
   * A schema (lib/schema's Schema, live or from a snapshot): types, supertypes and matching rules
   * are then the schema's, so `(name=x)` matches `cn: x`, and a type it does not define makes
   * the item Undefined. Without one, the built-in table of well-known types is used.
   */
  readonly schema?: AttributeTypeResolver | undefined;
}

/** Prepares a filter; one nested deeper than FILTER_DEPTH_LIMIT is an InvalidFilterError. */
export const compileFilter = (filter: Filter, options: EvaluationOptions = {}): CompiledFilter => compileNested(filter, 1, options.schema);

const compileNested = (filter: Filter, depth: number, schema: AttributeTypeResolver | undefined): CompiledFilter => {
  checkFilterDepth(depth, filter);
  const compileChild = (child: Filter): CompiledFilter => compileNested(child, depth + 1, schema);
  const describe = (description: string): ParsedDescription => parseDescription(description, schema);
  switch (filter.type) {
    case 'and': {
      const children = filter.filters.map(compileChild);
      return (entry) => {
        let result: FilterResult = 'TRUE';
        for (const child of children) {
          const value = child(entry);
          if (value === 'FALSE') return 'FALSE';
          if (value === 'UNDEFINED') result = 'UNDEFINED';
        }
        return result;
      };
    }
    case 'or': {
      const children = filter.filters.map(compileChild);
      return (entry) => {
        let result: FilterResult = 'FALSE';
        for (const child of children) {
          const value = child(entry);
          if (value === 'TRUE') return 'TRUE';
          if (value === 'UNDEFINED') result = 'UNDEFINED';
        }
        return result;
      };
    }
    case 'not': {
      const child = compileChild(filter.filter);
      return (entry) => {
        const value = child(entry);
        return value === 'TRUE' ? 'FALSE' : value === 'FALSE' ? 'TRUE' : 'UNDEFINED';
      };
    }
    case 'equalityMatch':
    case 'approxMatch': {
      const wanted = describe(filter.attributeDesc);
      if (wanted.key === OBJECT_CLASS_OID && schema?.objectClassLineage !== undefined) {
        const lineage = schema.objectClassLineage.bind(schema);
        const asserted = filterValueBytes(filter.assertionValue).toString('utf8').toLowerCase();
        return anyValue(wanted, (value) => lineage(value.toString('utf8'))?.includes(asserted) === true, schema);
      }
      const rule = ruleOf(wanted.rules, 'equality');
      return anyValue(wanted, rule?.usage === 'equality' ? compileEquality(rule, filterValueBytes(filter.assertionValue)) : undefined, schema);
    }
    case 'greaterOrEqual':
    case 'lessOrEqual': {
      const wanted = describe(filter.attributeDesc);
      const rule = ruleOf(wanted.rules, 'ordering');
      const compare = rule?.usage === 'ordering' ? rule.comparator(filterValueBytes(filter.assertionValue)) : undefined;
      if (compare === undefined) return UNDEFINED;
      const wantsGreater = filter.type === 'greaterOrEqual';
      return anyValue(wanted, (value) => {
        const order = compare(value);
        return order !== undefined && (wantsGreater ? order >= 0 : order <= 0);
      }, schema);
    }
    case 'substrings': {
      const wanted = describe(filter.attribute);
      const rule = ruleOf(wanted.rules, 'substrings');
      return anyValue(wanted, rule?.usage === 'substrings' ? compileSubstrings(rule, substringBytes(filter)) : undefined, schema);
    }
    case 'present': {
      const wanted = describe(filter.attribute);
      return (entry) =>
        entry.attributes.some((attribute) => attribute.vals.length > 0 && describes(wanted, describe(attribute.type)))
          ? 'TRUE'
          : 'FALSE';
    }
    case 'extensibleMatch':
      return compileExtensibleMatch(filter.attribute, filter.matchingRule, filterValueBytes(filter.matchValue), filter.dnAttributes, schema);
    default:
      // RFC 4511: a kind of filtering the server does not implement is Undefined.
      return UNDEFINED;
  }
};

export const evaluateFilter = (filter: Filter, entry: FilterEntry, options?: EvaluationOptions): FilterResult => compileFilter(filter, options)(entry);

/** Whether the filter is TRUE for the entry (FALSE and UNDEFINED both mean "not returned"). */
export const matches = (filter: Filter, entry: FilterEntry, options?: EvaluationOptions): boolean => evaluateFilter(filter, entry, options) === 'TRUE';

/** A substrings filter's parts as bytes (a string part stands for its UTF-8 encoding). */
const substringBytes = (filter: SubstringsFilter): SubstringParts => ({
  initial: filter.initial === undefined ? undefined : filterValueBytes(filter.initial),
  any: filter.any.map(filterValueBytes),
  final: filter.final === undefined ? undefined : filterValueBytes(filter.final),
});

const ruleOf = (rules: AttributeRules, kind: keyof AttributeRules): MatchingRule | undefined => {
  const name = rules[kind];
  return name === undefined ? undefined : findMatchingRule(name);
};

/** TRUE when some value of the described attribute passes; no matcher (an undecidable item) is UNDEFINED. */
const anyValue = (wanted: ParsedDescription, matcher: Matcher | undefined, schema: AttributeTypeResolver | undefined): CompiledFilter => {
  if (matcher === undefined) return UNDEFINED;
  return (entry) => {
    for (const attribute of entry.attributes) {
      if (describes(wanted, parseDescription(attribute.type, schema)) && attribute.vals.some(matcher)) return 'TRUE';
    }
    return 'FALSE';
  };
};

/**
 * RFC 4511 §4.5.1.7.7: without a matchingRule the type's equality rule applies; without a type
 * the rule applies to every attribute of the entry (values it cannot read simply do not match);
 * with dnAttributes the values in the entry's DN count too.
 */
const compileExtensibleMatch = (
  attribute: string | undefined,
  ruleName: string | undefined,
  assertion: Buffer,
  dnAttributes: boolean,
  schema: AttributeTypeResolver | undefined,
): CompiledFilter => {
  const wanted = attribute === undefined ? undefined : parseDescription(attribute, schema);
  let rule: MatchingRule | undefined;
  if (ruleName !== undefined) rule = findMatchingRule(ruleName);
  else if (wanted !== undefined) rule = ruleOf(wanted.rules, 'equality');
  const matcher = rule === undefined ? undefined : compileExtensible(rule, assertion);
  if (matcher === undefined) return UNDEFINED;
  const applies = (type: string): boolean => wanted === undefined || describes(wanted, parseDescription(type, schema));
  return (entry) => {
    for (const { type, vals } of entry.attributes) {
      if (applies(type) && vals.some(matcher)) return 'TRUE';
    }
    if (dnAttributes) {
      for (const { type, value } of namingValues(entry.objectName)) {
        if (applies(type) && matcher(value)) return 'TRUE';
      }
    }
    return 'FALSE';
  };
};
