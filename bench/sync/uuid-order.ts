/**
 * A first sync's writes through SqliteSyncStore's API, without a server: N entries shaped like
 * the sync benchmark's, committed as the consumer commits a refresh (batches of 500 under a
 * mark, the cookie with the last), with entryUUIDs in ascending byte order (as slapadd makes
 * them) or random (as Active Directory, 389-ds, or an OpenLDAP directory grown over years has
 * them). Prints one JSON line: CPU (user, system), wall time, peak RSS, and that the store reads
 * back N entries. One store per process, so peak RSS is this run's.
 *
 *   node dist/bench/sync/uuid-order.js sequential|random inline|thread PATH N [1|2]
 *
 * The last argument is the store's format: 2 (default) builds the uuid index once at the end;
 * 1 (a file made as the previous version made them) maintains it row by row: the before and after.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { SqliteSyncStore } from '../../lib/sqlite-store';
import type { SyncRecord } from '../../lib';
import { seededRandom } from '../../spec/support/data';
import { benchRecord } from './bench-record';

const BATCH = 500;

/** Ascending in byte order, like slapadd's time-based entryUUIDs: time_low counts up. */
const sequentialUUID = (i: number): string => `${(0x2499e9ce + i).toString(16).padStart(8, '0')}-85d6-1041-8000-${i.toString(16).padStart(12, '0')}`;

/** An empty store file as format 1 made it: the uuid index is the column's UNIQUE constraint. */
const formatOneFile = (path: string): void => {
  const db = new Database(path);
  db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE entries (id INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE, dn TEXT NOT NULL, dnkey TEXT NOT NULL, attrs TEXT NOT NULL, mark INTEGER NOT NULL);
CREATE INDEX entries_dnkey ON entries (dnkey);
INSERT INTO meta (key, value) VALUES ('format', 1);`);
  db.close();
};

const main = async (): Promise<void> => {
  const [order, writer, path, count, format = '2'] = process.argv.slice(2);
  const n = Number(count);
  if ((order !== 'sequential' && order !== 'random') || (writer !== 'inline' && writer !== 'thread') || path === undefined || !(n > 0)) {
    throw new Error('usage: node uuid-order.js sequential|random inline|thread PATH N');
  }
  if (format === '1') formatOneFile(path);
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const random = seededRandom(3);
  const store = new SqliteSyncStore(path, { writer });
  let lastCommitMs = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await store.open();
  for (let first = 1; first <= n; first += BATCH) {
    const puts = new Map<string, SyncRecord>();
    for (let i = first; i < first + BATCH && i <= n; i++) puts.set(order === 'random' ? randomUUID() : sequentialUUID(i), benchRecord(i, random));
    const last = first + BATCH > n;
    const commitStarted = performance.now();
    await store.commit({ puts, deletes: new Set(), seen: new Set(), mark: 1, ...(last ? { cookie: Buffer.from('rid=000,csn=1') } : {}) });
    if (last) lastCommitMs = performance.now() - commitStarted;
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  clearInterval(sample);
  await store.close();
  const state = await new SqliteSyncStore(path).open();
  if (state.size !== n || state.cookie === undefined) throw new Error(`read back ${state.size} entries, cookie ${String(state.cookie)}; wrote ${n}`);
  const s = (micros: number): number => Math.round(micros / 1e4) / 100;
  process.stdout.write(`${JSON.stringify({ order, writer, format: Number(format), n, userS: s(used.user), systemS: s(used.system), cpuS: s(used.user + used.system), wallS: Math.round(wallMs / 10) / 100, lastCommitS: Math.round(lastCommitMs / 10) / 100, peakRssMiB: Math.round(peakRss / 2 ** 20) })}\n`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`uuid-order failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
