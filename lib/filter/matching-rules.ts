import { compareCodePoints, matchSubstrings, prepareBytes, type PrepPosition } from '../matching';
import { isValidOid } from './syntax';

/**
 * The matching rules evaluation knows (RFC 4517, plus Active Directory's bitwise rules). A rule
 * works on raw value bytes and says "not a valid value" with undefined, so an assertion that is
 * invalid for its rule can make the filter item Undefined (RFC 4511 §4.5.1.7) and an attribute
 * value that is invalid for it simply does not match.
 */

/** A prepared assertion, asked about one attribute value at a time. */
export type Matcher = (value: Buffer) => boolean;

interface RuleName {
  readonly oid: string;
  /** Descriptors; the first is the one RFC 4517 uses. Looked up case-insensitively. */
  /** The first is the rule's canonical descriptor, so there is always one. */
  readonly names: readonly [string, ...string[]];
}

/** Equality: two values match when they have the same key. One key per value also lets a DN compare its AVAs. */
export interface EqualityRule extends RuleName {
  readonly usage: 'equality';
  key(value: Buffer): string | undefined;
}

/** Ordering: a comparison of a value against a prepared assertion (negative: value sorts first). */
export interface OrderingRule extends RuleName {
  readonly usage: 'ordering';
  comparator(assertion: Buffer): ((value: Buffer) => number | undefined) | undefined;
}

/** Substrings: every part (and the value) prepared into a string, then matched in order. */
export interface SubstringsRule extends RuleName {
  readonly usage: 'substrings';
  prepare(value: Buffer, position: PrepPosition): string | undefined;
}

/** A rule only extensibleMatch can name, such as AD's bitAnd: its own assertion semantics. */
export interface AssertionRule extends RuleName {
  readonly usage: 'assertion';
  compile(assertion: Buffer): Matcher | undefined;
}

export type MatchingRule = EqualityRule | OrderingRule | SubstringsRule | AssertionRule;

/** The parts of a substrings assertion, as bytes. */
export interface SubstringParts {
  initial?: Buffer | undefined;
  any: readonly Buffer[];
  final?: Buffer | undefined;
}

export const compileEquality = (rule: EqualityRule, assertion: Buffer): Matcher | undefined => {
  const expected = rule.key(assertion);
  if (expected === undefined) return undefined;
  return (value) => rule.key(value) === expected;
};

export const compileSubstrings = (rule: SubstringsRule, parts: SubstringParts): Matcher | undefined => {
  const initial = parts.initial === undefined ? undefined : rule.prepare(parts.initial, 'initial');
  const final = parts.final === undefined ? undefined : rule.prepare(parts.final, 'final');
  const any = parts.any.map((part) => rule.prepare(part, 'any'));
  if ((parts.initial !== undefined && initial === undefined) || (parts.final !== undefined && final === undefined)) return undefined;
  if (any.some((part) => part === undefined)) return undefined;
  const anyParts = any as string[];
  return (value) => {
    const prepared = rule.prepare(value, 'value');
    return prepared !== undefined && matchSubstrings(prepared, initial, anyParts, final);
  };
};

/**
 * What a rule means when extensibleMatch names it (RFC 4511 §4.5.1.7.7): equality as usual; an
 * ordering rule is TRUE when the value sorts before the assertion (X.520's "less than");
 * a substrings rule reads the assertion in RFC 4517 §3.3.30 form (`ab*cd*ef`).
 */
export const compileExtensible = (rule: MatchingRule, assertion: Buffer): Matcher | undefined => {
  switch (rule.usage) {
    case 'equality':
      return compileEquality(rule, assertion);
    case 'ordering': {
      const compare = rule.comparator(assertion);
      if (compare === undefined) return undefined;
      return (value) => {
        const order = compare(value);
        return order !== undefined && order < 0;
      };
    }
    case 'substrings': {
      const parts = parseSubstringAssertion(assertion);
      return parts === undefined ? undefined : compileSubstrings(rule, parts);
    }
    case 'assertion':
      return rule.compile(assertion);
  }
};

