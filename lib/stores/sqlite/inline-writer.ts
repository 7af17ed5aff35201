import type BetterSqlite3 from 'better-sqlite3';
import { attributesJson } from '../../search/sync/encoded-record';
import type { SyncBatch } from '../../search/sync/types';
import { dnKey, isCanonicalUUID, uuidKey } from './keys';

/**
 * SqliteSyncStore's writes on the calling thread, through the store's own connection (option
 * `writer: 'inline'`): each batch one IMMEDIATE transaction, SQLite's automatic checkpoint as
 * configured. It costs less CPU than the writer thread (no packing, no second decoding of the
 * rows), and on a machine whose cores are busy anyway that is what counts.
 */
export class InlineWriter {
  private readonly apply: BetterSqlite3.Transaction<(batch: SyncBatch, newMark: boolean) => void>;
  private fsyncs: boolean;

  constructor(
    private readonly db: BetterSqlite3.Database,
    synchronous: 'cookies' | 'full' | 'normal',
  ) {
    this.fsyncs = synchronous === 'full';
    const upsert = (uuid: string): string =>
      `INSERT INTO entries (uuid, dn, dnkey, attrs, mark) VALUES (${uuid}, ?, ?, ?, ?) ` +
      'ON CONFLICT (uuid) DO UPDATE SET dn = excluded.dn, dnkey = excluded.dnkey, attrs = excluded.attrs, mark = excluded.mark';
    // A canonical entryUUID is bound as text and made the key's 16 bytes by SQLite (as uuidKey
    // makes them): a Buffer per entry was a twentieth of a first sync's time, with its garbage.
    // unhex() is SQLite 3.41's: a better-sqlite3 built against an older system SQLite makes the
    // key in JavaScript, as before (the same 16 bytes, so the file is the same either way).
    const putCanonical = hasUnhex(db) ? db.prepare<[string, string, string, string, number]>(upsert("unhex(replace(?, '-', ''))")) : undefined;
    const put = db.prepare<[Buffer | string, string, string, string, number]>(upsert('?'));
    const remove = db.prepare<[Buffer | string]>('DELETE FROM entries WHERE uuid = ?');
    const mark = db.prepare<[number, Buffer | string]>('UPDATE entries SET mark = ? WHERE uuid = ?');
    const setMeta = db.prepare<[string, Buffer | number]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.apply = db.transaction((batch: SyncBatch, newMark: boolean): void => {
      const value = batch.mark ?? 0;
      for (const entryUUID of batch.deletes) remove.run(uuidKey(entryUUID));
      for (const [entryUUID, record] of batch.puts) {
        if (putCanonical !== undefined && isCanonicalUUID(entryUUID)) putCanonical.run(entryUUID, record.dn, dnKey(record.dn), attributesJson(record), value);
        else put.run(uuidKey(entryUUID), record.dn, dnKey(record.dn), attributesJson(record), value);
      }
      for (const entryUUID of batch.seen) mark.run(value, uuidKey(entryUUID));
      if (newMark) setMeta.run('mark', value);
      if (batch.cookie !== undefined) setMeta.run('cookie', batch.cookie);
    });
  }

  /** Applies the batch in one transaction, fsynced when `fsync` (a pragma, outside the transaction). */
  commit(batch: SyncBatch, newMark: boolean, fsync: boolean): void {
    if (fsync !== this.fsyncs) {
      this.db.pragma(`synchronous = ${fsync ? 'FULL' : 'NORMAL'}`);
      this.fsyncs = fsync;
    }
    this.apply.immediate(batch, newMark);
  }
}

/** Whether this SQLite has unhex() (3.41 and later). */
export const hasUnhex = (db: BetterSqlite3.Database): boolean => {
  try {
    db.prepare("SELECT unhex('00')").get();
    return true;
  } catch {
    return false;
  }
};
