import type BetterSqlite3 from 'better-sqlite3';
import { attributesJson } from '../../search/sync/encoded-record';
import type { SyncBatch } from '../../search/sync/types';
import { dnKey, isCanonicalUUID, uuidKey } from './keys';
import { BULK, finishBulk } from './schema';

/**
 * How a batch treats the uuid index (see schema.ts's BULK), as the store decided it: 'none' as
 * ever; 'start' drops the index and appends the batch's rows; 'append' appends them (and builds
 * the index after them when the batch carries the cookie); 'finish' builds the index first,
 * then applies the batch as ever (a batch with deletions or present marks, which look rows up).
 */
export type BulkStep = 'none' | 'start' | 'append' | 'finish';

/**
 * The step a batch takes given what the file says (its bulk flag, read inside the batch's
 * transaction), not only what the store decided: the store's idea can be out of date. Another
 * SqliteSyncStore opened on the file mid-refresh builds the index at its open (and clears the
 * flag), so appending would then fail on the unique index and building would find it exists:
 * the batch upserts instead. And open() called again on an open store recounts its rows and
 * turns the bulk off while the file is mid-bulk, so the upsert would find no unique index to
 * conflict on: the batch builds it first. Kept in step with writer-source.ts's fileStep.
 */
export const fileStep = (step: BulkStep, flagged: boolean): BulkStep => {
  if (flagged) return step === 'none' ? 'finish' : step;
  return step === 'start' ? 'start' : 'none';
};

/**
 * SqliteSyncStore's writes on the calling thread, through the store's own connection (option
 * `writer: 'inline'`): each batch one IMMEDIATE transaction, SQLite's automatic checkpoint as
 * configured. It costs less CPU than the writer thread (no packing, no second decoding of the
 * rows), and on a machine whose cores are busy anyway that is what counts.
 */
export class InlineWriter {
  private readonly apply: BetterSqlite3.Transaction<(batch: SyncBatch, newMark: boolean, bulk: BulkStep) => void>;
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
    // Prepared when first needed: a format 1 file never bulk-loads.
    let appends: { canonical: BetterSqlite3.Statement<[string, string, string, string, number]> | undefined; any: BetterSqlite3.Statement<[Buffer | string, string, string, string, number]> } | undefined;
    const appending = (): NonNullable<typeof appends> =>
      (appends ??= { canonical: putCanonical === undefined ? undefined : db.prepare(BULK.append("unhex(replace(?, '-', ''))")), any: db.prepare(BULK.append('?')) });
    const remove = db.prepare<[Buffer | string]>('DELETE FROM entries WHERE uuid = ?');
    const mark = db.prepare<[number, Buffer | string]>('UPDATE entries SET mark = ? WHERE uuid = ?');
    const setMeta = db.prepare<[string, Buffer | number]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const flagged = db.prepare<[]>(BULK.flagged).pluck();
    this.apply = db.transaction((batch: SyncBatch, newMark: boolean, decided: BulkStep): void => {
      const value = batch.mark ?? 0;
      const bulk = fileStep(decided, flagged.get() !== undefined);
      if (bulk === 'start') db.exec(BULK.start);
      if (bulk === 'finish') finishBulk(db);
      const appended = bulk === 'start' || bulk === 'append';
      // The upsert statements need the unique index, so in bulk the rows take plain inserts (the store sends no deletions or marks then).
      const [canonical, any] = appended ? [appending().canonical, appending().any] : [putCanonical, put];
      for (const entryUUID of batch.deletes) remove.run(uuidKey(entryUUID));
      for (const [entryUUID, record] of batch.puts) {
        if (canonical !== undefined && isCanonicalUUID(entryUUID)) canonical.run(entryUUID, record.dn, dnKey(record.dn), attributesJson(record), value);
        else any.run(uuidKey(entryUUID), record.dn, dnKey(record.dn), attributesJson(record), value);
      }
      for (const entryUUID of batch.seen) mark.run(value, uuidKey(entryUUID));
      if (newMark) setMeta.run('mark', value);
      if (batch.cookie !== undefined) {
        if (appended) finishBulk(db);
        setMeta.run('cookie', batch.cookie);
      }
    });
  }

  /** Applies the batch in one transaction, fsynced when `fsync` (a pragma, outside the transaction). */
  commit(batch: SyncBatch, newMark: boolean, fsync: boolean, bulk: BulkStep = 'none'): void {
    if (fsync !== this.fsyncs) {
      this.db.pragma(`synchronous = ${fsync ? 'FULL' : 'NORMAL'}`);
      this.fsyncs = fsync;
    }
    this.apply.immediate(batch, newMark, bulk);
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