/** SubstringAssertion (RFC 4517 §3.3.30): parts split at `*`, with `\2A` and `\5C` for literal ones. */
export const parseSubstringAssertion = (assertion: Buffer): SubstringParts | undefined => {
  const parts: Buffer[] = [];
  let current: number[] = [];
  for (let i = 0, b = assertion[0]; b !== undefined; b = assertion[++i]) {
    if (b === 0x2a) {
      parts.push(Buffer.from(current));
      current = [];
    } else if (b === 0x5c) {
      const escape = assertion.toString('latin1', i + 1, i + 3).toLowerCase();
      if (escape !== '2a' && escape !== '5c') return undefined;
      current.push(escape === '2a' ? 0x2a : 0x5c);
      i += 2;
    } else {
      current.push(b);
    }
  }
  parts.push(Buffer.from(current));
  const initial = parts.shift();
  const final = parts.pop();
  if (initial === undefined || final === undefined) return undefined; // no '*': not a substring assertion
  const any = parts;
  if (any.some((part) => part.length === 0)) return undefined;
  return { initial: initial.length > 0 ? initial : undefined, any, final: final.length > 0 ? final : undefined };
};

// --- value syntaxes --------------------------------------------------------------------------

const isAscii = (value: Buffer): boolean => value.every((b) => b < 0x80);

/** RFC 4517 INTEGER: an optional minus, no leading zeros, no "-0". */
const INTEGER = /^(?:0|-?[1-9][0-9]*)$/;
export const parseInteger = (value: Buffer): bigint | undefined => {
  const text = value.toString('latin1');
  return INTEGER.test(text) ? BigInt(text) : undefined;
};

/** RFC 4517 §3.3.13 GeneralizedTime: YYYYMMDDHH[MM[SS]][(.|,)fraction](Z|±HH[MM]). */
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})?)?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/;

/** Milliseconds since the epoch (fractions of the last unit given included), or undefined. */
export const parseGeneralizedTime = (value: Buffer): number | undefined => {
  const match = GENERALIZED_TIME.exec(value.toString('latin1'));
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const n = (text: string | undefined): number => (text === undefined ? 0 : Number(text));
  if (n(month) < 1 || n(month) > 12 || n(day) < 1 || n(day) > 31 || n(hour) > 23 || n(minute) > 59 || n(second) > 60) {
    return undefined;
  }
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(n(year), n(month) - 1, n(day));
  if (date.getUTCDate() !== n(day)) return undefined; // 20230230 rolled over into March
  date.setUTCHours(n(hour), n(minute), n(second), 0);
  let time = date.getTime();
  // A fraction is a fraction of the smallest unit written: an hour, a minute or a second.
  const unit = second !== undefined ? 1000 : minute !== undefined ? 60_000 : 3_600_000;
  if (fraction !== undefined) time += Number(`0.${fraction}`) * unit;
  // The pattern makes the zone mandatory; undefined is only what its type allows.
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offsetHours = n(zone.slice(1, 3));
    const offsetMinutes = n(zone.slice(3, 5) || undefined);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    // 10:00+0200 is 08:00Z: subtract the offset.
    time -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return time;
};

/** telephoneNumberMatch: caseIgnoreIA5-like, with all spaces and hyphens insignificant. */
const prepareTelephone = (value: Buffer): string | undefined => prepareBytes(value, 'telephoneNumber');

// --- rule builders ---------------------------------------------------------------------------

export const equality = (oid: string, names: [string, ...string[]], key: (value: Buffer) => string | undefined): EqualityRule => ({
  usage: 'equality', oid, names, key,
});

export const ordering = <T>(oid: string, names: [string, ...string[]], parse: (value: Buffer) => T | undefined, compare: (a: T, b: T) => number): OrderingRule => ({
  usage: 'ordering',
  oid,
  names,
  comparator: (assertion) => {
    const expected = parse(assertion);
    if (expected === undefined) return undefined;
    return (value) => {
      const parsed = parse(value);
      return parsed === undefined ? undefined : compare(parsed, expected);
    };
  },
});

export const substrings = (oid: string, names: [string, ...string[]], prepare: (value: Buffer, position: PrepPosition) => string | undefined): SubstringsRule => ({
  usage: 'substrings', oid, names, prepare,
});

