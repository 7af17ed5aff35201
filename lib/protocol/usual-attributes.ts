/**
 * Attributes of the usual shape, read straight off the buffer: the search decoder's fast path
 * (decode.ts), and the shape an UndecodedEntry is checked for and later read in (by the LDIF
 * writer, which copies its values without making a Buffer of each).
 */
import { decodeInterned } from '../ber/interned-strings';
import { octetAt } from '../ber/octet-at';
import type { PartialAttribute } from './types';

const SEQUENCE = 0x30;
const SET = 0x31;
const OCTET_STRING = 0x04;

/**
 * The hot loop of every search. When every value of the set is short (tag 0x04, one length
 * octet), counts them in a first pass and slices them into an array of exactly that size: a
 * one-value array costs a fifth of one grown by push(), and most attributes have one value.
 * Returns undefined (nothing consumed) when any value needs the general path.
 */
export const readShortValues = (buffer: Buffer, start: number, setEnd: number): Buffer[] | undefined => {
  let count = 0;
  let at = start;
  while (at < setEnd) {
    const length = buffer[at + 1];
    if (buffer[at] !== OCTET_STRING || length === undefined || length >= 0x80 || at + 2 + length > setEnd) return undefined;
    at += 2 + length;
    count++;
  }
  if (count === 1) return [buffer.subarray(start + 2, setEnd)];
  const vals = new Array<Buffer>(count);
  at = start;
  for (let i = 0; i < count; i++) {
    const length = octetAt(buffer, at + 1); // checked by the first pass
    vals[i] = buffer.subarray(at + 2, at + 2 + length);
    at += 2 + length;
  }
  return vals;
};

/**
 * A definite length at `at` in one, two or three octets (short form, 0x81 or 0x82), packed as
 * `length * 4 + octets` so that no object is made; -1 for any other form.
 */
export const packedLength = (buffer: Buffer, at: number): number => {
  const first = buffer[at];
  if (first === undefined) return -1; // past the end of the buffer
  if (first < 0x80) return first * 4 + 1;
  if (first === 0x81 && at + 1 < buffer.length) return octetAt(buffer, at + 1) * 4 + 2;
  if (first === 0x82 && at + 2 < buffer.length) return (octetAt(buffer, at + 1) * 256 + octetAt(buffer, at + 2)) * 4 + 3;
  return -1;
};

/** Where the attribute readUsualAttribute returned last ends (saves a result object per attribute). */
export const usualAttribute = { end: 0 };

/** SEQUENCE { type OCTET STRING (< 128 octets), vals SET OF short OCTET STRING } at `at`, or undefined. */
export const readUsualAttribute = (buffer: Buffer, at: number, end: number): PartialAttribute | undefined => {
  if (buffer[at] !== SEQUENCE) return undefined;
  const sequence = packedLength(buffer, at + 1);
  if (sequence < 0) return undefined;
  const typeAt = at + 1 + (sequence & 3);
  const attributeEnd = typeAt + (sequence >>> 2);
  const typeLength = buffer[typeAt + 1];
  if (attributeEnd > end || buffer[typeAt] !== OCTET_STRING || typeLength === undefined || typeLength >= 0x80) return undefined;
  const typeEnd = typeAt + 2 + typeLength;
  if (typeEnd >= attributeEnd || buffer[typeEnd] !== SET) return undefined;
  const set = packedLength(buffer, typeEnd + 1);
  if (set < 0) return undefined;
  const setAt = typeEnd + 1 + (set & 3);
  if (setAt + (set >>> 2) !== attributeEnd) return undefined;
  const vals = readShortValues(buffer, setAt, attributeEnd);
  if (vals === undefined) return undefined;
  usualAttribute.end = attributeEnd;
  return { type: decodeInterned(buffer, typeAt + 2, typeEnd), vals };
};

/**
 * Where the usual-shaped attribute at `at` ends (as readUsualAttribute would read it, values
 * included), or -1 when it is not of that shape or does not fit before `end`. Makes nothing.
 */
