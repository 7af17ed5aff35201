/**
 * RFC 4515 §3 value escaping. An assertion value is bytes; the string form writes each byte as
 * itself when it is part of a well-formed UTF-8 character, and as `\XX` when it is one of the
 * five characters the grammar reserves (NUL, `(`, `)`, `*`, `\`), an ASCII control character,
 * or a byte that is not part of valid UTF-8.
 * Escaping only what must be escaped keeps non-ASCII names readable (`Lučić`, not `Lu\c4\8di\c4\87`),
 * and escaping invalid bytes one by one keeps binary values (certificates, GUIDs) exact.
 */

const HEX = '0123456789abcdef';
const hexByte = (b: number): string => '\\' + HEX[b >> 4] + HEX[b & 15];

const isContinuation = (b: number | undefined): boolean => b !== undefined && b >= 0x80 && b <= 0xbf;

/**
 * The length of the well-formed UTF-8 sequence that starts at buf[i] (Unicode table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or 0 when there is none.
 */
export const utf8SequenceLength = (buf: Uint8Array, i: number): number => {
  const b = buf[i];
  if (b === undefined) return 0;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return isContinuation(buf[i + 1]) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const b1 = buf[i + 1];
    if (b1 === undefined) return 0;
    const low = b === 0xe0 ? 0xa0 : 0x80;
    const high = b === 0xed ? 0x9f : 0xbf;
    return b1 >= low && b1 <= high && isContinuation(buf[i + 2]) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const b1 = buf[i + 1];
    if (b1 === undefined) return 0;
    const low = b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xf4 ? 0x8f : 0xbf;
    return b1 >= low && b1 <= high && isContinuation(buf[i + 2]) && isContinuation(buf[i + 3]) ? 4 : 0;
  }
  return 0;
};

/**
 * NUL ( ) * \ — the bytes RFC 4515's `normal` production leaves out — and, beyond what it
 * requires, the other C0 controls and DEL, so that a filter in a log line shows `\0a` or `\04`
 * rather than a line break or an invisible byte. Both forms parse to the same bytes.
 */
const mustEscape = (b: number): boolean => b < 0x20 || b === 0x7f || b === 0x28 || b === 0x29 || b === 0x2a || b === 0x5c;

/** Writes value bytes in RFC 4515 `valueencoding` form. */
export const escapeValueBytes = (buf: Buffer): string => {
  let out = '';
  let runStart = 0;
  let i = 0;
  for (let b = buf[i]; b !== undefined; b = buf[i]) {
    const length = mustEscape(b) ? 0 : utf8SequenceLength(buf, i);
    if (length > 0) {
      i += length;
      continue;
    }
    // The run before this byte is well-formed UTF-8, so it decodes without replacement characters.
    if (runStart < i) out += buf.toString('utf8', runStart, i);
    out += hexByte(b);
    runStart = ++i;
  }
  if (runStart < buf.length) out += buf.toString('utf8', runStart, buf.length);
  return out;
};

/** Bytes as a Buffer without copying (a plain Uint8Array has no toString(encoding, start, end)). */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Escapes an assertion value for use inside a filter string (RFC 4515 §3). A string is taken as
 * UTF-8 (a lone surrogate becomes U+FFFD, as Buffer.from does); bytes are escaped one by one.
 */
export const escapeFilterValue = (value: string | Buffer | Uint8Array): string =>
  escapeValueBytes(typeof value === 'string' ? Buffer.from(value, 'utf8') : asBuffer(value));
