/**
 * The tables of a SqliteSyncStore and the connection settings it runs with.
 *
 * entries: one row per replicated entry. `id` is the rowid, so rows are appended in the order
 * they arrive (a first sync writes the table sequentially) and pages of the present phase's
 * sweep follow it; `uuid` is the entryUUID (see keys.ts) under a unique index, `dnkey` the DN
 * key under an index of its own, `attrs` the attributes as JSON, `mark` the refresh mark.
 * meta: the cookie, the highest mark, the format, and (format 2) the bulk flag, in rows of their own.
 *
 * Format 2 differs from 1 in one thing: the uuid index is an index of its own (entries_uuid),
 * not the column's UNIQUE constraint, so a first refresh into an empty store can drop it, append
 * its rows, and build it once with the refresh's cookie (see BULK below). A format 1 file is
 * read and written as it is, its index maintained row by row.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { SyncStoreCorruptError } from '../../errors';

/** The format of a file this version creates. */
export const FORMAT = 2;
/** The formats this version reads and writes. */
const FORMATS: readonly unknown[] = [1, 2];

const META = 'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;';

const ENTRIES: Record<1 | 2, string> = {
  1: `
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY,
  uuid BLOB NOT NULL UNIQUE,
  dn TEXT NOT NULL,
  dnkey TEXT NOT NULL,
  attrs TEXT NOT NULL,
  mark INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_dnkey ON entries (dnkey);`,
  2: `
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY,
  uuid BLOB NOT NULL,
  dn TEXT NOT NULL,
  dnkey TEXT NOT NULL,
  attrs TEXT NOT NULL,
  mark INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_dnkey ON entries (dnkey);
CREATE UNIQUE INDEX IF NOT EXISTS entries_uuid ON entries (uuid);`,
};

/**
 * The statements of a bulk refresh (format 2 only), shared by the inline writer and the writer
 * thread (which gets them in its workerData).
 *
 * Why: with random entryUUIDs (Active Directory's objectGUIDs, 389-ds, an OpenLDAP directory
 * grown over years) each commit of a first sync dirtied a leaf page of the uuid index per row,
 * each written to the WAL again: 1,000,000 rows cost three times the CPU of sequential ones.
 * Appending the rows and sorting the index once costs about what sequential keys do.
 *
 * start: drops the index and sets the flag, in the transaction of the refresh's first batch.
 * append: a row, without looking for an existing one (so the same entryUUID sent twice is two rows).
 * build: the index, with the refresh's cookie, in the same transaction: a cookie is never stored
 * without its index; on a UNIQUE failure (an entry sent twice) `dedup` keeps each entryUUID's
 * last row, and build runs again. A store opened with the flag set (a crash mid-refresh) is
 * built at open.
 */
export const BULK = {
  start: "DROP INDEX IF EXISTS entries_uuid; INSERT INTO meta (key, value) VALUES ('bulk', 1) ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
  append: (uuid: string): string => `INSERT INTO entries (uuid, dn, dnkey, attrs, mark) VALUES (${uuid}, ?, ?, ?, ?)`,
  build: 'CREATE UNIQUE INDEX entries_uuid ON entries (uuid)',
  dedup: 'DELETE FROM entries WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY uuid ORDER BY id DESC) AS n FROM entries) WHERE n > 1)',
  end: "DELETE FROM meta WHERE key = 'bulk'",
  /** Whether the file is mid-bulk: read in each batch's transaction (see inline-writer.ts's fileStep). */
  flagged: "SELECT 1 FROM meta WHERE key = 'bulk'",
  /**
   * Around build: the connection keeps temporary data in memory, where SQLite's sorter never
   * spills, so the index's sort held every key at once (+50 MiB of peak RSS at 1,000,000 rows);
   * on disk it sorts runs of the page cache's size and merges them. Allowed in a transaction
   * while the connection has no temporary tables; if refused, the sort stays in memory.
   */
  sortOnDisk: 'PRAGMA temp_store = FILE',
  sortInMemory: 'PRAGMA temp_store = MEMORY',
} as const;

/** Builds the uuid index of a bulk refresh and clears the flag (inside the caller's transaction). */
export const finishBulk = (db: BetterSqlite3.Database): void => {
  const onDisk = tryExec(db, BULK.sortOnDisk);
  try {
    try {
      db.exec(BULK.build);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      db.exec(BULK.dedup);
      db.exec(BULK.build);
    }
  } finally {
    if (onDisk) tryExec(db, BULK.sortInMemory);
  }
  db.exec(BULK.end);
};

const tryExec = (db: BetterSqlite3.Database, sql: string): boolean => {
  try {
    db.exec(sql);
    return true;
  } catch {
    return false;
  }
};

export interface ConnectionSettings {
  /** The level the connection starts with ('full': every commit fsynced; 'normal': at checkpoints). The store raises it for the commits that carry a cookie. */
  readonly synchronous: 'full' | 'normal';
  readonly cacheKiB: number;
  readonly walAutocheckpointPages: number;
}

/** What prepareDatabase found. */
export interface PreparedFile {
  readonly format: 1 | 2;
}

/**
 * WAL, the sync level, the page cache, then the tables; refuses a file of another format. A
 * format 2 file left mid-bulk (a crash before the refresh's cookie) gets its uuid index here.
 */
export const prepareDatabase = (db: BetterSqlite3.Database, path: string, settings: ConnectionSettings): PreparedFile => {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${settings.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`cache_size = -${Math.max(1024, Math.floor(settings.cacheKiB))}`);
  db.pragma(`wal_autocheckpoint = ${Math.max(100, Math.floor(settings.walAutocheckpointPages))}`);
  db.pragma('temp_store = MEMORY');
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(META);
    const meta = db.prepare<[string], { value: unknown }>('SELECT value FROM meta WHERE key = ?');
    const stored = meta.get('format');
    if (stored !== undefined && !FORMATS.includes(stored.value)) {
      throw new SyncStoreCorruptError(`store format ${String(stored.value)} is not one this version reads (${FORMATS.join(', ')})`, path);
    }
    const format = stored === undefined ? FORMAT : (stored.value as 1 | 2);
    if (stored === undefined) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('format', format);
    if (format === 2 && meta.get('bulk') !== undefined) finishBulk(db);
    db.exec(ENTRIES[format]);
    db.exec('COMMIT');
    return { format };
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
};
