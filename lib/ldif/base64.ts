/**
 * Strict base64 for the reader: Buffer.from(text, 'base64') skips what it does not understand,
 * so a damaged value would be read as other bytes without a word. RFC 2849's BASE64-STRING is
 * RFC 4648's alphabet with padding; anything else is refused at the byte that breaks it.
 */

const ALPHABET = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;
const PAD = 0x3d;

/**
 * The offset of the first byte of `bytes[start, end)` that is not valid padded base64, or -1
 * when all of it is. A length that is not a multiple of four is broken at `end`.
 */
export const base64ErrorAt = (bytes: Uint8Array, start: number, end: number): number => {
  let i = start;
  while (i < end && ALPHABET[bytes[i]!] === 1) i++;
  const dataEnd = i;
  // Up to two '=' and only at the end, completing a group of four.
  while (i < end && bytes[i] === PAD && i - dataEnd < 2) i++;
  if (i < end) return i;
  if ((end - start) % 4 !== 0) return end;
  return -1;
};

/** Decodes `bytes[start, end)`, already checked by base64ErrorAt. */
export const decodeBase64 = (bytes: Buffer, start: number, end: number): Buffer => Buffer.from(bytes.toString('latin1', start, end), 'base64');
