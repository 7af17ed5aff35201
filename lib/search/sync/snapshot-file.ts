import { nodeFs } from '../../util/lazy-builtins';
import { dirname } from 'node:path';
import { SyncStoreCorruptError } from '../../errors';
import { decodeRecord } from './record-codec';
import type { SyncRecord } from './types';

/**
 * The snapshot of a FileSyncStore: a header line `{"rxldapSyncSnapshot":1,"generation":g,
 * "count":n,"cookie":"<base64>"}` then n record lines. It is replaced only whole (written to a
 * temporary file, fsynced, renamed over the old one, directory fsynced), so it is never half
 * written; the count still guards against a file someone else cut.
 */

const FORMAT = 1;
const CHUNK_CHARS = 1 << 20;

export interface SnapshotContents {
  readonly generation: number;
  readonly cookie?: Buffer;
  readonly records: Map<string, SyncRecord>;
  /** The encoded line of each record, as read (what the next snapshot writes again). */
  readonly lines: Map<string, string>;
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
  snapshot: { generation: number; cookie: Buffer | undefined; lines: ReadonlyMap<string, string> },
): Promise<number> => {
  const header = { rxldapSyncSnapshot: FORMAT, generation: snapshot.generation, count: snapshot.lines.size, ...(snapshot.cookie === undefined ? {} : { cookie: snapshot.cookie.toString('base64') }) };
  const temporary = `${path}.tmp`;
  const handle = await nodeFs().open(temporary, 'w');
  let bytes = 0;
  try {
    let chunk = JSON.stringify(header) + '\n';
    const flush = async (): Promise<void> => {
      const data = Buffer.from(chunk, 'utf8');
      chunk = '';
      bytes += data.length;
      await writeAll(handle, data);
    };
    for (const line of snapshot.lines.values()) {
      chunk += line + '\n';
      if (chunk.length >= CHUNK_CHARS) await flush();
    }
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  await nodeFs().rename(temporary, path);
  await syncDirectory(dirname(path));
  return bytes;
};

/** The snapshot at `path`, or undefined when there is none yet. */
export const readSnapshot = async (path: string): Promise<SnapshotContents | undefined> => {
  let data: Buffer;
  try {
    data = await nodeFs().readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const text = data.toString('utf8');
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new SyncStoreCorruptError('snapshot does not end with a newline', path);
  let header: { rxldapSyncSnapshot?: unknown; generation?: unknown; count?: unknown; cookie?: unknown };
  try {
    header = JSON.parse(lines[0] ?? '') as typeof header;
  } catch {
    throw new SyncStoreCorruptError('snapshot header is not JSON', path);
  }
  const { rxldapSyncSnapshot, generation, count, cookie } = header;
  if (rxldapSyncSnapshot !== FORMAT || typeof generation !== 'number' || typeof count !== 'number' || (cookie !== undefined && typeof cookie !== 'string')) {
    throw new SyncStoreCorruptError('snapshot header is not one this version wrote', path);
  }
  if (lines.length - 1 !== count) throw new SyncStoreCorruptError(`snapshot holds ${lines.length - 1} records, its header says ${count}`, path);
  const records = new Map<string, SyncRecord>();
  const encoded = new Map<string, string>();
  for (const [i, line] of lines.entries()) {
    if (i === 0) continue; // the header
    let decoded: ReturnType<typeof decodeRecord>;
    try {
      decoded = decodeRecord(JSON.parse(line));
    } catch {
      decoded = undefined;
    }
    if (decoded === undefined) throw new SyncStoreCorruptError(`snapshot line ${i + 1} is not a record`, path);
    records.set(decoded.entryUUID, decoded.record);
    encoded.set(decoded.entryUUID, line);
  }
  return { generation, records, lines: encoded, bytes: data.length, ...(cookie === undefined ? {} : { cookie: Buffer.from(cookie, 'base64') }) };
};
