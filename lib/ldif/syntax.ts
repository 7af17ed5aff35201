/**
 * RFC 2849's character classes and the names it allows, for the reader (which checks what it
 * reads) and the writer (which checks what it is given, so that no name can break a line).
 */

export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const COLON = 0x3a;
export const LESS_THAN = 0x3c;
export const HASH = 0x23;
export const SEMICOLON = 0x3b;
export const DASH = 0x2d;
export const DOT = 0x2e;

const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** attr-type-chars and opt-char: ALPHA / DIGIT / "-". */
const isKeyChar = (c: number): boolean => isAlpha(c) || isDigit(c) || c === DASH;

/**
 * Where an AttributeDescription (`AttributeType *(";" option)`, the type a descriptor or a
 * numeric OID) in `bytes[start, end)` stops being one: `end` when all of it is valid, else the
 * offset of the first byte that breaks it (for an error's column).
 */
export const attributeDescriptionEnd = (bytes: Uint8Array, start: number, end: number): number => {
  if (start >= end) return start;
  let i = start;
  const first = bytes[i]!;
  if (isAlpha(first)) {
    i++;
    while (i < end && isKeyChar(bytes[i]!)) i++;
  } else if (isDigit(first)) {
    i = numericOidEnd(bytes, start, end);
    if (i < end && bytes[i] !== SEMICOLON) return i;
  } else {
    return i;
  }
  while (i < end) {
    if (bytes[i] !== SEMICOLON) return i;
    i++;
    const optionStart = i;
    while (i < end && isKeyChar(bytes[i]!)) i++;
    // An empty option: the description ends before its ';'.
    if (i === optionStart) return optionStart - 1;
  }
  return i;
};

/** Where a numericoid (`number 1*("." number)`, or a lone number) in `bytes[start, end)` ends. */
export const numericOidEnd = (bytes: Uint8Array, start: number, end: number): number => {
  let i = start;
  for (;;) {
    const numberStart = i;
    while (i < end && isDigit(bytes[i]!)) i++;
    if (i === numberStart) return numberStart === start ? start : numberStart - 1;
    if (i < end && bytes[i] === DOT && i + 1 < end && isDigit(bytes[i + 1]!)) {
      i++;
      continue;
    }
    return i;
  }
};

const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)(?:;[A-Za-z0-9-]+)*$/;
const NUMERIC_OID = /^[0-9]+(?:\.[0-9]+)*$/;

export const isAttributeDescription = (name: string): boolean => ATTRIBUTE_DESCRIPTION.test(name);
export const isNumericOid = (oid: string): boolean => NUMERIC_OID.test(oid);

/**
 * SAFE-STRING (RFC 2849): no NUL, LF or CR, nothing above 0x7F, and not starting with a space,
 * ':' or '<'. The RFC adds that a value ending in a space SHOULD be base64-encoded, and the
 * writer does so: a reader that trims trailing spaces would lose it otherwise.
 */
export const isSafeBytes = (bytes: Uint8Array): boolean => {
  const length = bytes.length;
  if (length === 0) return true;
  const first = bytes[0]!;
  if (first === SPACE || first === COLON || first === LESS_THAN) return false;
  if (bytes[length - 1] === SPACE) return false;
  for (let i = 0; i < length; i++) {
    const c = bytes[i]!;
    if (c === 0 || c === LF || c === CR || c > 0x7f) return false;
  }
  return true;
};

export const isSafeText = (text: string): boolean => {
  const length = text.length;
  if (length === 0) return true;
  const first = text.charCodeAt(0);
  if (first === SPACE || first === COLON || first === LESS_THAN) return false;
  if (text.charCodeAt(length - 1) === SPACE) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || c === LF || c === CR || c > 0x7f) return false;
  }
  return true;
};

/**
 * What OpenLDAP's ldapsearch writes as plain text (libldap's ldif_put_wrap): printable ASCII
 * only (0x20–0x7E), beginning and ending with a visible character other than ':' and '<'; so
 * also tabs, other controls and DEL are base64, which SAFE-STRING would allow plain.
 */
export const isPrintableBytes = (bytes: Uint8Array): boolean => {
  const length = bytes.length;
  if (length === 0) return true;
  const first = bytes[0]!;
  if (first <= SPACE || first >= 0x7f || first === COLON || first === LESS_THAN) return false;
  const last = bytes[length - 1]!;
  if (last <= SPACE || last >= 0x7f) return false;
  for (let i = 1; i < length - 1; i++) {
    const c = bytes[i]!;
    if (c < SPACE || c >= 0x7f) return false;
  }
  return true;
};

export const isPrintableText = (text: string): boolean => {
  const length = text.length;
  if (length === 0) return true;
  const first = text.charCodeAt(0);
  if (first <= SPACE || first >= 0x7f || first === COLON || first === LESS_THAN) return false;
  const last = text.charCodeAt(length - 1);
  if (last <= SPACE || last >= 0x7f) return false;
  for (let i = 1; i < length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c < SPACE || c >= 0x7f) return false;
  }
  return true;
};
