import { EncodedRecord } from './encoded-record';
import type { SyncBatch, SyncRecord, SyncStore, SyncStoreState, UnmarkedPage } from './types';

/**
 * A record of its own: what a store or the consumer hands out must not be the object it keeps.
 * A record whose attributes nobody has read yet is copied as its JSON text (lazy again).
 */
export const copyRecord = (record: SyncRecord): SyncRecord =>
  (record instanceof EncodedRecord ? record.copy() : undefined) ?? {
    dn: record.dn,
    attributes: Object.fromEntries(Object.entries(record.attributes).map(([name, values]) => [name, [...values]])),
  };

interface Stored {
  record: SyncRecord;
  mark: number;
}

/**
 * A SyncStore in memory: fast, gone with the process, and as large as the replica (for tests
 * and small replicas; SqliteSyncStore keeps a large one on disk). One instance can serve
 * consumer after consumer (close() keeps the data), which is how a restart is simulated; get()
 * and entries() hand out copies, so a consumer never changes the stored state except through
 * commit().
 */
export class MemorySyncStore implements SyncStore {
  private readonly records = new Map<string, Stored>();
  private cookie: Buffer | undefined;
  private mark = 0;
  /** Commits applied so far (for tests and metrics). */
  commits = 0;

  async open(): Promise<SyncStoreState> {
    const state = { size: this.records.size, mark: this.mark };
    return this.cookie === undefined ? state : { ...state, cookie: Buffer.from(this.cookie) };
  }

  async get(entryUUID: string): Promise<SyncRecord | undefined> {
    const stored = this.records.get(entryUUID);
    return stored === undefined ? undefined : copyRecord(stored.record);
  }

  async commit(batch: SyncBatch): Promise<void> {
    const mark = batch.mark ?? 0;
    for (const entryUUID of batch.deletes) this.records.delete(entryUUID);
    for (const [entryUUID, record] of batch.puts) this.records.set(entryUUID, { record: copyRecord(record), mark });
    for (const entryUUID of batch.seen) {
      const stored = this.records.get(entryUUID);
      if (stored !== undefined) stored.mark = mark;
    }
    if (batch.mark !== undefined && batch.mark > this.mark) this.mark = batch.mark;
    if (batch.cookie !== undefined) this.cookie = Buffer.from(batch.cookie);
    this.commits++;
  }

  async unmarked(mark: number, limit: number): Promise<UnmarkedPage> {
    // The consumer deletes each page before asking for the next, so a scan from the start finds the next page.
    const entries: Array<{ entryUUID: string; dn: string }> = [];
    for (const [entryUUID, stored] of this.records) {
      if (stored.mark === mark) continue;
      if (entries.length === limit) return { entries, next: '' };
      entries.push({ entryUUID, dn: stored.record.dn });
    }
    return { entries };
  }

  async *entries(): AsyncIterable<[string, SyncRecord]> {
    for (const [entryUUID, stored] of this.records) yield [entryUUID, copyRecord(stored.record)];
  }

  async close(): Promise<void> {
    // Nothing is held open, and the data stays for the next consumer.
  }
}
