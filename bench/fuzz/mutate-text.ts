/**
 * Mutations of string inputs (DNs, filters, URLs): the grammar's own special characters, escapes
 * that decode to invalid UTF-8, random Unicode including lone surrogates and controls, deletions,
 * repeats (very long and very deep inputs), and splices of two seeds.
 */
import type { Rng } from './prng';

/** What a grammar finds special, and how it escapes a byte and nests. */
export interface TextGrammar {
  /** Characters with a meaning in the grammar. */
  specials: readonly string[];
  /** Writes one byte escaped: `\\xx` for DNs and filters, `%xx` for URLs. */
  escapeByte: (byte: number) => string;
  /** Wraps text in `depth` levels of the grammar's nesting. */
  nest: (text: string, depth: number, rng: Rng) => string;
}

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, too long, cut. */
const BAD_UTF8 = [[0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xff], [0xfe], [0xe2, 0x82], [0xf0, 0x9f, 0x98]];
const GOOD_UTF8 = [[0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0x00], [0x20], [0x5c], [0x2c]];
/** Code points parsers mishandle: NUL, controls, BOM, RTL marks, combining marks, surrogates, astral. */
const ODD_CHARS = [
  '\u0000', '\u0001', '\t', '\n', '\r', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u0300', '\u034f', '\u0627', '\u05d0', '\u200b', '\u200d', '\u200e', '\u202e',
  '\u2028', '\u3000', '\ufeff', '\ufffd', '\uffff', '\ud800', '\udc00', '\ud83d\ude00', '\udbff\udfff', '\u212b', '\u0130', 'ß', 'İ', 'ﬃ',
];
const DEPTHS = [2, 16, 31, 32, 33, 64, 100];
const HUGE_DEPTHS = [1000, 10000];
const REPEATS = [2, 3, 10, 100];

/** Huge sizes are rare: they cost a thousand small inputs each and seldom find more. */
const size = (rng: Rng, usual: readonly number[], huge: readonly number[]): number => (rng.chance(1, 32) ? rng.pick(huge) : rng.pick(usual));

const randomChar = (rng: Rng): string => {
  switch (rng.below(4)) {
    case 0:
      return String.fromCharCode(rng.between(0x20, 0x7e));
    case 1:
      return rng.pick(ODD_CHARS);
    case 2:
      return String.fromCharCode(rng.below(0x10000));
    default:
      return String.fromCodePoint(rng.below(0x110000));
  }
};

const escapedBytes = (rng: Rng, grammar: TextGrammar): string => {
  const bytes = rng.chance(2, 3) ? rng.pick(BAD_UTF8) : rng.pick(GOOD_UTF8);
  let text = '';
  for (const byte of bytes) text += grammar.escapeByte(byte);
  // A cut escape: one hex digit, or none.
  if (rng.chance(1, 8)) text = text.slice(0, text.length - rng.between(1, 2));
  return text;
};

const insertAt = (text: string, at: number, piece: string): string => text.slice(0, at) + piece + text.slice(at);

/** One mutated input; `other` is a second seed to splice with. */
export const mutateText = (rng: Rng, seed: string, other: string, grammar: TextGrammar): string => {
  if (rng.chance(1, 16)) return seed;
  let text = seed;
  const rounds = rng.between(1, 4);
  for (let round = 0; round < rounds; round++) {
    const at = rng.below(text.length + 1);
    switch (rng.below(10)) {
      case 0:
      case 1:
        text = insertAt(text, at, rng.pick(grammar.specials));
        break;
      case 2:
        text = insertAt(text, at, randomChar(rng));
        break;
      case 3:
        text = insertAt(text, at, escapedBytes(rng, grammar));
        break;
      case 4:
        text = text.slice(0, at) + text.slice(at + rng.between(1, 8));
        break;
      case 5: {
        // Repeat a piece: long values, many RDNs or filter items, runs of separators.
        const piece = text.slice(at, at + rng.smallish(24));
        text = insertAt(text, at, piece.repeat(size(rng, REPEATS, [1000])));
        break;
      }
      case 6:
        text = text.slice(0, at) + other.slice(rng.below(other.length + 1));
        break;
      case 7:
        text = grammar.nest(text, size(rng, DEPTHS, HUGE_DEPTHS), rng);
        break;
      case 8:
        text = text.slice(0, at);
        break;
      default: {
        // Flip the case of one character: keywords and hex digits are case-insensitive, values are not.
        const c = text.charAt(at);
        text = text.slice(0, at) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + text.slice(at + 1);
      }
    }
  }
  return text;
};