export const usualAttributeEnd = (buffer: Buffer, at: number, end: number): number => {
  if (buffer[at] !== SEQUENCE) return -1;
  const sequence = packedLength(buffer, at + 1);
  if (sequence < 0) return -1;
  const typeAt = at + 1 + (sequence & 3);
  const attributeEnd = typeAt + (sequence >>> 2);
  const typeLength = buffer[typeAt + 1];
  if (attributeEnd > end || buffer[typeAt] !== OCTET_STRING || typeLength === undefined || typeLength >= 0x80) return -1;
  const typeEnd = typeAt + 2 + typeLength;
  if (typeEnd >= attributeEnd || buffer[typeEnd] !== SET) return -1;
  const set = packedLength(buffer, typeEnd + 1);
  if (set < 0) return -1;
  let valueAt = typeEnd + 1 + (set & 3);
  if (valueAt + (set >>> 2) !== attributeEnd) return -1;
  while (valueAt < attributeEnd) {
    const length = buffer[valueAt + 1];
    if (buffer[valueAt] !== OCTET_STRING || length === undefined || length >= 0x80 || valueAt + 2 + length > attributeEnd) return -1;
    valueAt += 2 + length;
  }
  return attributeEnd;
};

/** Whether `buffer[at, end)` is a list of attributes all of the usual shape (then readUsualAttributes reads it). */
export const isUsualAttributeList = (buffer: Buffer, at: number, end: number): boolean => {
  while (at < end) {
    at = usualAttributeEnd(buffer, at, end);
    if (at < 0) return false;
  }
  return true;
};

/** The attributes of a list isUsualAttributeList accepted. */
export const readUsualAttributes = (buffer: Buffer, at: number, end: number): PartialAttribute[] => {
  const attributes: PartialAttribute[] = [];
  while (at < end) {
    const attribute = readUsualAttribute(buffer, at, end);
    if (attribute === undefined) throw new Error('readUsualAttributes: not a list isUsualAttributeList accepted');
    attributes.push(attribute);
    at = usualAttribute.end;
  }
  return attributes;
};

/**
 * Walks a list isUsualAttributeList accepted, for the readers that take it as bytes (the LDIF
 * writer, the syncrepl consumer, log lines): `next()` moves to the next attribute and sets
 * `type`; `nextValue()` moves to its next value and sets `from` and `to` (the value is
 * `buffer[from, to)`). The list's layout is known here only; no view or object per value is made.
 * One cursor per entry: its methods are called directly, so in the CommonJS build a reader in
 * rxldap-later.cjs pays no getter across the bundles per attribute.
 */
export class UsualAttributeCursor {
  type = '';
  from = 0;
  to = 0;
  private at: number;
  private attributeEnd = 0;
  private valueAt = 0;

  constructor(
    readonly buffer: Buffer,
    start: number,
    private readonly end: number,
  ) {
    this.at = start;
  }

  next(): boolean {
    const at = this.at;
    if (at >= this.end) return false;
    const buffer = this.buffer;
    const sequence = packedLength(buffer, at + 1);
    const typeAt = at + 1 + (sequence & 3);
    const typeEnd = typeAt + 2 + octetAt(buffer, typeAt + 1);
    this.type = decodeInterned(buffer, typeAt + 2, typeEnd);
    this.valueAt = typeEnd + 1 + (packedLength(buffer, typeEnd + 1) & 3);
    this.at = this.attributeEnd = typeAt + (sequence >>> 2);
    return true;
  }

  nextValue(): boolean {
    const valueAt = this.valueAt;
    if (valueAt >= this.attributeEnd) return false;
    this.from = valueAt + 2;
    this.valueAt = this.to = this.from + octetAt(this.buffer, valueAt + 1);
    return true;
  }
}

/** The descriptions of a list isUsualAttributeList accepted, in order, without its values. */
export const readUsualAttributeTypes = (buffer: Buffer, at: number, end: number): string[] => {
  const types: string[] = [];
  const cursor = new UsualAttributeCursor(buffer, at, end);
  while (cursor.next()) types.push(cursor.type);
  return types;
};