const bitwise = (oid: string, names: [string, ...string[]], test: (value: bigint, mask: bigint) => boolean): AssertionRule => ({
  usage: 'assertion',
  oid,
  names,
  compile: (assertion) => {
    const mask = parseInteger(assertion);
    if (mask === undefined) return undefined;
    return (value) => {
      const parsed = parseInteger(value);
      return parsed !== undefined && test(parsed, mask);
    };
  },
});

const caseIgnore = (value: Buffer): string | undefined => prepareBytes(value, 'caseIgnore');
const caseExact = (value: Buffer): string | undefined => prepareBytes(value, 'caseExact');
const ia5 = (prepare: (value: Buffer) => string | undefined) => (value: Buffer): string | undefined =>
  isAscii(value) ? prepare(value) : undefined;

/** The core rules; distinguishedNameMatch (dn-match.ts) and the list and numeric ones (list-and-numeric-rules.ts) live apart. */
export const BASIC_MATCHING_RULES: readonly MatchingRule[] = [
  equality('2.5.13.0', ['objectIdentifierMatch'], (value) => {
    // Descriptors compare case-insensitively. A descriptor is not resolved to its OID: without
    // a schema, `person` and `2.5.6.6` are different values.
    const text = value.toString('latin1').trim();
    return isValidOid(text) ? text.toLowerCase() : undefined;
  }),
  equality('2.5.13.2', ['caseIgnoreMatch'], caseIgnore),
  ordering('2.5.13.3', ['caseIgnoreOrderingMatch'], caseIgnore, compareCodePoints),
  substrings('2.5.13.4', ['caseIgnoreSubstringsMatch'], (value, position) => prepareBytes(value, 'caseIgnore', position)),
  equality('2.5.13.5', ['caseExactMatch'], caseExact),
  ordering('2.5.13.6', ['caseExactOrderingMatch'], caseExact, compareCodePoints),
  substrings('2.5.13.7', ['caseExactSubstringsMatch'], (value, position) => prepareBytes(value, 'caseExact', position)),
  equality('2.5.13.13', ['booleanMatch'], (value) => {
    const text = value.toString('latin1');
    return text === 'TRUE' || text === 'FALSE' ? text : undefined;
  }),
  equality('2.5.13.14', ['integerMatch'], (value) => parseInteger(value)?.toString()),
  ordering('2.5.13.15', ['integerOrderingMatch'], parseInteger, (a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  equality('2.5.13.17', ['octetStringMatch'], (value) => value.toString('latin1')),
  ordering('2.5.13.18', ['octetStringOrderingMatch'], (value: Buffer) => value, (a, b) => Buffer.compare(a, b)),
  equality('2.5.13.20', ['telephoneNumberMatch'], prepareTelephone),
  substrings('2.5.13.21', ['telephoneNumberSubstringsMatch'], prepareTelephone),
  equality('2.5.13.27', ['generalizedTimeMatch'], (value) => parseGeneralizedTime(value)?.toString()),
  ordering('2.5.13.28', ['generalizedTimeOrderingMatch'], parseGeneralizedTime, (a, b) => a - b),
  equality('1.3.6.1.4.1.1466.109.114.1', ['caseExactIA5Match'], ia5(caseExact)),
  equality('1.3.6.1.4.1.1466.109.114.2', ['caseIgnoreIA5Match'], ia5(caseIgnore)),
  substrings('1.3.6.1.4.1.1466.109.114.3', ['caseIgnoreIA5SubstringsMatch'], (value, position) =>
    isAscii(value) ? prepareBytes(value, 'caseIgnore', position) : undefined),
  // Active Directory's LDAP_MATCHING_RULE_BIT_AND / _BIT_OR (OpenLDAP: integerBitAndMatch / integerBitOrMatch).
  bitwise('1.2.840.113556.1.4.803', ['integerBitAndMatch', 'bitAnd'], (value, mask) => (value & mask) === mask),
  bitwise('1.2.840.113556.1.4.804', ['integerBitOrMatch', 'bitOr'], (value, mask) => (value & mask) !== 0n),
];
