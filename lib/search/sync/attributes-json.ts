/**
 * The JSON text the stores hold for an entry received undecoded (the consumer's own sync),
 * written straight from the BER of its attribute list: the text
 * `JSON.stringify(undecodedEntryAttributes(entry, binary))` gives, without making a string per
 * value, an array per attribute and the object, only for JSON.stringify to walk them again.
 * On a first sync of a million entries that nobody reads (the SQLite store's case) building
 * and serialising those objects was a quarter of the consumer's CPU.
 *
 * How: the value bytes are copied into a scratch buffer between the JSON punctuation, escaped
 * where JSON.stringify escapes ('"', '\\', control characters), and the buffer is read as one
 * string. Bytes above 0x7F are copied as they are and the whole text decoded as UTF-8 once, which
 * turns invalid UTF-8 into U+FFFD exactly as decoding the value alone does: every value is
 * followed by its closing '"', so no sequence runs from one value into the next. Pure ASCII (the
 * usual directory) is read as latin1, a copy. What JSON.stringify would order differently or
 * merge (a type repeated in another case, a name that is an array index) takes the exact path.
 */
import { octetAt } from '../../ber/octet-at';
import type { UndecodedEntry } from '../../protocol/undecoded-entry';
import { UsualAttributeCursor } from '../../protocol/usual-attributes';
import { describe, descriptionCache, descriptionCacheClears, undecodedEntryAttributes } from './attributes';
import type { Description } from './attributes';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** JSON.stringify's escape of each control character (0x00-0x1F): `\n` and friends, else `\u00xx`. */
const CONTROL_ESCAPES: readonly Buffer[] = Array.from({ length: 0x20 }, (_, code) => Buffer.from(JSON.stringify(String.fromCharCode(code)).slice(1, -1), 'latin1'));

const NO_ESCAPE = Buffer.alloc(0);

/** The buffer entries are written into, kept between entries up to this size. */
const SCRATCH_KEEP = 1 << 20;
let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * Every input octet makes at most six of output (a control character's `\u00xx`; a value's
 * two header octets its quotes and comma, an attribute's headers its name's punctuation), so a
 * buffer of six times the list, and the braces, cannot overflow.
 */
const bufferFor = (listLength: number): Buffer => {
  const needed = listLength * 6 + 2;
  if (needed <= scratch.length) return scratch;
  const buffer = Buffer.allocUnsafe(needed);
  if (needed <= SCRATCH_KEEP) scratch = buffer;
  return buffer;
};

/** The exact path, for what the fast one does not write (see the top). */
const exactly = (entry: UndecodedEntry, binary: ReadonlySet<string>): string => JSON.stringify(undecodedEntryAttributes(entry, binary));

/**
 * The previous entries' descriptions by position: a server sends the attributes of its entries
 * in the same order, so the description of the type at each position is usually known without
 * looking it up (a Map look-up per attribute was a sixth of the writer). Valid for one binary
 * set and one generation of its description cache. Only the first LAYOUT_MAX positions are
 * remembered: an entry of thousands of attributes must not leave arrays that long behind.
 */
const LAYOUT_MAX = 64;
let layoutTypes: string[] = [];
let layoutDescriptions: Description[] = [];
let layoutBinary: ReadonlySet<string> | undefined;
let layoutClears = -1;
/** Numbers the entries written, so a type's KeySlot tells whether this entry wrote it already. */
let entries = 0;

/** The JSON text of `undecodedEntryAttributes(entry, binary)`, character for character. */
export const undecodedAttributesJson = (entry: UndecodedEntry, binary: ReadonlySet<string>): string => {
  const clears = descriptionCacheClears();
  if (binary !== layoutBinary || clears !== layoutClears) {
    layoutTypes = [];
    layoutDescriptions = [];
    layoutBinary = binary;
    layoutClears = clears;
  }
  const stamp = ++entries;
  const cursor = new UsualAttributeCursor(entry.buffer, entry.start, entry.end);
  const source = cursor.buffer;
  const out = bufferFor(entry.end - entry.start);
  let index = 0;
  let at = 0;
  let high = 0; // the OR of every octet written: bit 7 set when the text is not ASCII
  out[at++] = 0x7b; // {
  while (cursor.next()) {
    const type = cursor.type;
    let description = layoutTypes[index] === type ? layoutDescriptions[index] : undefined;
    if (description === undefined) {
      description = describe(type, binary, descriptionCache(binary));
      // A cache emptied now gave this entry's earlier types slots of the previous generation.
      if (descriptionCacheClears() !== clears) return exactly(entry, binary);
      if (index < LAYOUT_MAX) {
        layoutTypes[index] = type;
        layoutDescriptions[index] = description;
      }
    }
    const { base64, json, slot } = description;
    if (json === undefined || slot.entry === stamp) return exactly(entry, binary); // an index name, or a repeated type
    slot.entry = stamp;
    if (index++ > 0) out[at++] = COMMA;
    for (let i = 0; i < json.length; i++) {
      const octet = json[i] ?? 0; // i < json.length
      high |= octet;
      out[at++] = octet;
    }
    let first = true;
    while (cursor.nextValue()) {
      if (first) first = false;
      else out[at++] = COMMA;
      out[at++] = QUOTE;
      const to = cursor.to;
      if (base64) at += out.write(source.toString('base64', cursor.from, to), at, 'latin1');
      else {
        for (let i = cursor.from; i < to; i++) {
          const octet = source[i] ?? 0; // inside the list checked on receipt; octetAt cost a fifth of the loop
          if (octet >= 0x20 && octet !== QUOTE && octet !== BACKSLASH) {
            high |= octet;
            out[at++] = octet;
          } else if (octet >= 0x20) {
            out[at++] = BACKSLASH;
            out[at++] = octet;
          } else {
            const escape = CONTROL_ESCAPES[octet] ?? NO_ESCAPE; // octet < 0x20: there is one
            for (let e = 0; e < escape.length; e++) out[at++] = octetAt(escape, e);
          }
        }
      }
      out[at++] = QUOTE;
    }
    out[at++] = 0x5d; // ]
  }
  out[at++] = 0x7d; // }
  return (high & 0x80) === 0 ? out.toString('latin1', 0, at) : out.toString('utf8', 0, at);
};
