import { nodeFs } from '../../util/lazy-builtins';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncStoreStateError } from '../../errors';
import { batchJson, encodeJournalLine, readJournal } from './journal-codec';
import { encodeRecord } from './record-codec';
import { readSnapshot, syncDirectory, writeAll, writeSnapshot } from './snapshot-file';
import type { SyncBatch, SyncRecord, SyncStoreContents, SyncStore } from './types';

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

/**
 * A durable SyncStore in a directory of its own: a snapshot (`snapshot.jsonl`) plus a journal
 * (`journal-<generation>.jsonl`) of the batches committed since. Each commit appends one line
 * holding the batch's entries, deletions and cookie, and fsyncs it before resolving, so the
 * cookie is never on disk without the data it covers, and a crash loses at most the commit
 * under way (a torn last line is recognised by its checksum and dropped on load).
 *
 * Now and then the journal is folded into a new snapshot (write, fsync, rename, fsync the
 * directory), and the next generation's journal starts empty. One process at a time may use a
 * directory; the store keeps each record's encoded line in memory to write snapshots from.
 */
export class FileSyncStore implements SyncStore {
  private lines = new Map<string, string>();
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

  load(): Promise<SyncStoreContents> {
    return this.serially(() => this.open());
  }

  commit(batch: SyncBatch): Promise<void> {
    return this.serially(() => this.write(batch));
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

  private async open(): Promise<SyncStoreContents> {
    await this.release();
    await nodeFs().mkdir(this.directory, { recursive: true });
    const snapshot = await readSnapshot(this.snapshotPath);
    this.generation = snapshot?.generation ?? 0;
    this.snapshotBytes = snapshot?.bytes ?? 0;
    this.cookie = snapshot?.cookie;
    this.lines = snapshot?.lines ?? new Map<string, string>();
    const records = snapshot?.records ?? new Map<string, SyncRecord>();
    await this.removeLeftovers();

    let data: Buffer;
    try {
      data = await nodeFs().readFile(this.journalPath);
    } catch (error) {
      if (!isMissing(error)) throw error;
      data = Buffer.alloc(0);
    }
    const journal = readJournal(data, this.journalPath);
    for (const batch of journal.batches) {
      for (const entryUUID of batch.deletes) {
        records.delete(entryUUID);
        this.lines.delete(entryUUID);
      }
      for (const { entryUUID, record } of batch.puts) {
        records.set(entryUUID, record);
        this.lines.set(entryUUID, encodeRecord(entryUUID, record));
      }
      if (batch.cookie !== undefined) this.cookie = batch.cookie;
    }
    const handle = await nodeFs().open(this.journalPath, 'a');
    this.journal = handle;
    if (journal.validLength < data.length) {
      // Cut the torn line off, or the next line would be appended to it and be lost with it.
      await handle.truncate(journal.validLength);
      await handle.sync();
    }
    await syncDirectory(this.directory); // the journal may have just been created
    this.journalBytes = journal.validLength;
    this.failure = undefined;
    return this.cookie === undefined ? { records } : { records, cookie: Buffer.from(this.cookie) };
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
    if (journal === undefined) throw new SyncStoreStateError('FileSyncStore: load() it before committing');
    if (this.failure !== undefined) throw new SyncStoreStateError('FileSyncStore: an earlier write failed; load() again', { cause: this.failure.error });
    const putLines: string[] = [];
    for (const [entryUUID, record] of batch.puts) {
      const line = encodeRecord(entryUUID, record);
      putLines.push(line);
      this.lines.set(entryUUID, line);
    }
    for (const entryUUID of batch.deletes) this.lines.delete(entryUUID);
    if (batch.cookie !== undefined) this.cookie = Buffer.from(batch.cookie);
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
    this.snapshotBytes = await writeSnapshot(this.snapshotPath, { generation: this.generation + 1, cookie: this.cookie, lines: this.lines });
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
    this.lines = new Map(); // load() reads them again; a closed store should not hold the replica's size in memory
    await journal?.close();
  }
}
