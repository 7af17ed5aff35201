/**
 * The shapes a parsed distinguished name is made of (RFC 4514 §2, RFC 4512 §2.3).
 *
 * They are readonly because a DN caches its text and normalised forms: changing a component in
 * place would make those caches lie. Build a new DN instead (`child`, `append`, `new DN(...)`).
 */

/**
 * One `type=value` pair. `type` is kept exactly as written (a descriptor such as `CN` or a numeric
 * OID such as `2.5.4.3`). `value` is the decoded string, or, when the DN spelled it as `#hex`, the
 * raw BER bytes — RFC 4514 §2.4 says those bytes are the value's encoding, and without a schema we
 * cannot know how to turn them into text.
 */
export interface AttributeTypeAndValue {
  readonly type: string;
  readonly value: string | Buffer;
}

/** A relative distinguished name: one or more pairs joined with `+` (an unordered set). */
export type RDN = readonly AttributeTypeAndValue[];
