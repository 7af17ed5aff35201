import { nodeFs } from '../../util/lazy-builtins';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncStoreCorruptError, SyncStoreStateError } from '../../errors';
import { batchJson, encodeJournalLine, readJournal } from './journal-codec';
import { decodeRecord, encodeRecord } from './record-codec';
import { readSnapshot, syncDirectory, writeAll, writeSnapshot } from './snapshot-file';
import type { SyncBatch, SyncRecord, SyncStore, SyncStoreState, UnmarkedPage } from './types';

export interface FileSyncStoreOptions {
  /**
   * The journal is folded into a new snapshot once it would grow past this many bytes, or past
   * the snapshot's own size if that is larger (default 8 MiB). Rewriting only when the journal
   * has caught up with the snapshot keeps the cost of compaction proportional to the changes.
   */
  compactAtBytes?: number;
}

const DEFAULT_COMPACT_AT_BYTES = 8 * 1024 * 1024;
const SNAPSHOT = 'snapshot.jsonl';
const JOURNAL = /^journal-(\d+)\.jsonl$/;

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** A stored entry: its encoded line (what get() parses and the next snapshot writes) and its refresh mark. */
interface Held {
  line: string;
  mark: number;
}

const decodeLine = (line: string): { entryUUID: string; record: SyncRecord } | undefined => {
  try {
    return decodeRecord(JSON.parse(line));
  } catch {
    return undefined;
  }
};

/**
 * A durable SyncStore in a directory of its own: a snapshot (`snapshot.jsonl`) plus a journal
 * (`journal-<generation>.jsonl`) of the batches committed since. Each commit appends one line
 * holding the batch's entries, deletions and cookie, and fsyncs it before resolving, so the
 * cookie is never on disk without the data it covers, and a crash loses at most the commit
 * under way (a torn last line is recognised by its checksum and dropped on load).
 *
 * Now and then the journal is folded into a new snapshot (write, fsync, rename, fsync the
 * directory), and the next generation's journal starts empty. Files are read and written a
 * line at a time, so a store of any size reads back. One process at a time may use a directory.
 *
 * The store for small replicas: it holds every entry's encoded line in memory (about the
 * entry's size as JSON, some 0.6–0.7 KiB for a ten-attribute inetOrgPerson, plus some 100 bytes
 * of bookkeeping), and every compaction rewrites the whole snapshot. For a large directory use
 * SqliteSyncStore (`rxldap/sqlite-store`), which keeps the replica on disk.
 */
export class FileSyncStore implements SyncStore {
  private held = new Map<string, Held>();
  private cookie: Buffer | undefined;
  private generation = 0;
  private journal: FileHandle | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private failure: { error: unknown } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly compactAtBytes: number;
  /** Snapshots written by this instance (for tests and metrics). */
  compactions = 0;

  constructor(
    readonly directory: string,
    options: FileSyncStoreOptions = {},
  ) {
    this.compactAtBytes = options.compactAtBytes ?? DEFAULT_COMPACT_AT_BYTES;
  }

  get snapshotPath(): string {
    return join(this.directory, SNAPSHOT);
  }

  /** The journal of the current generation. */
  get journalPath(): string {
    return join(this.directory, `journal-${this.generation}.jsonl`);
  }

  open(): Promise<SyncStoreState> {
    return this.serially(() => this.readFiles());
  }

  async get(entryUUID: string): Promise<SyncRecord | undefined> {
    const held = this.held.get(entryUUID);
    return held === undefined ? undefined : decodeLine(held.line)?.record;
  }

  commit(batch: SyncBatch): Promise<void> {
    return this.serially(() => this.write(batch));
  }

  async unmarked(mark: number, limit: number): Promise<UnmarkedPage> {
    // The consumer deletes each page before asking for the next, so a scan from the start finds the next page.
    const entries: Array<{ entryUUID: string; dn: string }> = [];
    for (const [entryUUID, held] of this.held) {
      if (held.mark === mark) continue;
      if (entries.length === limit) return { entries, next: '' };
      const decoded = decodeLine(held.line);
      if (decoded !== undefined) entries.push({ entryUUID, dn: decoded.record.dn });
    }
    return { entries };
  }

  async *entries(): AsyncIterable<[string, SyncRecord]> {
    for (const [entryUUID, held] of this.held) {
      const decoded = decodeLine(held.line);
      if (decoded !== undefined) yield [entryUUID, decoded.record];
    }
  }

  close(): Promise<void> {
    return this.serially(() => this.release());
  }

