/**
 * Commits a first refresh into an empty SqliteSyncStore as fast as it can, never reaching its
 * cookie, for the spec that kills it with SIGKILL mid-refresh (while the store appends without
 * its uuid index). Batch k (see bulkBatch) is under mark 1; the child says `begin k` before
 * committing it and `end k` after.
 *
 *   node dist/spec/support/bulk-writer-child.js sqlite|sqlite-thread DIR
 */
import type { SyncBatch, SyncRecord } from '../../lib/search/sync';
import { durableStore } from './sync-stores';
import type { DurableStoreName } from './sync-stores';

const uuidOf = (i: number): string => `${(Math.imul(i, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Batch k: entries (k-1)·500+1 … (k-1)·500+1000, each saying which batch wrote it: the first half was sent by batch k-1 too (an entry sent twice). */
export const bulkBatch = (k: number): SyncBatch => {
  const puts = new Map<string, SyncRecord>();
  for (let i = (k - 1) * 500 + 1; i <= (k - 1) * 500 + 1000; i++) {
    puts.set(uuidOf(i), { dn: `uid=p${i},ou=people,dc=example,dc=com`, attributes: { uid: [`p${i}`], batch: [String(k)], description: ['d'.repeat(300)] } });
  }
  return { puts, deletes: new Set(), seen: new Set(), mark: 1 };
};

/** What applying batches 1…c gives: each entry as the last batch that sent it wrote it. */
export const bulkModel = (c: number): Map<string, SyncRecord> => {
  const records = new Map<string, SyncRecord>();
  for (let k = 1; k <= c; k++) for (const [id, record] of bulkBatch(k).puts) records.set(id, record);
  return records;
};

const main = async (): Promise<void> => {
  const [name, dir] = process.argv.slice(2) as [DurableStoreName, string];
  const store = durableStore(name, dir);
  await store.open();
  for (let k = 1; ; k++) {
    process.stdout.write(`begin ${k}\n`);
    await store.commit(bulkBatch(k));
    process.stdout.write(`end ${k}\n`);
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bulk-writer-child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
