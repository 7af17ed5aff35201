import type BetterSqlite3 from 'better-sqlite3';
import { SyncStoreCorruptError, SyncStoreStateError } from '../../errors';
import type { SyncAttributes, SyncBatch, SyncRecord, SyncStore, SyncStoreState, UnmarkedPage } from '../../search/sync/types';
import { attributesJson } from '../../search/sync/encoded-record';
import { driverPath, loadDriver } from './driver';
import { SEPARATOR, SEPARATOR_END, dnKey, uuidFromKey, uuidKey } from './keys';
import { prepareDatabase } from './schema';
import { InlineWriter } from './inline-writer';
import { RowBuffers, SqliteWriter } from './writer';
import type { PackedRows } from './writer';

export interface SqliteSyncStoreOptions {
  /**
   * When a commit is fsynced before it resolves. 'cookies' (default): each commit that carries a
   * cookie (every group commit of the persist stage, the end of each refresh phase), and with it
   * every commit before it, since the WAL is replayed in order; the commits of a long refresh in
   * between are written but not fsynced, which makes an initial sync several times faster.
   * 'full': every commit. 'normal': only at checkpoints. A process crash loses no commit in any
   * mode; a power loss may take the commits since the last fsync, never tear one, and never
   * leave a cookie without the data it covers.
   */
  synchronous?: 'cookies' | 'full' | 'normal';
  /**
   * Where commits run. 'thread': on a worker thread of the store's own, so a consumer decodes
   * the next batch while one commits (faster when a core is free for it; more CPU in all).
   * 'inline' (default): on the calling thread, the least CPU (faster on a machine whose cores
   * are busy: measured at 1,000,000 entries on 2 busy cores, inline 17-24 s, thread 23-25 s).
   */
  writer?: 'inline' | 'thread';
  /** SQLite's page cache in KiB (default 16,384: 16 MiB). Part of the process's memory, whatever the store's size. */
  cacheKiB?: number;
  /**
   * WAL pages (4 KiB each, estimated from the rows written) after which the writer thread
   * checkpoints the WAL into the database (default 10,000): a PASSIVE checkpoint run after the
   * commit that crossed the mark has been answered, so that commit does not wait for it.
   */
  walAutocheckpointPages?: number;
}

/** An entry as the store holds it, for the application's own look-ups. */
export interface StoredEntry {
  readonly entryUUID: string;
  readonly dn: string;
  readonly attributes: SyncAttributes;
}

/** Rows read per query by the iterating methods, so no statement stays open across a yield. */
const PAGE = 1000;

interface Row {
  id: number;
  uuid: Buffer | string;
  dn: string;
  attrs: string;
}

const parseAttributes = (json: string, path: string): SyncAttributes => {
  try {
    return JSON.parse(json) as SyncAttributes;
  } catch {
    throw new SyncStoreCorruptError('an entry\'s attributes are not JSON', path);
  }
};

/**
 * A batch's rows for the writer thread: entryUUID, DN, DN key and attributes as JSON, four
 * fields per entry, UTF-8 encoded one after the other into a shared buffer (RowBuffers), each
 * field's byte length in `lengths`. Cloning a string per field to the thread, or allocating a
 * buffer per batch, cost the main thread as much as the rest of the commit (the latter in
 * garbage collection: each batch's megabyte of external memory).
 */
const packRows = (batch: SyncBatch, buffers: RowBuffers): PackedRows => {
  const lengths = new Uint32Array(batch.puts.size * 4);
  let bytes = buffers.take(batch.puts.size * 512);
  let at = 0;
  let field = 0;
  const write = (text: string): void => {
    // A UTF-8 byte per UTF-16 unit at least, three at most: grow before a write could overflow.
    if (at + text.length * 3 > bytes.length) bytes = buffers.grow(bytes, at, at + text.length * 3);
    const written = bytes.write(text, at);
    lengths[field++] = written;
    at += written;
  };
  for (const [entryUUID, record] of batch.puts) {
    write(entryUUID);
    write(record.dn);
    write(dnKey(record.dn));
    write(attributesJson(record));
  }
  return { bytes, size: at, lengths };
};

interface Statements {
  get: BetterSqlite3.Statement<[Buffer | string], { dn: string; attrs: string }>;
  byDn: BetterSqlite3.Statement<[string], Row>;
  unmarked: BetterSqlite3.Statement<[number, number, number], { id: number; uuid: Buffer | string; dn: string }>;
  page: BetterSqlite3.Statement<[number, number], Row>;
  range: BetterSqlite3.Statement<[string, number, string, number, string, number], Row & { dnkey: string }>;
}

