import { isUtf8 } from 'node:buffer';
import { compareCodePoints, prepareBytes, prepareString, type PrepPosition } from '../matching';
import { equality, ordering, substrings, type MatchingRule } from './matching-rules';

/**
 * The string rules of the types the shared attribute table names beyond plain directory strings:
 * numericString (x121Address, internationaliSDNNumber) and caseIgnoreList (postalAddress).
 */

/** NumericString (RFC 4517 §3.3.23) is digits and spaces; spaces are insignificant (RFC 4518 §2.6.2). */
const numeric = (value: Buffer, position: PrepPosition = 'value'): string | undefined => {
  const prepared = prepareBytes(value, 'numericString', position);
  return prepared !== undefined && /^[0-9]*$/.test(prepared) ? prepared : undefined;
};

// Prepared lines never hold U+0000 (RFC 4518 maps it to nothing), so it can join them without a
// substring assertion part ever matching across two lines, as caseIgnoreListSubstringsMatch requires.
const LINE_JOIN = '\u0000';

/** PostalAddress (RFC 4517 §3.3.28): lines separated by `$`, with `\24` and `\5C` for literal ones. */
const postalLines = (value: Buffer): string | undefined => {
  if (!isUtf8(value)) return undefined;
  return value
    .toString('utf8')
    .split('$')
    .map((line) => prepareString(line.replace(/\\(24|5c)/gi, (_, hex: string) => (hex === '24' ? '$' : '\\')), 'caseIgnore'))
    .join(LINE_JOIN);
};

export const LIST_AND_NUMERIC_RULES: readonly MatchingRule[] = [
  equality('2.5.13.8', ['numericStringMatch'], numeric),
  ordering('2.5.13.9', ['numericStringOrderingMatch'], numeric, compareCodePoints),
  substrings('2.5.13.10', ['numericStringSubstringsMatch'], numeric),
  equality('2.5.13.11', ['caseIgnoreListMatch'], postalLines),
  // A whole value is its lines; an assertion part is one plain string (RFC 4517 §4.2.12).
  substrings('2.5.13.12', ['caseIgnoreListSubstringsMatch'], (value, position) =>
    position === 'value' ? postalLines(value) : prepareBytes(value, 'caseIgnore', position)),
];
