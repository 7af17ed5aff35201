import type { SyncBatch, SyncRecord, SyncStoreContents, SyncStore } from './types';

const copyRecord = (record: SyncRecord): SyncRecord => ({
  dn: record.dn,
  attributes: Object.fromEntries(Object.entries(record.attributes).map(([name, values]) => [name, [...values]])),
});

/**
 * A SyncStore in memory: fast, gone with the process. One instance can serve consumer after
 * consumer (close() keeps the data), which is how a restart is simulated; each load() hands out
 * copies, so a consumer never changes the stored state except through commit().
 */
export class MemorySyncStore implements SyncStore {
  private readonly records = new Map<string, SyncRecord>();
  private cookie: Buffer | undefined;
  /** Commits applied so far (for tests and metrics). */
  commits = 0;

  async load(): Promise<SyncStoreContents> {
    const records = new Map<string, SyncRecord>();
    for (const [entryUUID, record] of this.records) records.set(entryUUID, copyRecord(record));
    return this.cookie === undefined ? { records } : { records, cookie: Buffer.from(this.cookie) };
  }

  async commit(batch: SyncBatch): Promise<void> {
    for (const entryUUID of batch.deletes) this.records.delete(entryUUID);
    for (const [entryUUID, record] of batch.puts) this.records.set(entryUUID, copyRecord(record));
    if (batch.cookie !== undefined) this.cookie = Buffer.from(batch.cookie);
    this.commits++;
  }

  async close(): Promise<void> {
    // Nothing is held open, and the data stays for the next consumer.
  }
}
