import { InvalidFilterError } from '../errors';
import { checkFilterDepth, filterValueBytes, type Filter, type FilterValue, type SubstringsFilter } from '../protocol/filter-types';
import { escapeValueBytes } from './escape';
import { checkAttributeDescription, checkOid, type NameProblem } from './syntax';

/**
 * Canonical RFC 4515 text of a Filter: no whitespace, `:dn` in lower case, values escaped by
 * escapeValueBytes (a string value as its UTF-8 bytes, exactly as encodeFilter writes it). parseFilter(filterToString(f)) deep-equals f for every filter that has a
 * string form; the ones that do not are refused here rather than written ambiguously, as is a
 * filter nested deeper than FILTER_DEPTH_LIMIT.
 */
export const filterToString = (filter: Filter): string => write(filter, 1);

const write = (filter: Filter, depth: number): string => {
  checkFilterDepth(depth, filter);
  const child = (nested: Filter): string => write(nested, depth + 1);
  switch (filter.type) {
    case 'and':
      return '(&' + filter.filters.map(child).join('') + ')';
    case 'or':
      return '(|' + filter.filters.map(child).join('') + ')';
    case 'not':
      return '(!' + child(filter.filter) + ')';
    case 'equalityMatch':
      return `(${attribute(filter.attributeDesc)}=${value(filter.assertionValue)})`;
    case 'approxMatch':
      return `(${attribute(filter.attributeDesc)}~=${value(filter.assertionValue)})`;
    case 'greaterOrEqual':
      return `(${attribute(filter.attributeDesc)}>=${value(filter.assertionValue)})`;
    case 'lessOrEqual':
      return `(${attribute(filter.attributeDesc)}<=${value(filter.assertionValue)})`;
    case 'present':
      return `(${attribute(filter.attribute)}=*)`;
    case 'substrings':
      return `(${attribute(filter.attribute)}=${substrings(filter)})`;
    case 'extensibleMatch': {
      const { matchingRule, dnAttributes } = filter;
      if (matchingRule === undefined && filter.attribute === undefined) {
        throw unwritable('extensibleMatch', 'an extensibleMatch needs a matchingRule or an attribute');
      }
      // `(cn:dn:=x)` always reads as dnAttributes, so a rule named "dn" is only writable after `:dn`.
      if (matchingRule !== undefined && !dnAttributes && matchingRule.toLowerCase() === 'dn') {
        throw unwritable(matchingRule, 'a matching rule named "dn" cannot be written without :dn');
      }
      let text = '(' + (filter.attribute === undefined ? '' : attribute(filter.attribute));
      if (dnAttributes) text += ':dn';
      if (matchingRule !== undefined) text += ':' + checked(matchingRule, checkOid(matchingRule, 0, matchingRule.length));
      return text + ':=' + value(filter.matchValue) + ')';
    }
    default:
      // Reachable from JavaScript callers or from data typed loosely, never from well-typed code.
      throw unwritable(String((filter as { type?: unknown }).type), 'unknown filter type');
  }
};

const unwritable = (input: string, reason: string): InvalidFilterError => new InvalidFilterError(input, 0, reason);

const checked = (name: string, problem: NameProblem | undefined): string => {
  if (problem !== undefined) throw new InvalidFilterError(name, problem.offset, problem.reason);
  return name;
};

/** An attribute description goes into the text unescaped, so it must be one the grammar allows. */
const attribute = (name: string): string => checked(name, checkAttributeDescription(name, 0, name.length));

/**
 * `[initial] * *(any *) [final]`. An empty component matches anything, so leaving it out keeps
 * the meaning; written out it would be `**`, which the parser (like most servers) refuses.
 */
const substrings = (filter: SubstringsFilter): string => {
  const initial = nonEmptyBytes(filter.initial);
  const final = nonEmptyBytes(filter.final);
  const any: Buffer[] = [];
  for (const part of filter.any) {
    const bytes = nonEmptyBytes(part);
    if (bytes !== undefined) any.push(bytes);
  }
  if (initial === undefined && final === undefined && any.length === 0) {
    // `(cn=*)` would read back as a present filter.
    throw unwritable(filter.attribute, 'a substrings filter needs at least one non-empty substring');
  }
  let text = initial === undefined ? '*' : escapeValueBytes(initial) + '*';
  for (const part of any) text += escapeValueBytes(part) + '*';
  if (final !== undefined) text += escapeValueBytes(final);
  return text;
};

const value = (assertion: FilterValue): string => escapeValueBytes(filterValueBytes(assertion));

const nonEmptyBytes = (part: FilterValue | undefined): Buffer | undefined => {
  if (part === undefined) return undefined;
  const bytes = filterValueBytes(part);
  return bytes.length > 0 ? bytes : undefined;
};
