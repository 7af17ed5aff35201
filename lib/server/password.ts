import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * userPassword values as slapd reads them (RFC 2307 `{SCHEME}base64` and cleartext), and the
 * {SSHA} slapd writes by default when a password is changed through Password Modify.
 */
const DIGESTS: Readonly<Record<string, { algorithm: string; length: number; salted: boolean }>> = {
  SHA: { algorithm: 'sha1', length: 20, salted: false },
  SSHA: { algorithm: 'sha1', length: 20, salted: true },
  SHA256: { algorithm: 'sha256', length: 32, salted: false },
  SSHA256: { algorithm: 'sha256', length: 32, salted: true },
  SHA384: { algorithm: 'sha384', length: 48, salted: false },
  SSHA384: { algorithm: 'sha384', length: 48, salted: true },
  SHA512: { algorithm: 'sha512', length: 64, salted: false },
  SSHA512: { algorithm: 'sha512', length: 64, salted: true },
  MD5: { algorithm: 'md5', length: 16, salted: false },
  SMD5: { algorithm: 'md5', length: 16, salted: true },
};

const equal = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

/** Whether `password` matches one stored userPassword value. An unknown scheme ({CRYPT}, {ARGON2}) never matches. */
export const passwordMatches = (stored: Buffer, password: Buffer): boolean => {
  const text = stored.toString('latin1');
  const scheme = /^\{([A-Za-z0-9.-]+)\}/.exec(text);
  if (scheme === null) return equal(stored, password);
  // The scheme name is what the braces of the match enclose.
  const name = scheme[0].slice(1, -1).toUpperCase();
  const rest = stored.subarray(scheme[0].length);
  if (name === 'CLEARTEXT') return equal(rest, password);
  const digest = DIGESTS[name];
  if (digest === undefined) return false;
  const decoded = Buffer.from(rest.toString('latin1'), 'base64');
  if (decoded.length < digest.length || (!digest.salted && decoded.length !== digest.length)) return false;
  const salt = decoded.subarray(digest.length);
  const computed = createHash(digest.algorithm).update(password).update(salt).digest();
  return equal(computed, decoded.subarray(0, digest.length));
};

/** {SSHA} of a password with a fresh 8-octet salt. */
export const hashPassword = (password: Buffer): Buffer => {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return Buffer.from(`{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`, 'latin1');
};

/** A generated password like slapd's: eight characters from an unambiguous alphabet. */
export const generatePassword = (): Buffer => {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Buffer.from([...randomBytes(8)].map((byte) => alphabet.charAt(byte % alphabet.length)).join(''), 'latin1');
};
