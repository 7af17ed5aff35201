/**
 * The normalised form of a DN, used for equality and ancestry: attribute types reduced to one
 * lower-case name, values prepared by their type's matching rule (RFC 4517, RFC 4518), and the
 * pairs of a multi-valued RDN sorted, because an RDN is a set (RFC 4512 §2.3.1).
 */
import { TextDecoder } from 'node:util';
import { BerReader } from '../ber';
import { lookupAttributeType, type MatchingRule } from './attribute-types';
import { atavToString } from './serialize';
import type { AttributeTypeAndValue, RDN } from './types';

/** Known types become their short name (2.5.4.3 and commonName → cn); others are lower-cased. */
export function normalizeType(type: string): string {
  return lookupAttributeType(type)?.name ?? type.toLowerCase();
}

/**
 * Prepares one value for comparison. For a known type a `#hex` value that BER-encodes a string
 * is decoded first, so `cn=#0c03666f6f` equals `cn=foo`; other Buffers are compared byte for byte
 * because without a schema their syntax is unknown.
 */
export function normalizeValue(type: string, value: string | Buffer): string | Buffer {
  const known = lookupAttributeType(type);
  if (Buffer.isBuffer(value)) {
    const decoded = known ? decodeBerString(value) : undefined;
    if (decoded === undefined) return value;
    value = decoded;
  }
  if (known) return prepare(value, known.rule);
  return PRINTABLE_ASCII.test(value) ? value.toLowerCase() : caseFold(value);
}

export function normalizeATAV(atav: AttributeTypeAndValue): AttributeTypeAndValue {
  return { type: normalizeType(atav.type), value: normalizeValue(atav.type, atav.value) };
}

/** Normalised pairs in a fixed order (code-unit order of their text), so equal sets serialise alike. */
export function normalizeRDN(rdn: RDN): RDN {
  const keyed = rdn.map((atav) => {
    const normal = normalizeATAV(atav);
    return { normal, key: atavToString(normal) };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.normal);
}

// RFC 4518 §2.2 (Map): characters mapped to nothing, and characters mapped to SPACE.
const MAPPED_TO_NOTHING =
  /[\u00AD\u1806\u034F\u180B-\u180D\uFE00-\uFE0F\uFFFC\u200B\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u06DD\u070F\u180E\u200C-\u200F\u202A-\u202E\u2060-\u2063\u206A-\u206F\uFEFF\uFFF9-\uFFFB\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]/gu;
const MAPPED_TO_SPACE = /[\t\n\v\f\r\u0085\p{Zs}\p{Zl}\p{Zp}]/gu;
// RFC 4518 §2.6.3: the hyphens telephoneNumber matching ignores.
const HYPHENS = /[\u002D\u058A\u2010\u2011\u2212\uFE63\uFF0D]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * RFC 4518 string preparation for `rule` (the prohibit and bidi steps are not applied).
 *
 * Dropping spaces can bring a combining mark next to a letter it composes with (NFKC turns U+00A8
 * into a space and U+0308), so the steps are repeated until nothing changes: a normalised form
 * has to be idempotent, or normalising twice would make equal DNs differ.
 */
export function prepare(value: string, rule: MatchingRule): string {
  // Printable ASCII, what almost every DN holds, maps to itself, is already NFKC, and folds with
  // toLowerCase; skipping the Unicode passes makes normalising such values several times faster.
  if (PRINTABLE_ASCII.test(value)) return insignificant(rule === 'numericString' ? value : value.toLowerCase(), rule);
  let prepared = value;
  for (let round = 0; round < 4; round++) {
    const next = prepareOnce(prepared, rule);
    if (next === prepared) break;
    prepared = next;
  }
  return prepared;
}

function prepareOnce(value: string, rule: MatchingRule): string {
  const mapped = value.replace(MAPPED_TO_NOTHING, '').replace(MAPPED_TO_SPACE, ' ');
  return insignificant(rule === 'numericString' ? mapped.normalize('NFKC') : foldAndNormalize(mapped), rule);
}

/** RFC 4518 §2.6: insignificant character handling, on a mapped, folded and normalised string. */
function insignificant(value: string, rule: MatchingRule): string {
  switch (rule) {
    case 'caseIgnore':
      // §2.6.1 for equality: leading and trailing spaces go, inner runs count as one.
      return value.replace(/ {2,}/g, ' ').replace(/^ | $/g, '');
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
function caseFold(value: string): string {
  return value.toLowerCase().toUpperCase().toLowerCase().replace(/ς/g, 'σ');
}

/**
 * RFC 4518 folds (§2.2) and then applies NFKC (§2.3). NFKC can produce upper-case letters (U+3392
 * becomes "MHz"), so, like Unicode's NFKC_Casefold, fold and normalise twice: that makes the
 * result idempotent, which a normalised form must be.
 */
function foldAndNormalize(value: string): string {
  return caseFold(caseFold(value).normalize('NFKC')).normalize('NFKC');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The text of a BER string value (the universal string types X.520 DirectoryString and its
 * relatives use), or undefined when the bytes are anything else or malformed.
 */
function decodeBerString(ber: Buffer): string | undefined {
  const reader = new BerReader(ber);
  const tag = reader.peekTag();
  let contents: Buffer;
  try {
    contents = reader.readOctetString(tag);
    reader.expectEnd();
  } catch {
    return undefined;
  }
  let text: string;
  switch (tag) {
    case 0x0c: // UTF8String
      try {
        text = UTF8.decode(contents);
      } catch {
        return undefined;
      }
      break;
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x16: // IA5String
      if (contents.some((b) => b > 0x7f)) return undefined;
      text = contents.toString('latin1');
      break;
    case 0x1e: // BMPString: UCS-2, big-endian
      if (contents.length % 2 !== 0) return undefined;
      text = Buffer.from(contents).swap16().toString('utf16le');
      if (LONE_SURROGATE.test(text)) return undefined;
      break;
    default:
      return undefined;
  }
  return text;
}
