/** Universal BER tags LDAP uses (X.690 §8), as single identifier octets. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  ENUMERATED: 0x0a,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Bit 6 of an identifier octet: set for constructed encodings. */
export const CONSTRUCTED = 0x20;
/** Class bits for [APPLICATION n] tags. */
export const APPLICATION = 0x40;
/** Class bits for [n] context-specific tags. */
export const CONTEXT = 0x80;

/** [APPLICATION n] primitive / constructed, and [n] context-specific primitive / constructed. */
export const appPrimitive = (n: number): number => APPLICATION | n;
export const appConstructed = (n: number): number => APPLICATION | CONSTRUCTED | n;
export const ctxPrimitive = (n: number): number => CONTEXT | n;
export const ctxConstructed = (n: number): number => CONTEXT | CONSTRUCTED | n;

/** Renders a tag octet for error messages, e.g. 0x04 → "0x04". */
export const formatTag = (tag: number): string => `0x${tag.toString(16).padStart(2, '0')}`;
