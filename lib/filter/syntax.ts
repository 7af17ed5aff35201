/**
 * The small pieces of RFC 4512 §1.4 grammar that filters share: attribute descriptions
 * (`cn`, `cn;lang-en`, `2.5.4.3`) and object identifiers (`caseExactMatch`, `2.5.13.5`).
 * The parser, the serialiser and the OID-syntax matching rule all check names with these,
 * so a name that one of them accepts the others accept too.
 */

/** A problem found in a name: where (relative to the start of the name) and what. */
export interface NameProblem {
  offset: number;
  reason: string;
}

const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** keychar = ALPHA / DIGIT / HYPHEN */
export const isKeychar = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 0x2d;

/**
 * Checks `oid = descr / numericoid` in text[start, end). descr = ALPHA *keychar;
 * numericoid = number 1*( DOT number ), and a number has no leading zero.
 */
export const checkOid = (text: string, start: number, end: number): NameProblem | undefined => {
  if (start >= end) return { offset: 0, reason: 'name expected' };
  const first = text.charCodeAt(start);
  if (isAlpha(first)) {
    for (let i = start + 1; i < end; i++) {
      if (!isKeychar(text.charCodeAt(i))) return { offset: i - start, reason: `unexpected ${JSON.stringify(text[i])} in a name` };
    }
    return undefined;
  }
  if (!isDigit(first)) return { offset: 0, reason: 'a name must start with a letter or a digit' };
  let arcs = 0;
  let i = start;
  for (;;) {
    const arcStart = i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    if (i === arcStart) return { offset: i - start, reason: 'digit expected in numeric OID' };
    if (text.charCodeAt(arcStart) === 0x30 && i - arcStart > 1) {
      return { offset: arcStart - start, reason: 'numeric OID arc has a leading zero' };
    }
    arcs++;
    if (i === end) break;
    if (text.charCodeAt(i) !== 0x2e) return { offset: i - start, reason: `unexpected ${JSON.stringify(text[i])} in numeric OID` };
    i++;
  }
  if (arcs < 2) return { offset: end - start, reason: 'numeric OID needs at least two arcs' };
  return undefined;
};

/** Checks `attributedescription = attributetype options; options = *( SEMI option ); option = 1*keychar`. */
export const checkAttributeDescription = (text: string, start: number, end: number): NameProblem | undefined => {
  let typeEnd = text.indexOf(';', start);
  if (typeEnd < 0 || typeEnd > end) typeEnd = end;
  const typeProblem = checkOid(text, start, typeEnd);
  if (typeProblem !== undefined) return typeProblem;
  let i = typeEnd;
  while (i < end) {
    // text[i] is ';' here
    const optionStart = ++i;
    while (i < end && isKeychar(text.charCodeAt(i))) i++;
    if (i === optionStart) return { offset: i - start, reason: 'empty attribute option' };
    if (i < end && text.charCodeAt(i) !== 0x3b) {
      return { offset: i - start, reason: `unexpected ${JSON.stringify(text[i])} in an attribute option` };
    }
  }
  return undefined;
};

/** The characters that can appear in an attribute description or an OID (letters, digits, '-', '.', ';'). */
export const isNameChar = (c: number): boolean => isKeychar(c) || c === 0x2e || c === 0x3b;

export const isValidOid = (text: string): boolean => checkOid(text, 0, text.length) === undefined;
export const isValidAttributeDescription = (text: string): boolean =>
  checkAttributeDescription(text, 0, text.length) === undefined;
