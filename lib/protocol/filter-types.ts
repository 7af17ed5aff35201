/**
 * RFC 4511 §4.5.1.7 Filter as a discriminated union. Field names follow the ASN.1, except that
 * AttributeDescription fields named `type` in the ASN.1 are called `attribute` here, because
 * `type` is the discriminant. Assertion values are bytes, as on the wire.
 */
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

/** AttributeValueAssertion ::= SEQUENCE { attributeDesc, assertionValue } */
export interface AttributeValueAssertion {
  attributeDesc: string;
  assertionValue: Buffer;
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
  initial?: Buffer;
  any: Buffer[];
  final?: Buffer;
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
  matchValue: Buffer;
  dnAttributes: boolean;
}
