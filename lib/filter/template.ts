import { InvalidFilterError } from '../errors';
import type { Filter } from '../protocol/filter-types';
import { asBuffer, escapeFilterValue } from './escape';
import { parseFilter } from './parse';
import { filterToString } from './serialize';

/** What may be interpolated: values (escaped) or whole filters (inserted as sub-filters). */
export type FilterTemplateValue = string | number | bigint | boolean | Buffer | Uint8Array | Filter;

const FILTER_TYPES = new Set<string>([
  'and', 'or', 'not', 'equalityMatch', 'substrings', 'greaterOrEqual', 'lessOrEqual', 'present', 'approxMatch',
  'extensibleMatch',
]);

const isFilter = (value: unknown): value is Filter =>
  typeof value === 'object' && value !== null && !(value instanceof Uint8Array) &&
  FILTER_TYPES.has(String((value as { type?: unknown }).type));

/**
 * Builds a Filter from a template, escaping every interpolated value so user input is always a
 * literal: filter`(uid=${'*)(uid=*'})` is `(uid=\2a\29\28uid=\2a)`, not two filters.
 *
 * - strings are taken as UTF-8; Buffers / Uint8Arrays byte for byte; numbers and bigints in
 *   decimal; booleans as LDAP's `TRUE` / `FALSE`. null, undefined and other objects are refused
 *   (a TypeError), so a missing value never turns into the text "undefined".
 * - a Filter is inserted as a sub-filter, unescaped, where a filter may stand (after `(&`, `(|`,
 *   `(!`, after another filter, or as the whole template), so filters compose.
 * - the literal parts are read raw, like String.raw, so RFC 4515 escapes such as `\2a` can be
 *   written directly in the template.
 */
export const filter = (strings: TemplateStringsArray, ...values: FilterTemplateValue[]): Filter => {
  let text = strings.raw[0]!;
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    if (isFilter(value)) {
      const after = strings.raw[i + 1]!;
      if (!canHoldFilter(text, after)) {
        throw new InvalidFilterError(text + '${…}' + after, text.length, 'a Filter can only be interpolated where a filter may stand');
      }
      text += filterToString(value);
    } else {
      text += escapeInterpolated(value, i);
    }
    text += strings.raw[i + 1]!;
  }
  return parseFilter(text);
};

/** A filter may stand at the very start, or after `(&`, `(|`, `(!` or another filter's `)`. */
const canHoldFilter = (before: string, after: string): boolean => {
  const last = before.length === 0 ? '' : before[before.length - 1]!;
  const startOk = before.length === 0 || (last === ')' ? true : /\((?:&|\||!)$/.test(before));
  const next = after.length === 0 ? '' : after[0]!;
  return startOk && (next === '' || next === '(' || next === ')');
};

const escapeInterpolated = (value: unknown, index: number): string => {
  switch (typeof value) {
    case 'string':
      return escapeFilterValue(value);
    case 'number':
      if (!Number.isFinite(value)) break;
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'object':
      if (value instanceof Uint8Array) return escapeFilterValue(asBuffer(value));
      break;
    default:
      break;
  }
  throw new TypeError(`filter template: value ${index} (${describe(value)}) is not a string, number, bigint, boolean, Buffer or Filter`);
};

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  return typeof value;
};
