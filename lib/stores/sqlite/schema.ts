/**
 * The tables of a SqliteSyncStore and the connection settings it runs with.
 *
 * entries: one row per replicated entry. `id` is the rowid, so rows are appended in the order
 * they arrive (a first sync writes the table sequentially) and pages of the present phase's
 * sweep follow it; `uuid` is the entryUUID (see keys.ts) under a unique index, `dnkey` the DN
 * key under an index of its own, `attrs` the attributes as JSON, `mark` the refresh mark.
 * meta: the cookie, the highest mark, and the format, in rows of their own.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { SyncStoreCorruptError } from '../../errors';

export const FORMAT = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY,
  uuid BLOB NOT NULL UNIQUE,
  dn TEXT NOT NULL,
  dnkey TEXT NOT NULL,
  attrs TEXT NOT NULL,
  mark INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_dnkey ON entries (dnkey);
`;

export interface ConnectionSettings {
  /** The level the connection starts with ('full': every commit fsynced; 'normal': at checkpoints). The store raises it for the commits that carry a cookie. */
  readonly synchronous: 'full' | 'normal';
  readonly cacheKiB: number;
  readonly walAutocheckpointPages: number;
}

/** WAL, the sync level, the page cache, then the tables; refuses a file of another format. */
export const prepareDatabase = (db: BetterSqlite3.Database, path: string, settings: ConnectionSettings): void => {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${settings.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`cache_size = -${Math.max(1024, Math.floor(settings.cacheKiB))}`);
  db.pragma(`wal_autocheckpoint = ${Math.max(100, Math.floor(settings.walAutocheckpointPages))}`);
  db.pragma('temp_store = MEMORY');
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(SCHEMA);
    const format = db.prepare<[string], { value: unknown }>('SELECT value FROM meta WHERE key = ?').get('format');
    if (format === undefined) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('format', FORMAT);
    else if (format.value !== FORMAT) throw new SyncStoreCorruptError(`store format ${String(format.value)} is not one this version reads (${FORMAT})`, path);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
};
