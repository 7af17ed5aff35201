import { crc32 } from './crc32';
import { SyncStoreCorruptError } from '../../errors';
import { readLines } from './line-reader';
import { decodeRecord } from './record-codec';
import type { SyncRecord } from './types';

/**
 * The journal of a FileSyncStore: one line per committed batch, `<crc32 as 8 hex> <json>\n`,
 * the JSON being `{"p":[records],"d":[entryUUIDs],"c":"<cookie base64>"}` ("c" only when the
 * cookie changed). A line is appended and fsynced as a whole; the checksum and the closing
 * newline tell a complete line from one a crash cut short.
 */

/** The JSON of one batch; `putLines` are already-encoded records (encodeRecord). */
export const batchJson = (putLines: readonly string[], deletes: Iterable<string>, cookie: Buffer | undefined): string =>
  `{"p":[${putLines.join(',')}],"d":${JSON.stringify([...deletes])}${cookie === undefined ? '' : `,"c":${JSON.stringify(cookie.toString('base64'))}`}}`;

const NEWLINE = 0x0a;
const CHECKSUM_DIGITS = 8;

export const encodeJournalLine = (json: string): Buffer => {
  const body = Buffer.from(json, 'utf8');
  const line = Buffer.allocUnsafe(CHECKSUM_DIGITS + 1 + body.length + 1);
  line.write(crc32(body).toString(16).padStart(CHECKSUM_DIGITS, '0'), 0, 'latin1');
  line[CHECKSUM_DIGITS] = 0x20;
  body.copy(line, CHECKSUM_DIGITS + 1);
  line[line.length - 1] = NEWLINE;
  return line;
};

export interface JournalBatch {
  readonly puts: ReadonlyArray<{ readonly entryUUID: string; readonly record: SyncRecord }>;
  readonly deletes: readonly string[];
  readonly cookie?: Buffer;
}

const checkedBody = (line: Buffer): string | undefined => {
  if (line.length < CHECKSUM_DIGITS + 1 || line[CHECKSUM_DIGITS] !== 0x20) return undefined;
  const expected = line.toString('latin1', 0, CHECKSUM_DIGITS);
  if (!/^[0-9a-f]{8}$/.test(expected)) return undefined;
  const body = line.subarray(CHECKSUM_DIGITS + 1);
  return crc32(body) === Number.parseInt(expected, 16) ? body.toString('utf8') : undefined;
};

const decodeBatch = (json: string): JournalBatch | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { p, d, c } = value as { p?: unknown; d?: unknown; c?: unknown };
  if (!Array.isArray(p) || !Array.isArray(d) || !d.every((u) => typeof u === 'string')) return undefined;
  if (c !== undefined && typeof c !== 'string') return undefined;
  const puts: Array<{ entryUUID: string; record: SyncRecord }> = [];
  for (const item of p) {
    const decoded = decodeRecord(item);
    if (decoded === undefined) return undefined;
    puts.push(decoded);
  }
  return c === undefined ? { puts, deletes: d } : { puts, deletes: d, cookie: Buffer.from(c, 'base64') };
};

/**
 * Reads a journal a line at a time (readLines: never the whole file at once), handing each
 * batch to `onBatch` in order, and resolves with the length of the whole, valid lines from the
 * start: where the next line must be written. A crash can only damage the end (every earlier
 * line was fsynced before the next was written), so a last line without its newline or with a
 * bad checksum is dropped as torn; a bad line before a good one means the file is corrupt.
 */
export const readJournal = async (path: string, onBatch: (batch: JournalBatch) => void, options: { chunkBytes?: number } = {}): Promise<number> => {
  let validLength = 0;
  let damagedAt: number | undefined;
  for await (const { line, offset, complete } of readLines(path, { ...options, missingOk: true })) {
    if (damagedAt !== undefined) throw new SyncStoreCorruptError(`journal line at byte ${damagedAt} is damaged and is not the last`, path);
    if (!complete) break; // a torn last line without its newline
    const body = checkedBody(line);
    const batch = body === undefined ? undefined : decodeBatch(body);
    if (batch === undefined) {
      damagedAt = offset; // the last line, torn in a way that kept a newline, unless another follows
      continue;
    }
    onBatch(batch);
    validLength = offset + line.length + 1;
  }
  return validLength;
};
