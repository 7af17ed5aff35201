import type { SearchEntry } from '../entry';
import type { SyncAttributes } from './types';

/**
 * Attributes whose values are bytes, not text, in the standard schemas (X.509, photos, PKCS)
 * and Active Directory. Their values are kept as base64 so no byte is lost to UTF-8 decoding.
 */
export const DEFAULT_BINARY_ATTRIBUTES: readonly string[] = [
  'jpegPhoto', 'photo', 'audio', 'thumbnailPhoto',
  'userCertificate', 'cACertificate', 'crossCertificatePair', 'userSMIMECertificate', 'userPKCS12',
  'authorityRevocationList', 'certificateRevocationList', 'deltaRevocationList', 'supportedAlgorithms',
  'objectGUID', 'objectSid',
];

/** The attribute type of a description, lowercased: 'userCertificate;binary' → 'usercertificate'. */
const baseName = (description: string): string => {
  const semicolon = description.indexOf(';');
  return (semicolon === -1 ? description : description.slice(0, semicolon)).toLowerCase();
};

const hasBinaryOption = (description: string): boolean =>
  description.includes(';') && description.split(';').slice(1).some((option) => option.toLowerCase() === 'binary');

/** Lowercased attribute types to keep as base64. */
export const binaryAttributeSet = (names: readonly string[]): ReadonlySet<string> => new Set(names.map(baseName));

/**
 * An entry's attributes as strings: base64 for binary attributes, UTF-8 for the rest. A type the
 * server repeated (same name, any case) is merged under its first spelling.
 */
export const entryAttributes = (entry: SearchEntry, binary: ReadonlySet<string>): SyncAttributes => {
  // No prototype: attribute names such as `constructor` or `valueOf` are valid (RFC 4512).
  const result: SyncAttributes = Object.create(null) as SyncAttributes;
  const spelling = new Map<string, string>();
  for (const attribute of entry.attributes) {
    const key = attribute.type.toLowerCase();
    const name = spelling.get(key) ?? attribute.type;
    spelling.set(key, name);
    const encoding = binary.has(attribute.type.includes(';') ? baseName(attribute.type) : key) || hasBinaryOption(attribute.type) ? 'base64' : 'utf8';
    const values = attribute.vals.map((value) => value.toString(encoding));
    const earlier = Object.hasOwn(result, name) ? result[name] : undefined;
    result[name] = earlier === undefined ? values : [...earlier, ...values];
  }
  return result;
};

/** Lowercased name → sorted values, leaving out attributes without values. */
const normalised = (attributes: SyncAttributes): Map<string, string[]> => {
  const byName = new Map<string, string[]>();
  for (const [name, values] of Object.entries(attributes)) {
    if (values.length === 0) continue;
    const key = name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), ...values]);
  }
  for (const values of byName.values()) values.sort();
  return byName;
};

/**
 * Whether two attribute sets hold the same values. Names compare case-insensitively, as LDAP
 * compares attribute descriptions, and values as sets: a server may return them in any order.
 */
export const sameAttributes = (a: SyncAttributes, b: SyncAttributes): boolean => {
  const left = normalised(a);
  const right = normalised(b);
  if (left.size !== right.size) return false;
  for (const [name, values] of left) {
    const other = right.get(name);
    if (other === undefined || other.length !== values.length) return false;
    for (let i = 0; i < values.length; i++) if (values[i] !== other[i]) return false;
  }
  return true;
};
