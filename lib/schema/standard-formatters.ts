import { DN, parseDN } from '../dn/dn';
import { GeneralizedTime } from './generalized-time';
import { Syntax } from './syntaxes';
import { fileTimeFromDate, fileTimeToDate, guidFromString, guidToString, intervalFromMilliseconds, intervalToMilliseconds, sidFromString, sidToString } from './windows-values';

/**
 * The formatters rxldap knows: one per LDAP syntax, plus Active Directory's attributes whose
 * syntax says only "octets" or "integer" (a SID, a GUID, a FILETIME). A formatter turns bytes
 * into a value and a value back into bytes; each direction says undefined when it cannot.
 */

/** What a typed attribute value can be with the standard formatters (a custom one may give anything). */
export type TypedValue = string | number | bigint | boolean | Buffer | Date | DN | GeneralizedTime | null;

export interface ValueFormatter<T = unknown> {
  /** The value the bytes stand for; undefined (or a throw) when they are not valid, and the value is then given as text or bytes. */
  decode(value: Buffer): T | undefined;
  /** The bytes (or UTF-8 text) for a value given in a write; undefined when it cannot take this value. */
  encode?(value: unknown): Buffer | string | undefined;
}

const text = (value: Buffer): string => value.toString('utf8');
const passString = (value: unknown): string | Buffer | undefined => (typeof value === 'string' || Buffer.isBuffer(value) ? value : undefined);

const integer: ValueFormatter<number | bigint> = {
  decode: (value) => {
    const t = text(value);
    if (!/^-?\d+$/.test(t)) return undefined;
    const big = BigInt(t);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  },
  encode: (value) => {
    if (typeof value === 'bigint') return String(value);
    if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
    return passString(value);
  },
};

const boolean: ValueFormatter<boolean> = {
  decode: (value) => (text(value) === 'TRUE' ? true : text(value) === 'FALSE' ? false : undefined),
  encode: (value) => (typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : passString(value)),
};

const generalizedTime: ValueFormatter<GeneralizedTime> = {
  decode: (value) => GeneralizedTime.parse(text(value)),
  encode: (value) => {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : GeneralizedTime.fromDate(value).text;
    if (value instanceof GeneralizedTime) return value.text;
    return passString(value);
  },
};

/** RFC 4517 §3.3.34 UTC Time: two-digit years, read as 1950–2049 (the RFC 5280 convention). */
const utcTime: ValueFormatter<Date> = {
  decode: (value) => {
    const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(text(value));
    if (m === null) return undefined;
    const [yy, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
    const offset = m[7] === 'Z' ? 0 : (m[7]![0] === '-' ? -1 : 1) * (Number(m[7]!.slice(1, 3)) * 60 + Number(m[7]!.slice(3, 5)));
    const date = new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, mo - 1, d, h, mi, Number(m[6] ?? 0)) - offset * 60_000);
    return Number.isNaN(date.getTime()) ? undefined : date;
  },
  encode: (value) => {
    if (!(value instanceof Date)) return passString(value);
    return GeneralizedTime.fromDate(new Date(Math.floor(value.getTime() / 1000) * 1000)).text.slice(2);
  },
};

const distinguishedName: ValueFormatter<DN> = {
  decode: (value) => parseDN(text(value)),
  encode: (value) => (value instanceof DN ? value.toString() : passString(value)),
};

const string: ValueFormatter<string> = {
  decode: text,
  encode: passString,
};

const octets: ValueFormatter<Buffer> = {
  decode: (value) => value,
  encode: passString,
};

const sid: ValueFormatter<string> = {
  decode: sidToString,
  encode: (value) => (typeof value === 'string' ? sidFromString(value) : Buffer.isBuffer(value) ? value : undefined),
};

const guid: ValueFormatter<string> = {
  decode: guidToString,
  encode: (value) => (typeof value === 'string' ? guidFromString(value) : Buffer.isBuffer(value) ? value : undefined),
};

const fileTime: ValueFormatter<Date | null> = {
  decode: fileTimeToDate,
  encode: (value) => (value === null || (value instanceof Date && !Number.isNaN(value.getTime())) ? fileTimeFromDate(value) : integer.encode!(value)),
};

/** Milliseconds; Infinity for "never". */
const interval: ValueFormatter<number> = {
  decode: intervalToMilliseconds,
  encode: (value) => (typeof value === 'number' && (Number.isFinite(value) || value === Infinity) && value >= 0 ? intervalFromMilliseconds(value) : passString(value)),
};

/** By syntax OID. */
export const STANDARD_BY_SYNTAX: ReadonlyMap<string, ValueFormatter> = new Map<string, ValueFormatter>([
  [Syntax.integer, integer],
  [Syntax.adLargeInteger, integer],
  [Syntax.boolean, boolean],
  [Syntax.generalizedTime, generalizedTime],
  [Syntax.utcTime, utcTime],
  [Syntax.dn, distinguishedName],
  [Syntax.oid, string],
  [Syntax.uuid, string],
  [Syntax.directoryString, string],
  [Syntax.ia5String, string],
  [Syntax.printableString, string],
  [Syntax.numericString, string],
  [Syntax.telephoneNumber, string],
  [Syntax.octetString, octets],
  [Syntax.binary, octets],
  [Syntax.certificate, octets],
  [Syntax.certificateList, octets],
  [Syntax.certificatePair, octets],
  [Syntax.jpeg, octets],
  [Syntax.supportedAlgorithm, octets],
  [Syntax.adSecurityDescriptor, octets],
]);

/** By lower-case attribute name: Active Directory's values whose syntax does not say what they are. */
export const STANDARD_BY_NAME: ReadonlyMap<string, ValueFormatter> = new Map<string, ValueFormatter>([
  ...['objectguid', 'msexchmailboxguid', 'ms-ds-consistencyguid', 'msds-generationid'].map((n) => [n, guid] as const),
  ...['objectsid', 'sidhistory', 'tokengroups', 'tokengroupsglobalanduniversal', 'tokengroupsnogcacceptable', 'securityidentifier', 'ms-ds-creatorsid'].map((n) => [n, sid] as const),
  ...['accountexpires', 'badpasswordtime', 'lastlogoff', 'lastlogon', 'lastlogontimestamp', 'lockouttime', 'pwdlastset', 'creationtime', 'msds-userpasswordexpirytimecomputed'].map((n) => [n, fileTime] as const),
  ...['maxpwdage', 'minpwdage', 'lockoutduration', 'lockoutobservationwindow', 'forcelogoff'].map((n) => [n, interval] as const),
]);

/**
 * What any value becomes when no formatter takes it: text as UTF-8, bytes as they are,
 * numbers and bigints in decimal, booleans as TRUE/FALSE, Dates and GeneralizedTimes as
 * Generalized Time, DNs as RFC 4514 text. Undefined for anything else.
 */
export const defaultEncode = (value: unknown): Buffer | string | undefined => {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date || value instanceof GeneralizedTime) return generalizedTime.encode!(value);
  if (value instanceof DN) return value.toString();
  return undefined;
};