/**
 * A durable SyncStore in one SQLite file (better-sqlite3, an optional peer dependency: `npm
 * install better-sqlite3@12`), for replicas of any size: entries live on disk, indexed by
 * entryUUID and by DN, so the store's memory is SQLite's page cache (`cacheKiB`) whatever the
 * directory's size. The database runs in WAL mode; each commit is one transaction holding the
 * batch's entries, deletions, present marks and cookie, so the cookie is never stored without
 * the data it covers, and each commit that carries a cookie is fsynced (see `synchronous`).
 * With `writer: 'thread'` writes run on a worker thread of the store's own, so a consumer
 * decodes the next batch while one commits; look-ups then read through a second connection.
 *
 * Beside serving a SyncReplConsumer, it answers the application without a directory round trip:
 * getByUUID, getByDN, subtree. Those read what is committed. One process at a time may write the
 * file; other processes may read it with SQLite in WAL mode.
 */
export class SqliteSyncStore implements SyncStore {
  private db: BetterSqlite3.Database | undefined;
  private statements: Statements | undefined;
  private writer: SqliteWriter | InlineWriter | undefined;
  private mark = 0;

  constructor(
    /** The database file (created when missing; `-wal` and `-shm` files live beside it). */
    readonly path: string,
    private readonly options: SqliteSyncStoreOptions = {},
  ) {}

  async open(): Promise<SyncStoreState> {
    const db = await this.connection();
    const meta = db.prepare<[string], { value: unknown }>('SELECT value FROM meta WHERE key = ?');
    const cookie = meta.get('cookie')?.value;
    const mark = meta.get('mark')?.value;
    this.mark = typeof mark === 'number' ? mark : 0;
    const size = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM entries').get()?.n ?? 0;
    const state = { size, mark: this.mark };
    return Buffer.isBuffer(cookie) ? { ...state, cookie: Buffer.from(cookie) } : state;
  }

  async get(entryUUID: string): Promise<SyncRecord | undefined> {
    const row = this.prepared().get.get(uuidKey(entryUUID));
    return row === undefined ? undefined : { dn: row.dn, attributes: parseAttributes(row.attrs, this.path) };
  }

  /**
   * Writes the batch in one transaction and resolves when it is committed. With the writer
   * thread the main thread is free meanwhile, which the consumer uses to decode the next batch;
   * the rows are keyed and encoded here, since the thread has none of rxldap's code.
   */
  async commit(batch: SyncBatch): Promise<void> {
    const writer = this.writer;
    if (writer === undefined) throw new SyncStoreStateError('SqliteSyncStore: open() it first');
    const mark = batch.mark ?? 0;
    const newMark = batch.mark !== undefined && batch.mark > this.mark;
    const mode = this.options.synchronous ?? 'cookies';
    // 'cookies': fsync exactly the commits that move the cookie on.
    const fsync = mode === 'full' || (mode === 'cookies' && batch.cookie !== undefined);
    if (writer instanceof InlineWriter) {
      writer.commit(batch, newMark, fsync);
      if (newMark) this.mark = mark;
      return;
    }
    const puts = packRows(batch, writer.buffers);
    if (newMark) this.mark = mark;
    await writer.commit({
      deletes: [...batch.deletes],
      puts,
      seen: [...batch.seen],
      mark,
      newMark,
      fsync,
      ...(batch.cookie === undefined ? {} : { cookie: batch.cookie }),
    });
  }

  async unmarked(mark: number, limit: number, after?: string): Promise<UnmarkedPage> {
    const rows = this.prepared().unmarked.all(after === undefined ? 0 : Number(after), mark, limit);
    const entries = rows.map((row) => ({ entryUUID: uuidFromKey(row.uuid), dn: row.dn }));
    const last = rows[rows.length - 1];
    return rows.length === limit && last !== undefined ? { entries, next: String(last.id) } : { entries };
  }

  async *entries(): AsyncIterable<[string, SyncRecord]> {
    for await (const entry of this.pages((after) => this.prepared().page.all(after, PAGE))) {
      yield [entry.entryUUID, { dn: entry.dn, attributes: entry.attributes }];
    }
  }

  /** The committed entry with this entryUUID. */
  async getByUUID(entryUUID: string): Promise<StoredEntry | undefined> {
    const record = await this.get(entryUUID);
    return record === undefined ? undefined : { entryUUID, ...record };
  }

