/**
 * A small, bounded cache of short decoded strings, for values that repeat in nearly every PDU
 * (attribute descriptions, control OIDs). A hit returns the string decoded earlier without
 * allocating; a miss decodes and takes the slot. Collisions only cost a decode, never a wrong
 * answer: a slot is used only when its stored bytes equal the input byte for byte.
 */
const SLOT_COUNT = 512; // power of two
const MAX_LENGTH = 48; // longer strings are rarely repeated names; decode them normally

const slotBytes: Array<Buffer | undefined> = new Array<Buffer | undefined>(SLOT_COUNT).fill(undefined);
const slotStrings: string[] = new Array<string>(SLOT_COUNT).fill('');

export const decodeInterned = (buffer: Buffer, start: number, end: number): string => {
  const length = end - start;
  if (length === 0 || length > MAX_LENGTH) return buffer.toString('utf8', start, end);
  const slot = (length * 31 + buffer[start]! * 17 + buffer[start + (length >> 1)]! * 7 + buffer[end - 1]!) & (SLOT_COUNT - 1);
  const cached = slotBytes[slot];
  if (cached !== undefined && cached.length === length) {
    let i = 0;
    while (i < length && cached[i] === buffer[start + i]) i++;
    if (i === length) return slotStrings[slot]!;
  }
  const value = buffer.toString('utf8', start, end);
  slotBytes[slot] = Buffer.from(buffer.subarray(start, end)); // own copy: the input buffer is not ours to keep alive
  slotStrings[slot] = value;
  return value;
};
