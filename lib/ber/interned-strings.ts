/**
 * A small, bounded cache of short decoded strings, for values that repeat in nearly every PDU
 * (attribute descriptions, control OIDs). A hit returns the string decoded earlier without
 * allocating; a miss decodes and takes the slot. Collisions only cost a decode, never a wrong
 * answer: a slot is used only when its stored bytes equal the input byte for byte.
 */
import { octetAt } from './octet-at';

const SLOT_COUNT = 512; // power of two
const MAX_LENGTH = 48; // longer strings are rarely repeated names; decode them normally

/** A decoded string and the bytes it was decoded from. */
interface Slot {
  readonly bytes: Buffer;
  readonly value: string;
}
const slots: Array<Slot | undefined> = new Array<Slot | undefined>(SLOT_COUNT).fill(undefined);

export const decodeInterned = (buffer: Buffer, start: number, end: number): string => {
  const length = end - start;
  if (length === 0 || length > MAX_LENGTH) return buffer.toString('utf8', start, end);
  const slot = (length * 31 + octetAt(buffer, start) * 17 + octetAt(buffer, start + (length >> 1)) * 7 + octetAt(buffer, end - 1)) & (SLOT_COUNT - 1);
  const cached = slots[slot];
  if (cached !== undefined && cached.bytes.length === length) {
    let i = 0;
    while (i < length && cached.bytes[i] === buffer[start + i]) i++;
    if (i === length) return cached.value;
  }
  const value = buffer.toString('utf8', start, end);
  slots[slot] = { bytes: Buffer.from(buffer.subarray(start, end)), value }; // own copy: the input buffer is not ours to keep alive
  return value;
};
