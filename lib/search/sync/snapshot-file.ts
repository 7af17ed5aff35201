import { nodeFs } from '../../util/lazy-builtins';
import { dirname } from 'node:path';
import { SyncStoreCorruptError } from '../../errors';
import { readLines } from './line-reader';

/**
 * The snapshot of a FileSyncStore: a header line `{"rxldapSyncSnapshot":1,"generation":g,
 * "count":n,"cookie":"<base64>"}` then n record lines. It is replaced only whole (written to a
 * temporary file, fsynced, renamed over the old one, directory fsynced), so it is never half
 * written; the count still guards against a file someone else cut. Both ways it is streamed:
 * a chunk of lines at a time, never the whole file in one string or Buffer.
 */

const FORMAT = 1;
const CHUNK_CHARS = 1 << 20;

export interface SnapshotHeader {
  readonly generation: number;
  readonly cookie?: Buffer;
  readonly count: number;
  readonly bytes: number;
}

/** The part of a FileHandle writeAll needs. */
export interface WritableFile {
  write(data: Buffer, offset: number): Promise<{ bytesWritten: number }>;
}

/**
 * Writes all of `data`: a write may take only part of it (a signal, a full pipe, some file
 * systems), and the rest must follow, or the file ends torn. A write that takes nothing and
 * throws nothing would loop forever; it is an error instead.
 */
export const writeAll = async (handle: WritableFile, data: Buffer): Promise<void> => {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset);
    if (bytesWritten <= 0) throw new Error(`a write took no bytes with ${data.length - offset} left to write`);
    offset += bytesWritten;
  }
};

/** fsync of a directory, so a rename or a new file in it survives a power loss. */
export const syncDirectory = async (directory: string): Promise<void> => {
  const handle = await nodeFs().open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Writes the snapshot atomically; resolves with its size in bytes. */
export const writeSnapshot = async (
  path: string,
  snapshot: { generation: number; cookie: Buffer | undefined; count: number; lines: Iterable<string> },
): Promise<number> => {
  const header = { rxldapSyncSnapshot: FORMAT, generation: snapshot.generation, count: snapshot.count, ...(snapshot.cookie === undefined ? {} : { cookie: snapshot.cookie.toString('base64') }) };
  const temporary = `${path}.tmp`;
  const handle = await nodeFs().open(temporary, 'w');
  let bytes = 0;
  let written = 0;
  try {
    let chunk = JSON.stringify(header) + '\n';
    const flush = async (): Promise<void> => {
      const data = Buffer.from(chunk, 'utf8');
      chunk = '';
      bytes += data.length;
      await writeAll(handle, data);
    };
    for (const line of snapshot.lines) {
      chunk += line + '\n';
      written++;
      if (chunk.length >= CHUNK_CHARS) await flush();
    }
    await flush();
    if (written !== snapshot.count) throw new Error(`snapshot: ${written} lines written, ${snapshot.count} announced`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await nodeFs().rename(temporary, path);
  await syncDirectory(dirname(path));
  return bytes;
};

const parseHeader = (line: Buffer, path: string): Omit<SnapshotHeader, 'bytes'> => {
  let header: { rxldapSyncSnapshot?: unknown; generation?: unknown; count?: unknown; cookie?: unknown };
  try {
    header = JSON.parse(line.toString('utf8')) as typeof header;
  } catch {
    throw new SyncStoreCorruptError('snapshot header is not JSON', path);
  }
  const { rxldapSyncSnapshot, generation, count, cookie } = header;
  if (rxldapSyncSnapshot !== FORMAT || typeof generation !== 'number' || typeof count !== 'number' || (cookie !== undefined && typeof cookie !== 'string')) {
    throw new SyncStoreCorruptError('snapshot header is not one this version wrote', path);
  }
  return { generation, count, ...(cookie === undefined ? {} : { cookie: Buffer.from(cookie, 'base64') }) };
};

/**
 * Reads the snapshot at `path` line by line, handing each record line (its text, and its number
 * in the file for error messages) to `onRecord`; resolves with the header, or undefined when
 * there is no snapshot yet.
 */
export const readSnapshot = async (path: string, onRecord: (line: string, lineNumber: number) => void, options: { chunkBytes?: number } = {}): Promise<SnapshotHeader | undefined> => {
  let header: Omit<SnapshotHeader, 'bytes'> | undefined;
  let records = 0;
  let bytes = 0;
  let found = false;
  for await (const { line, complete } of readLines(path, { ...options, missingOk: true })) {
    found = true;
    if (!complete) throw new SyncStoreCorruptError('snapshot does not end with a newline', path);
    bytes += line.length + 1;
    if (header === undefined) header = parseHeader(line, path);
    else onRecord(line.toString('utf8'), ++records + 1);
  }
  if (!found) {
    // No line at all: no snapshot, or an empty file, which no commit ever leaves (it renames whole files).
    const exists = await nodeFs().stat(path).then(() => true, (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)));
    if (exists) throw new SyncStoreCorruptError('snapshot is empty', path);
    return undefined;
  }
  if (header === undefined) throw new SyncStoreCorruptError('snapshot is empty', path);
  if (records !== header.count) throw new SyncStoreCorruptError(`snapshot holds ${records} records, its header says ${header.count}`, path);
  return { ...header, bytes };
};
