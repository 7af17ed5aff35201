import { SaslPrepError } from '../errors';
import { lCat, prohibitedOutput, randAlCat, unassigned } from './stringprep-tables';

/**
 * SASLprep (RFC 4013): the stringprep profile for user names and passwords. Every step is done:
 * mapping (§2.1), NFKC (§2.2), the prohibited output of §2.3 (RFC 3454 C.1.2, C.2.1, C.2.2,
 * C.3–C.9), the bidirectional rule (§2.4, RFC 3454 §6) and, for stored strings, unassigned code
 * points (§2.5, RFC 3454 §7). The tables are Unicode 3.2's (stringprep-tables.ts).
 *
 * One approximation remains: String.prototype.normalize uses the runtime's Unicode, not 3.2.
 * NFKC differs between them only for characters unassigned in 3.2, which a stored string
 * refuses anyway and a query string rarely holds.
 */

export interface SaslPrepOptions {
  /**
   * RFC 3454 §7: a stored string (one a server keeps, a password being set) must not contain
   * code points unassigned in Unicode 3.2; a query string (one being checked, as a SCRAM client
   * sends) may. Default false: a query.
   */
  storedString?: boolean;
}

// RFC 3454 C.1.2, non-ASCII spaces: mapped to U+0020 (RFC 4013 §2.1). U+200B is in both C.1.2
// and B.1; it is mapped to a space like the other C.1.2 characters, as common implementations do.
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g;
// RFC 3454 B.1, commonly mapped to nothing.
const MAPPED_TO_NOTHING = /[\u00ad\u034f\u1806\u180b-\u180d\u200c\u200d\u2060\ufe00-\ufe0f\ufeff]/g;
// A /u class sees a paired surrogate as one code point, so this is only the unpaired ones.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * RFC 4013 SASLprep of `text`. `what` names the field in the error, which never quotes the
 * text itself: it may be a password. Throws SaslPrepError.
 */
export const saslPrep = (text: string, what = 'string', options: SaslPrepOptions = {}): string => {
  // Printable ASCII maps to itself, is NFKC, prohibited nowhere, and is all LCat or neutral.
  if (PRINTABLE_ASCII.test(text)) return text;
  if (LONE_SURROGATE.test(text)) throw new SaslPrepError('prohibited', `SASLprep: the ${what} contains a lone surrogate (RFC 3454 C.5)`);
  if (options.storedString === true && unassigned().test(text)) {
    throw new SaslPrepError('unassigned', `SASLprep: the ${what} contains a code point unassigned in Unicode 3.2 (RFC 3454 A.1), which a stored string may not`);
  }
  const prepared = text.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
  if (prohibitedOutput().test(prepared)) {
    throw new SaslPrepError('prohibited', `SASLprep: the ${what} contains a prohibited character (RFC 4013 §2.3: control, private use, non-character, surrogate, tagging, or a display or bidi control)`);
  }
  checkBidi(prepared, what);
  return prepared;
};

/**
 * RFC 3454 §6: a string with any right-to-left character (D.1) holds no left-to-right one
 * (D.2), and starts and ends with a right-to-left character. ("\u0627\u0031", Arabic alef then
 * a digit, ends with a neutral and is refused; "\u0627\u0031\u0628" passes.)
 */
const checkBidi = (prepared: string, what: string): void => {
  if (!randAlCat().test(prepared)) return;
  const codePoints = [...prepared];
  if (lCat().test(prepared)) throw new SaslPrepError('bidi', `SASLprep: the ${what} mixes right-to-left and left-to-right characters (RFC 3454 §6)`);
  if (!randAlCat().test(codePoints.at(0) ?? '') || !randAlCat().test(codePoints.at(-1) ?? '')) {
    throw new SaslPrepError('bidi', `SASLprep: the ${what} holds right-to-left characters but does not start and end with one (RFC 3454 §6)`);
  }
};