  /** The committed entry with this DN, compared as LDAP compares DNs (`UID=Ann, OU=People,…` finds `uid=ann,ou=people,…`). */
  async getByDN(dn: string): Promise<StoredEntry | undefined> {
    const row = this.prepared().byDn.get(dnKey(dn));
    return row === undefined ? undefined : this.entry(row);
  }

  /**
   * The committed entries at and below `base` ('sub', the default), or directly below it
   * ('one'), in DN-key order, read a page at a time (commits between pages show).
   */
  async *subtree(base: string, scope: 'one' | 'sub' = 'sub'): AsyncIterable<StoredEntry> {
    const key = dnKey(base);
    // The root's subtree is every row; any other is the keys from its own up to its own + SEPARATOR_END.
    const unbounded = key === '' ? 1 : 0;
    const to = `${key}${SEPARATOR_END}`;
    const childStart = key === '' ? 0 : key.length + 1;
    let lastKey = '';
    let lastId = -1;
    let first = true;
    for (;;) {
      const rows = this.prepared().range.all(key, unbounded, to, first ? 1 : 0, lastKey, lastId);
      first = false;
      for (const row of rows) {
        lastKey = row.dnkey;
        lastId = row.id;
        if (scope === 'one' && (row.dnkey.length < childStart || row.dnkey === key || row.dnkey.includes(SEPARATOR, childStart))) continue;
        yield this.entry(row);
      }
      if (rows.length < PAGE) return;
    }
  }

  async close(): Promise<void> {
    const db = this.db;
    const writer = this.writer;
    this.db = undefined;
    this.writer = undefined;
    this.statements = undefined;
    if (writer instanceof SqliteWriter) await writer.close();
    db?.close();
  }

  private async connection(): Promise<BetterSqlite3.Database> {
    if (this.db !== undefined) return this.db;
    const Database = await loadDriver();
    const db = new Database(this.path);
    const cacheKiB = Math.max(1024, Math.floor(this.options.cacheKiB ?? 16_384));
    const walAutocheckpointPages = Math.max(100, Math.floor(this.options.walAutocheckpointPages ?? 10_000));
    try {
      // This connection reads (look-ups, the sweep, the application's queries); a small cache
      // will do, the writer thread's connection has the configured one.
      const synchronous = this.options.synchronous ?? 'cookies';
      if (this.options.writer === 'thread') {
        prepareDatabase(db, this.path, { synchronous: 'normal', cacheKiB: Math.min(cacheKiB, 4096), walAutocheckpointPages });
        this.writer = new SqliteWriter({ driver: driverPath(), path: this.path, synchronous, cacheKiB, walAutocheckpointPages });
      } else {
        prepareDatabase(db, this.path, { synchronous: synchronous === 'full' ? 'full' : 'normal', cacheKiB, walAutocheckpointPages });
        this.writer = new InlineWriter(db, synchronous);
      }
      this.statements = this.prepare(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    return db;
  }

  private prepared(): Statements {
    if (this.statements === undefined) throw new SyncStoreStateError('SqliteSyncStore: open() it first');
    return this.statements;
  }

  private prepare(db: BetterSqlite3.Database): Statements {
    const columns = 'id, uuid, dn, attrs';
    const statements: Statements = {
      get: db.prepare('SELECT dn, attrs FROM entries WHERE uuid = ?'),
      byDn: db.prepare(`SELECT ${columns} FROM entries WHERE dnkey = ? LIMIT 1`),
      unmarked: db.prepare('SELECT id, uuid, dn FROM entries WHERE id > ? AND mark <> ? ORDER BY id LIMIT ?'),
      page: db.prepare(`SELECT ${columns} FROM entries WHERE id > ? ORDER BY id LIMIT ?`),
      // Keyset pagination over the dnkey index: (dnkey, id) after the last row seen, or from `from` on the first page.
      range: db.prepare(
        `SELECT ${columns}, dnkey FROM entries WHERE dnkey >= ? AND (? = 1 OR dnkey < ?) AND (? = 1 OR (dnkey, id) > (?, ?)) ORDER BY dnkey, id LIMIT ${PAGE}`,
      ),
    };
    return statements;
  }

  private async *pages(read: (after: number) => Row[]): AsyncIterable<StoredEntry> {
    let after = 0;
    for (;;) {
      const rows = read(after);
      for (const row of rows) yield this.entry(row);
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < PAGE) return;
      after = last.id;
    }
  }

  private entry(row: Row): StoredEntry {
    return { entryUUID: uuidFromKey(row.uuid), dn: row.dn, attributes: parseAttributes(row.attrs, this.path) };
  }
}
