/**
 * The normalised form of a DN, used for equality and ancestry: attribute types reduced to one
 * lower-case name, values prepared by their type's matching rule (RFC 4517, RFC 4518; the table
 * and the preparation live in lib/matching, shared with filter evaluation), and the pairs of a
 * multi-valued RDN sorted, because an RDN is a set (RFC 4512 §2.3.1).
 */
import { TextDecoder } from 'node:util';
import { BerReader } from '../ber';
import { caseFold, lookupAttributeType, prepareString, stringPrepOf } from '../matching';
import { atavToString } from './serialize';
import type { AttributeTypeAndValue, RDN } from './types';

/** Known types become their short name (2.5.4.3 and commonName → cn); others are lower-cased. */
export function normalizeType(type: string): string {
  return lookupAttributeType(type)?.name ?? type.toLowerCase();
}

/**
 * Prepares one value for comparison. A type whose equality rule is a string rule is prepared by
 * that rule, and a `#hex` value that BER-encodes a string is decoded first, so `cn=#0c03666f6f`
 * equals `cn=foo`. Any other type compares case-insensitively, and its Buffers byte for byte,
 * because without a schema (or with a non-string rule such as distinguishedNameMatch) that is
 * the only comparison that cannot equate different values.
 */
export function normalizeValue(type: string, value: string | Buffer): string | Buffer {
  const prep = stringPrepOf(lookupAttributeType(type)?.equality);
  if (Buffer.isBuffer(value)) {
    const decoded = prep ? decodeBerString(value) : undefined;
    if (decoded === undefined) return value;
    value = decoded;
  }
  if (prep) return prepareString(value, prep);
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

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

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
