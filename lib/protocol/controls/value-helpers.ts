import { Tag } from '../../ber';
import type { BerReader } from '../../ber';
import { ProtocolError } from '../../errors';

/** A control whose ASN.1 requires a controlValue but arrived without one. */
export const requireValue = (value: Buffer | undefined, type: string): Buffer => {
  if (value === undefined) throw new ProtocolError(`${type} control has no value`);
  return value;
};

/** A control that must not carry a value (manageDsaIT and the like) but did. */
export const forbidValue = (value: Buffer | undefined, type: string): void => {
  if (value !== undefined && value.length > 0) throw new ProtocolError(`${type} control must not have a value`);
};

/** The largest magnitude BerReader.readInteger returns exactly: for INTEGERs with no stated bound. */
export const WIDE_INTEGER = 2 ** 48;

/**
 * Reads an ENUMERATED and maps it to its name in `codes`; a value with no name is a
 * ProtocolError positioned at the value.
 */
export const readEnumName = <N extends string>(
  reader: BerReader,
  codes: Readonly<Record<N, number>>,
  what: string,
  limit = reader.end,
  tag: number = Tag.ENUMERATED,
): N => {
  const at = reader.pos;
  const code = reader.readEnumerated(tag, limit);
  for (const name in codes) if (codes[name] === code) return name;
  throw reader.error(`unknown ${what} ${code}`, at);
};

/** The wire code of an enumeration name; a name that is not in `codes` is a caller's TypeError. */
export const enumCode = <N extends string>(codes: Readonly<Record<N, number>>, name: N, what: string): number => {
  const code: unknown = Object.prototype.hasOwnProperty.call(codes, name) ? codes[name] : undefined;
  if (typeof code !== 'number') throw new TypeError(`unknown ${what} '${String(name)}'`);
  return code;
};

/** Checks a number about to be encoded: an integer within [min, max], else a RangeError. */
export const checkInteger = (value: number, min: number, max: number, what: string): number => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in [${min}, ${max}], not ${value}`);
  }
  return value;
};

/** True when the next element before `limit` has `tag` (for OPTIONAL and DEFAULT fields). */
export const nextIs = (reader: BerReader, tag: number, limit: number): boolean => reader.peekTag(limit) === tag;
