import { isUtf8 } from 'node:buffer';

/**
 * RFC 4518 string preparation, the one copy DN normalisation and filter evaluation share so that
 * a DN and a filter never disagree about whether two strings are equal. Done in the parts that
 * change results in practice: map (§2.2), optional case fold, NFKC (§2.3) and insignificant
 * character handling (§2.6). The prohibit and bidi steps are left out: a value they would reject
 * simply compares as written.
 */

/**
 * Which flavour of §2.6 applies, named after the equality rule family that uses it:
 * - caseIgnore: folded; leading/trailing spaces go, inner runs count as one (§2.6.1);
 * - caseExact: as caseIgnore without the fold;
 * - telephoneNumber: folded; every space and hyphen is insignificant (§2.6.3);
 * - numericString: not folded; every space is insignificant (§2.6.2).
 */
export type StringPrep = 'caseIgnore' | 'caseExact' | 'telephoneNumber' | 'numericString';

/** Where a prepared string sits, which decides which edge spaces §2.6.1 keeps. */
export type PrepPosition = 'value' | 'initial' | 'any' | 'final';

// §2.2 "mapped to nothing": soft hyphens, joiners, variation selectors, other Cc / Cf code points.
const MAP_TO_NOTHING =
  /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u034F\u06DD\u070F\u1806\u180B-\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2063\u206A-\u206F\uFE00-\uFE0F\uFEFF\uFFF9-\uFFFC\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]/gu;
// §2.2 "mapped to SPACE": tab, line breaks, NEL and every separator (Zs, Zl, Zp). Made on first
// use: V8 resolves a \p{…} class of a regular expression literal in ICU's tables when it parses
// the file, some 4 M instructions of every import, and only values that are not ASCII get here.
let mapToSpaceClass: RegExp | undefined;
const mapToSpace = (): RegExp => (mapToSpaceClass ??= new RegExp('[\\t\\n\\u000B\\f\\r\\u0085\\p{Zs}\\p{Zl}\\p{Zp}]', 'gu'));
// §2.6.3: the hyphens telephoneNumber matching ignores.
const HYPHENS = /[\u002D\u058A\u2010\u2011\u2212\uFE63\uFF0D]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const folds = (prep: StringPrep): boolean => prep === 'caseIgnore' || prep === 'telephoneNumber';

/**
 * Prepares `value` for comparison under `prep`. Insignificant spaces are trimmed and collapsed,
 * which compares the same as the RFC's "one space at each end, two between words" form; a
 * substring keeps a single space where it touches another part (an `initial` its trailing one, a
 * `final` its leading one, an `any` both), because there it may stand for the space between two
 * words of the value.
 *
 * Dropping spaces can bring a combining mark next to a letter it composes with (NFKC turns U+00A8
 * into a space and U+0308), so the steps repeat until nothing changes: a normalised form has to
 * be idempotent, or normalising twice would make equal values differ.
 */
export function prepareString(value: string, prep: StringPrep, position: PrepPosition = 'value'): string {
  // Printable ASCII, what almost every value holds, maps to itself, is already NFKC, and folds
  // with toLowerCase; skipping the Unicode passes makes preparing it several times faster.
  if (PRINTABLE_ASCII.test(value)) return insignificant(folds(prep) ? value.toLowerCase() : value, prep, position);
  let prepared = value;
  for (let round = 0; round < 4; round++) {
    const next = prepareOnce(prepared, prep, position);
    if (next === prepared) break;
    prepared = next;
  }
  return prepared;
}

/** As prepareString, for UTF-8 bytes; undefined when they are not UTF-8 and so not a string at all. */
export function prepareBytes(raw: Buffer, prep: StringPrep, position: PrepPosition = 'value'): string | undefined {
  return isUtf8(raw) ? prepareString(raw.toString('utf8'), prep, position) : undefined;
}

function prepareOnce(value: string, prep: StringPrep, position: PrepPosition): string {
  const mapped = value.replace(MAP_TO_NOTHING, '').replace(mapToSpace(), ' ');
  return insignificant(folds(prep) ? foldAndNormalize(mapped) : mapped.normalize('NFKC'), prep, position);
}

/** §2.6, on a mapped, folded and normalised string. */
function insignificant(value: string, prep: StringPrep, position: PrepPosition): string {
  switch (prep) {
    case 'caseIgnore':
    case 'caseExact': {
      let text = value.replace(/ {2,}/g, ' ');
      if (position === 'value' || position === 'initial') text = text.replace(/^ /, '');
      if (position === 'value' || position === 'final') text = text.replace(/ $/, '');
      return text;
    }
    case 'telephoneNumber':
      return value.replace(HYPHENS, '').replace(/ /g, '');
    case 'numericString':
      return value.replace(/ /g, '');
  }
}

/**
 * Full case folding approximated with the built-in case maps: lower, upper, lower takes ß, ẞ and
 * SS to "ss" like Unicode's CaseFolding.txt does, and is idempotent over every code point.
 * toLowerCase() picks final ς or σ for Σ by context, and removing spaces can change that
 * context, so ς is folded to σ as CaseFolding.txt does.
 */
export function caseFold(value: string): string {
  // ς and σ escaped: a non-ASCII regular expression would make the bundle a two-byte source (scripts/bundle.mjs).
  return value.toLowerCase().toUpperCase().toLowerCase().replace(/\u03c2/g, '\u03c3');
}

/**
 * RFC 4518 folds (§2.2) and then applies NFKC (§2.3). NFKC can produce upper-case letters (U+3392
 * becomes "MHz"), so, like Unicode's NFKC_Casefold, fold and normalise twice: that makes the
 * result idempotent, which a normalised form must be.
 */
function foldAndNormalize(value: string): string {
  return caseFold(caseFold(value).normalize('NFKC')).normalize('NFKC');
}
