import { FilterTemplateError } from '../errors';
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
 * - a value goes only into an assertion value: after `=`, `~=`, `>=`, `<=` or `:=`, including
 *   around the asterisks of a substrings filter. Escaping cannot make input safe anywhere else:
 *   `(${input}=x)` would let the input choose the attribute compared, and likewise an extensible
 *   match's matching rule or `:dn`, or a bare `${input}` as the whole item. Those, and a value
 *   that would complete a `\XX` escape begun in the literal text, are a FilterTemplateError.
 * - strings are taken as UTF-8; Buffers / Uint8Arrays byte for byte; numbers and bigints in
 *   decimal; booleans as LDAP's `TRUE` / `FALSE`. null, undefined and other objects are refused
 *   (a TypeError), so a missing value never turns into the text "undefined".
 * - a Filter is inserted as a sub-filter, unescaped, where a filter may stand (after `(&`, `(|`,
 *   `(!`, after another filter, or as the whole template), so filters compose.
 * - the literal parts are read raw, like String.raw, so RFC 4515 escapes such as `\2a` can be
 *   written directly in the template.
 */
export const filter = (strings: TemplateStringsArray, ...values: FilterTemplateValue[]): Filter => {
  const scanner = new PositionScanner();
  // A template has one more literal than values, so `?? ''` never applies.
  let text = scanner.feed(strings.raw[0] ?? '');
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    const after = strings.raw[i + 1] ?? '';
    if (isFilter(value)) {
      if (scanner.inValue || !canHoldFilter(text, after)) {
        throw templateError(strings, i, 'a Filter can only be interpolated where a filter may stand');
      }
      text += scanner.feed(filterToString(value));
    } else {
      if (!scanner.inValue) {
        throw templateError(strings, i, 'only assertion values can be interpolated, not attribute descriptions, matching rules or :dn');
      }
      if (scanner.inEscape) throw templateError(strings, i, "a value cannot complete a '\\' escape of the template");
      text += scanner.feed(escapeInterpolated(value, i));
    }
    text += scanner.feed(after);
  }
  return parseFilter(text);
};

const templateError = (strings: TemplateStringsArray, index: number, reason: string): FilterTemplateError => {
  let template = strings.raw[0] ?? '';
  let position = 0;
  strings.raw.slice(1).forEach((literal, i) => {
    if (i === index) position = template.length;
    template += '${' + String(i) + '}' + literal;
  });
  return new FilterTemplateError(index, template, position, `interpolation ${index}: ${reason}`);
};

const EQUALS = 0x3d;
const BACKSLASH = 0x5c;
const RPAREN = 0x29;

/**
 * Follows the filter text as it is assembled, to know whether the next character is part of an
 * assertion value. A value starts after the first `=` of an item (every operator ends in one,
 * and attribute descriptions, matching rules and `:dn` contain none) and ends at the `)` that
 * closes the item; inside it a backslash and the two hex digits after it are one escape.
 * Interpolated values are fed in escaped form, so input cannot move the scanner either.
 */
class PositionScanner {
  inValue = false;
  private escapeLeft = 0;

  get inEscape(): boolean {
    return this.escapeLeft > 0;
  }

  /** Advances over `chunk` and returns it. */
  feed(chunk: string): string {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (!this.inValue) {
        if (c === EQUALS) this.inValue = true;
      } else if (this.escapeLeft > 0) {
        this.escapeLeft--;
      } else if (c === BACKSLASH) {
        this.escapeLeft = 2;
      } else if (c === RPAREN) {
        this.inValue = false;
      }
    }
    return chunk;
  }
}

/** A filter may stand at the very start, or after `(&`, `(|`, `(!` or another filter's `)`. */
const canHoldFilter = (before: string, after: string): boolean => {
  const last = before.at(-1) ?? '';
  const startOk = before.length === 0 || (last === ')' ? true : /\((?:&|\||!)$/.test(before));
  const next = after[0] ?? '';
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
