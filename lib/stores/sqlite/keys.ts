/**
 * How SqliteSyncStore keys its rows: entryUUIDs as 16-byte BLOBs (half the index of their text,
 * and the consumer's UUIDs are always canonical), and DNs as a normalised key with the RDNs
 * reversed, so one entry's DN is an index look-up and a subtree is one index range.
 */
import { parseDN } from '../../dn';
import { normalizeRDN, normalizeType, normalizeValue } from '../../dn/normalize';
import { parseSingleRDN } from '../../dn/parse';
import { rdnToString } from '../../dn/serialize';

/**
 * The stored key of an entryUUID: a canonical (lower-case) UUID as its 16 bytes; any other
 * string as TEXT, which SQLite never equates with a BLOB, so the two kinds cannot collide.
 */
export const uuidKey = (entryUUID: string): Buffer | string => {
  // By hand, not a regular expression and a hex string: one per stored entry, it showed in a first sync's profile.
  if (entryUUID.length !== 36) return entryUUID;
  const key = Buffer.allocUnsafe(16);
  let at = 0;
  for (let i = 0; i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (entryUUID.charCodeAt(i) !== 0x2d) return entryUUID;
      i++;
      continue;
    }
    const high = hexDigit(entryUUID.charCodeAt(i));
    const low = hexDigit(entryUUID.charCodeAt(i + 1));
    if (high < 0 || low < 0) return entryUUID;
    key[at++] = (high << 4) | low;
    i += 2;
  }
  return key;
};

/**
 * Whether uuidKey makes a BLOB of this entryUUID (a canonical, lower-case UUID). For statements
 * that turn the text into the BLOB themselves (`unhex(replace(?, '-', ''))`), which costs the
 * main thread a check instead of a Buffer per stored entry.
 */
export const isCanonicalUUID = (entryUUID: string): boolean => {
  if (entryUUID.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = entryUUID.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 0x2d : hexDigit(c) < 0) return false;
  }
  return true;
};

/** A lower-case hex digit's value, or -1 (upper case is not canonical: such a UUID is kept as TEXT). */
const hexDigit = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** The entryUUID a stored key stands for. */
export const uuidFromKey = (key: Buffer | string): string => {
  if (typeof key === 'string') return key;
  const hex = key.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** Between two RDNs in a DN key; escaped where it would appear inside one. */
export const SEPARATOR = '\u0001';
/** The character after SEPARATOR: the end of a subtree's key range. */
export const SEPARATOR_END = '\u0002';

/** An RDN's normalised text with the characters a DN key reserves (NUL, SEPARATOR, SEPARATOR_END) escaped. */
const rdnText = (normalized: string): string =>
  normalized.includes('\u0000') || normalized.includes(SEPARATOR) || normalized.includes(SEPARATOR_END)
    ? normalized.replaceAll('\u0000', '\\00').replaceAll(SEPARATOR, '\\01').replaceAll(SEPARATOR_END, '\\02')
    : normalized;

const slowKey = (dn: string): string => {
  try {
    return parseDN(dn).normalize().rdns.map((rdn) => rdnText(rdnToString(rdn))).reverse().join(SEPARATOR);
  } catch {
    // Not a DN the parser takes (a server should never send one): kept, findable only by this exact text.
    return `${SEPARATOR_END}${dn}`;
  }
};

/** The first unescaped comma of RFC 4514 text; -1 when there is none, -2 when the text needs the full parser. */
const firstSeparator = (dn: string): number => {
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charCodeAt(i);
    if (c === 0x5c) i++; // backslash: the next character is escaped
    else if (c === 0x2c) return i;
    else if (c === 0x22 || c === 0x3b) return -2; // a quoted value or a ';' separator (RFC 1779 forms)
  }
  return -1;
};

/**
 * How the fast path keys an RDN of one attribute type: the type's normalised name, and whether
 * its values fold to lower case; null when the type's rule is neither (never seen: every rule
 * maps the characters of a plain value either to themselves or to lower case).
 */
interface PlainType {
  readonly name: string;
  readonly fold: boolean;
}

const plainTypes = new Map<string, PlainType | null>();
const PLAIN_TYPES_MAX = 1000;

/** A probe of every character class PLAIN_VALUE admits: what the type's rule makes of it tells the rule apart. */
const PROBE = 'Az09._@';

const plainType = (type: string): PlainType | null => {
  let known = plainTypes.get(type);
  if (known === undefined) {
    const value = normalizeValue(type, PROBE);
    known = value === PROBE ? { name: normalizeType(type), fold: false } : value === PROBE.toLowerCase() ? { name: normalizeType(type), fold: true } : null;
    if (plainTypes.size >= PLAIN_TYPES_MAX) plainTypes.clear();
    plainTypes.set(type, known);
  }
  return known;
};

/** A type name and a value of letters, digits, '.', '_' and '@' only: nothing to unescape, no spaces or hyphens a rule drops, nothing to escape. */
const PLAIN_RDN = /^([A-Za-z][A-Za-z0-9-]*)=([A-Za-z0-9._@]+)$/;

/**
 * One RDN's key. Most RDNs (`uid=jdoe`, `cn=host01`) are one type with a plain value, which
 * normalises to itself or its lower case: that is decided once per type, and the RDN costs a
 * regular expression instead of the parser, the matching rule's preparation and the escaper
 * (they were most of a first sync's dnKey time). Anything else takes the full way.
 */
const rdnKey = (rdn: string): string => {
  const [, typeText, value] = PLAIN_RDN.exec(rdn) ?? [];
  const type = typeText === undefined ? null : plainType(typeText);
  if (type === null || value === undefined) return rdnText(rdnToString(normalizeRDN(parseSingleRDN(rdn))));
  return `${type.name}=${type.fold ? value.toLowerCase() : value}`;
};

/**
 * DN keys of parents, by their text: a directory has few parents and many children, so most
 * keys cost one RDN's normalisation. Emptied when full (a crude bound, cheap to keep).
 */
const parents = new Map<string, string>();
const PARENTS_MAX = 10_000;

/**
 * The DN key: normalised RDNs (as DN.normalize() makes them: types by short name, values by
 * matching rule, multi-valued RDNs sorted) from the root down, joined by SEPARATOR. Equal DNs
 * have equal keys, and the keys below `k` are those starting with `k + SEPARATOR`.
 */
export const dnKey = (dn: string): string => {
  if (dn === '') return '';
  const comma = firstSeparator(dn);
  if (comma === -2) return slowKey(dn);
  if (comma === -1) {
    try {
      return rdnKey(dn);
    } catch {
      return slowKey(dn);
    }
  }
  const parentText = dn.slice(comma + 1);
  let parent = parents.get(parentText);
  if (parent === undefined) {
    parent = slowKey(parentText);
    if (parents.size >= PARENTS_MAX) parents.clear();
    parents.set(parentText, parent);
  }
  if (parent.startsWith(SEPARATOR_END)) return slowKey(dn);
  try {
    return `${parent}${SEPARATOR}${rdnKey(dn.slice(0, comma))}`;
  } catch {
    return slowKey(dn);
  }
};
