import { InvalidFilterError } from '../errors';

/**
 * RFC 4511 §4.5.1.7 Filter as a discriminated union. Field names follow the ASN.1, except that
 * AttributeDescription fields named `type` in the ASN.1 are called `attribute` here, because
 * `type` is the discriminant. Assertion values are bytes, as on the wire; a Filter built by hand
 * may give one as a string instead, which stands for its UTF-8 encoding (see FilterValue).
 */
/**
 * The deepest nesting of filters rxldap handles, whatever an option asks for. Parsing, decoding,
 * serialising, encoding and evaluating a filter all recurse once per level; measured on Node 20
 * with its default stack, the first of them to overflow (evaluating a chain of single-child
 * `&`) does so at about 2,850 levels from an empty stack. 512 leaves most of the stack to
 * whatever calls them, and is far beyond any filter a person or a program writes on purpose.
 * A deeper filter is refused with InvalidFilterError (ProtocolError when it arrives as BER)
 * instead of overflowing the stack with a RangeError.
 */
export const FILTER_DEPTH_LIMIT = 512;

/**
 * For the walks over a Filter object built by hand (parsed and decoded ones are bounded already):
 * `depth` counts the filter being entered as 1, as parseFilter's maxDepth does.
 */
export const checkFilterDepth = (depth: number, filter: Filter): void => {
  if (depth > FILTER_DEPTH_LIMIT) {
    throw new InvalidFilterError(String(filter.type), 0, `filter nested deeper than ${FILTER_DEPTH_LIMIT} levels`);
  }
};

export type Filter =
  | AndFilter
  | OrFilter
  | NotFilter
  | EqualityMatchFilter
  | SubstringsFilter
  | GreaterOrEqualFilter
  | LessOrEqualFilter
  | PresentFilter
  | ApproxMatchFilter
  | ExtensibleMatchFilter;

export interface AndFilter {
  type: 'and';
  filters: Filter[];
}
export interface OrFilter {
  type: 'or';
  filters: Filter[];
}
export interface NotFilter {
  type: 'not';
  filter: Filter;
}

/**
 * An assertion value: bytes, or a string that stands for its UTF-8 encoding (a lone surrogate
 * becomes U+FFFD, as Buffer.from does). Every consumer (filterToString, encodeFilter, evaluation)
 * reads both through filterValueBytes, so the string and the Buffer of its UTF-8 bytes always
 * give the same text, the same BER and the same result. parseFilter and the decoders always
 * produce Buffers.
 */
export type FilterValue = Buffer | string;

/** The bytes a FilterValue stands for (a plain Uint8Array, from untyped callers, is taken as bytes too). */
export const filterValueBytes = (value: FilterValue | Uint8Array): Buffer => {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (Buffer.isBuffer(value)) return value;
  // Reachable from JavaScript callers or loosely typed data: say what is wrong rather than print "undefined".
  if (!(value instanceof Uint8Array)) throw new TypeError(`a filter value must be a string or a Buffer, not ${value === null ? 'null' : typeof value}`);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
};

/** AttributeValueAssertion ::= SEQUENCE { attributeDesc, assertionValue } */
export interface AttributeValueAssertion {
  attributeDesc: string;
  assertionValue: FilterValue;
}
export interface EqualityMatchFilter extends AttributeValueAssertion {
  type: 'equalityMatch';
}
export interface GreaterOrEqualFilter extends AttributeValueAssertion {
  type: 'greaterOrEqual';
}
export interface LessOrEqualFilter extends AttributeValueAssertion {
  type: 'lessOrEqual';
}
export interface ApproxMatchFilter extends AttributeValueAssertion {
  type: 'approxMatch';
}

/** SubstringFilter: at least one of initial / any / final is present; `any` keeps its order. */
export interface SubstringsFilter {
  type: 'substrings';
  attribute: string;
  initial?: FilterValue;
  any: FilterValue[];
  final?: FilterValue;
}

export interface PresentFilter {
  type: 'present';
  attribute: string;
}

/** MatchingRuleAssertion: at least one of matchingRule / attribute is present. */
export interface ExtensibleMatchFilter {
  type: 'extensibleMatch';
  matchingRule?: string;
  attribute?: string;
  matchValue: FilterValue;
  dnAttributes: boolean;
}
