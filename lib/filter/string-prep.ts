import { isUtf8 } from 'node:buffer';

/**
 * RFC 4518 string preparation for the directory-string matching rules, in the parts that change
 * results in practice: map (controls and joiners removed, every kind of space and line break made
 * a SPACE), optional case folding, NFKC, and insignificant space handling. The prohibit and
 * bidi steps are left out: a value they would reject simply compares as written.
 */

// §2.2 "mapped to nothing": soft hyphens, joiners, variation selectors, other Cc / Cf code points.
const MAP_TO_NOTHING =
  /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u034F\u06DD\u070F\u1806\u180B-\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2063\u206A-\u206F\uFE00-\uFE0F\uFEFF\uFFF9-\uFFFC\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]/gu;
// §2.2 "mapped to SPACE": tab, line breaks, NEL and every separator (Zs, Zl, Zp).
const MAP_TO_SPACE = /[\t\n\u000B\f\r\u0085\p{Zs}\p{Zl}\p{Zp}]/gu;
const SPACES = / +/g;

/** Where a prepared string sits, which decides what insignificant space handling keeps. */
export type PrepPosition = 'value' | 'initial' | 'any' | 'final';

/**
 * Prepares a value (UTF-8 bytes) for comparison, or returns undefined when the bytes are not
 * UTF-8 and so not a directory string at all.
 *
 * Insignificant spaces (§2.6.1), expressed as trimming and collapsing, which compares the same
 * as the RFC's "one space at each end, two between words" form:
 * - a whole value is trimmed and its runs of spaces collapsed to one;
 * - a substring keeps a single space where it touches another part (an `initial` keeps its
 *   trailing space, a `final` its leading one, an `any` both), because there it may stand for
 *   the space between two words of the value.
 */
export const prepareString = (raw: Buffer, caseFold: boolean, position: PrepPosition = 'value'): string | undefined => {
  if (!isUtf8(raw)) return undefined;
  let text = raw.toString('utf8').replace(MAP_TO_NOTHING, '').replace(MAP_TO_SPACE, ' ');
  // Upper- then lower-casing folds more than toLowerCase alone: 'ß' → 'SS' → 'ss', 'ς' → 'Σ' → 'σ'.
  if (caseFold) text = text.normalize('NFKC').toUpperCase().toLowerCase();
  text = text.normalize('NFKC').replace(SPACES, ' ');
  if (position === 'value' || position === 'initial') text = text.replace(/^ /, '');
  if (position === 'value' || position === 'final') text = text.replace(/ $/, '');
  return text;
};

/** Compares two strings by code point (UTF-16 `<` misorders astral characters against U+E000–U+FFFF). */
export const compareCodePoints = (a: string, b: string): number => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
};

/**
 * Whether `value` holds initial, then each `any` in order without overlap, then final. Taking the
 * leftmost occurrence of each `any` is always safe: it leaves the most room for the rest.
 */
export const matchSubstrings = (value: string, initial: string | undefined, any: readonly string[], final: string | undefined): boolean => {
  let from = 0;
  let to = value.length;
  if (initial !== undefined) {
    if (!value.startsWith(initial)) return false;
    from = initial.length;
  }
  if (final !== undefined) {
    if (value.length - final.length < from || !value.endsWith(final)) return false;
    to = value.length - final.length;
  }
  for (const part of any) {
    const at = value.indexOf(part, from);
    if (at < 0 || at + part.length > to) return false;
    from = at + part.length;
  }
  return true;
};
