/**
 * Commits numbered batches into a durable store as fast as it can, for the spec that kills it
 * with SIGKILL in the middle of a commit. Batch k (see storeKillBatch) carries cookie `k`; the
 * child resumes after the cookie the store holds. It says `begin k` before committing batch k
 * and `end k` after.
 *
 *   node dist/spec/support/store-writer-child.js file|sqlite DIR
 */
import type { SyncBatch, SyncRecord } from '../../lib/search/sync';
import { durableStore } from './sync-stores';
import type { DurableStoreName } from './sync-stores';

const PER_BATCH = 2000;

const uuidOf = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/**
 * Batch k: puts entries (k-1)·1000+1 … (k-1)·1000+2000 (the first half rewrites the previous
 * batch's second half), each saying which batch wrote it, and deletes half of what batch k-2 wrote
 * first. A store that applied batches 1…c exactly is told apart from any other state.
 */
export const storeKillBatch = (k: number): SyncBatch => {
  const puts = new Map<string, SyncRecord>();
  for (let i = (k - 1) * 1000 + 1; i <= (k - 1) * 1000 + PER_BATCH; i++) {
    puts.set(uuidOf(i), { dn: `uid=p${i},ou=people,dc=example,dc=com`, attributes: { uid: [`p${i}`], batch: [String(k)], description: ['d'.repeat(300)] } });
  }
  const deletes = new Set<string>();
  for (let i = (k - 3) * 1000 + 1; k >= 3 && i <= (k - 3) * 1000 + 500; i++) deletes.add(uuidOf(i));
  return { puts, deletes, seen: new Set(), mark: k, cookie: Buffer.from(String(k)) };
};

const main = async (): Promise<void> => {
  const [name, dir] = process.argv.slice(2) as [DurableStoreName, string];
  const store = durableStore(name, dir);
  const state = await store.open();
  for (let k = Number(state.cookie?.toString() ?? '0') + 1; ; k++) {
    const batch = storeKillBatch(k);
    process.stdout.write(`begin ${k}\n`);
    await store.commit(batch);
    process.stdout.write(`end ${k}\n`);
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`store-writer-child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