  /** Store operations run one after another, whatever the caller does. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readFiles(): Promise<SyncStoreState> {
    await this.release();
    await nodeFs().mkdir(this.directory, { recursive: true });
    const held = new Map<string, Held>();
    const snapshot = await readSnapshot(this.snapshotPath, (line, lineNumber) => {
      const decoded = decodeLine(line);
      if (decoded === undefined) throw new SyncStoreCorruptError(`snapshot line ${lineNumber} is not a record`, this.snapshotPath);
      held.set(decoded.entryUUID, { line, mark: 0 });
    });
    this.generation = snapshot?.generation ?? 0;
    this.snapshotBytes = snapshot?.bytes ?? 0;
    this.cookie = snapshot?.cookie;
    await this.removeLeftovers();

    const validLength = await readJournal(this.journalPath, (batch) => {
      for (const entryUUID of batch.deletes) held.delete(entryUUID);
      for (const { entryUUID, record } of batch.puts) held.set(entryUUID, { line: encodeRecord(entryUUID, record), mark: 0 });
      if (batch.cookie !== undefined) this.cookie = batch.cookie;
    });
    const handle = await nodeFs().open(this.journalPath, 'a');
    this.journal = handle;
    if (validLength < (await handle.stat()).size) {
      // Cut the torn line off, or the next line would be appended to it and be lost with it.
      await handle.truncate(validLength);
      await handle.sync();
    }
    await syncDirectory(this.directory); // the journal may have just been created
    this.journalBytes = validLength;
    this.held = held;
    this.failure = undefined;
    // Marks live in memory only: after a load every entry has mark 0, and the next refresh's is higher.
    const state = { size: held.size, mark: 0 };
    return this.cookie === undefined ? state : { ...state, cookie: Buffer.from(this.cookie) };
  }

  /** Files of older generations and a snapshot a crash left half written. */
  private async removeLeftovers(): Promise<void> {
    for (const name of await nodeFs().readdir(this.directory)) {
      const journal = JOURNAL.exec(name);
      const stale = name === `${SNAPSHOT}.tmp` || (journal !== null && Number(journal[1]) !== this.generation);
      if (stale) await nodeFs().unlink(join(this.directory, name)).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    }
  }

  private async write(batch: SyncBatch): Promise<void> {
    const journal = this.journal;
    if (journal === undefined) throw new SyncStoreStateError('FileSyncStore: open() it before committing');
    if (this.failure !== undefined) throw new SyncStoreStateError('FileSyncStore: an earlier write failed; open() again', { cause: this.failure.error });
    const mark = batch.mark ?? 0;
    const putLines: string[] = [];
    for (const [entryUUID, record] of batch.puts) {
      const line = encodeRecord(entryUUID, record);
      putLines.push(line);
      this.held.set(entryUUID, { line, mark });
    }
    for (const entryUUID of batch.deletes) this.held.delete(entryUUID);
    for (const entryUUID of batch.seen) {
      const held = this.held.get(entryUUID);
      if (held !== undefined) held.mark = mark;
    }
    if (batch.cookie !== undefined) this.cookie = Buffer.from(batch.cookie);
    if (putLines.length === 0 && batch.deletes.size === 0 && batch.cookie === undefined) return; // marks only: nothing to write
    const line = encodeJournalLine(batchJson(putLines, batch.deletes, batch.cookie));
    try {
      if (this.journalBytes + line.length > Math.max(this.compactAtBytes, this.snapshotBytes)) {
        await this.compact(journal); // the new snapshot holds this batch too
      } else {
        await writeAll(journal, line);
        await journal.datasync();
        this.journalBytes += line.length;
      }
    } catch (error) {
      // Memory is now ahead of the files: refuse further commits until the files are read again.
      this.failure = { error };
      throw error;
    }
  }

  private async compact(journal: FileHandle): Promise<void> {
    const previous = this.journalPath;
    const lines = (function* (held: Map<string, Held>): Iterable<string> {
      for (const entry of held.values()) yield entry.line;
    })(this.held);
    this.snapshotBytes = await writeSnapshot(this.snapshotPath, { generation: this.generation + 1, cookie: this.cookie, count: this.held.size, lines });
    this.generation++;
    this.compactions++;
    this.journal = undefined;
    await journal.close();
    this.journal = await nodeFs().open(this.journalPath, 'a');
    await syncDirectory(this.directory);
    this.journalBytes = 0;
    await nodeFs().unlink(previous).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
  }

  private async release(): Promise<void> {
    const journal = this.journal;
    this.journal = undefined;
    this.held = new Map(); // open() reads them again; a closed store should not hold the replica's size in memory
    await journal?.close();
  }
}
