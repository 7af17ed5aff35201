/**
 * Active Directory's binary and integer values: security identifiers (MS-DTYP §2.4.2), GUIDs in
 * Windows byte order (the first three fields little-endian, MS-DTYP §2.3.4), and FILETIME
 * counts of 100-nanosecond ticks, as points in time (since 1601-01-01 UTC) or, negated, as
 * intervals (maxPwdAge, lockoutDuration).
 */

/** S-R-I-S-S… text of a binary SID; undefined when the bytes are not one. */
export const sidToString = (bytes: Buffer): string | undefined => {
  if (bytes.length < 8) return undefined;
  const revision = bytes[0]!;
  const count = bytes[1]!;
  if (bytes.length !== 8 + 4 * count) return undefined;
  // The identifier authority is 48 bits, big-endian.
  const authority = bytes.readUIntBE(2, 6);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(bytes.readUInt32LE(8 + 4 * i)));
  return parts.join('-');
};

/** The binary form of an `S-1-5-21-…` SID; undefined when the text is not one. */
export const sidFromString = (text: string): Buffer | undefined => {
  const m = /^S-(\d{1,3})-(\d{1,15})((?:-\d{1,10}){0,15})$/i.exec(text);
  if (m === null) return undefined;
  const revision = Number(m[1]);
  const authority = Number(m[2]);
  const subs = m[3] === '' ? [] : m[3]!.slice(1).split('-').map(Number);
  if (revision > 255 || authority > 0xffffffffffff || subs.some((s) => s > 0xffffffff)) return undefined;
  const bytes = Buffer.alloc(8 + 4 * subs.length);
  bytes[0] = revision;
  bytes[1] = subs.length;
  bytes.writeUIntBE(authority, 2, 6);
  subs.forEach((sub, i) => bytes.writeUInt32LE(sub, 8 + 4 * i));
  return bytes;
};

/** The registry form (`01234567-89ab-cdef-0123-456789abcdef`) of a 16-byte GUID in Windows byte order. */
export const guidToString = (bytes: Buffer): string | undefined => {
  if (bytes.length !== 16) return undefined;
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
};

export const guidFromString = (text: string): Buffer | undefined => {
  const m = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i.exec(text);
  if (m === null) return undefined;
  const le = (hex: string): Buffer => Buffer.from(hex, 'hex').reverse();
  return Buffer.concat([le(m[1]!), le(m[2]!), le(m[3]!), Buffer.from(m[4]! + m[5]!, 'hex')]);
};

/** Ticks (100 ns) from 1601-01-01 to 1970-01-01. */
const EPOCH_TICKS = 116_444_736_000_000_000n;
const TICKS_PER_MS = 10_000n;
/** 0 and the largest 64-bit value both mean "never" (accountExpires, lockoutTime, …). */
const NEVER = 0x7fffffffffffffffn;

const integerOf = (bytes: Buffer): bigint | undefined => {
  const text = bytes.toString('latin1');
  return /^-?\d{1,20}$/.test(text) ? BigInt(text) : undefined;
};

/** A FILETIME attribute (pwdLastSet, lastLogon, accountExpires…): a Date, or null for "never" (0 or 2^63-1). */
export const fileTimeToDate = (bytes: Buffer): Date | null | undefined => {
  const ticks = integerOf(bytes);
  if (ticks === undefined || ticks < 0n) return undefined;
  if (ticks === 0n || ticks >= NEVER) return null;
  const date = new Date(Number((ticks - EPOCH_TICKS) / TICKS_PER_MS));
  return Number.isNaN(date.getTime()) ? undefined : date;
};

export const fileTimeFromDate = (date: Date | null): string => (date === null ? '0' : String(BigInt(date.getTime()) * TICKS_PER_MS + EPOCH_TICKS));

/**
 * An interval attribute (maxPwdAge, minPwdAge, lockoutDuration, lockOutObservationWindow,
 * forceLogoff): AD stores it as negative ticks; this gives positive milliseconds, and Infinity
 * for "never" (the most negative 64-bit value).
 */
export const intervalToMilliseconds = (bytes: Buffer): number | undefined => {
  const ticks = integerOf(bytes);
  if (ticks === undefined) return undefined;
  if (ticks === -0x8000000000000000n) return Infinity;
  return Number(-ticks) / 10_000;
};

export const intervalFromMilliseconds = (ms: number): string =>
  ms === Infinity ? '-9223372036854775808' : String(-BigInt(Math.round(ms * 10_000)));
