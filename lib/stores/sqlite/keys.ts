/**
 * How SqliteSyncStore keys its rows: entryUUIDs as 16-byte BLOBs (half the index of their text,
 * and the consumer's UUIDs are always canonical), and DNs as a normalised key with the RDNs
 * reversed, so one entry's DN is an index look-up and a subtree is one index range.
 */
import { parseDN } from '../../dn';
import { normalizeRDN } from '../../dn/normalize';
import { parseSingleRDN } from '../../dn/parse';
import { rdnToString } from '../../dn/serialize';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The stored key of an entryUUID: a canonical (lower-case) UUID as its 16 bytes; any other
 * string as TEXT, which SQLite never equates with a BLOB, so the two kinds cannot collide.
 */
export const uuidKey = (entryUUID: string): Buffer | string =>
  CANONICAL_UUID.test(entryUUID) ? Buffer.from(entryUUID.replace(/-/g, ''), 'hex') : entryUUID;

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
      return rdnText(rdnToString(normalizeRDN(parseSingleRDN(dn))));
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
    return `${parent}${SEPARATOR}${rdnText(rdnToString(normalizeRDN(parseSingleRDN(dn.slice(0, comma)))))}`;
  } catch {
    return slowKey(dn);
  }
};
