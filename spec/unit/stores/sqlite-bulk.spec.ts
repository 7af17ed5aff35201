import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncBatch, SyncRecord } from '../../../lib/search/sync';
import { SqliteSyncStore } from '../../../lib/sqlite-store';
import { readStore } from '../../support/sync-stores';
import { uuid } from '../search/sync/sync-events';

const BASE = 'dc=example,dc=com';
const recordFor = (n: number, version = 1): SyncRecord => ({ dn: `uid=u${n},${BASE}`, attributes: { uid: [`u${n}`], description: [`version ${version}`] } });

/** A refresh's batch: puts of entries `ns` (at `version`), under mark 1, the cookie only when given. */
const refresh = (ns: number[], options: { version?: number; cookie?: string; deletes?: number[]; seen?: number[] } = {}): SyncBatch => ({
  puts: new Map(ns.map((n) => [uuid(n), recordFor(n, options.version)])),
  deletes: new Set((options.deletes ?? []).map(uuid)),
  seen: new Set((options.seen ?? []).map(uuid)),
  mark: 1,
  ...(options.cookie === undefined ? {} : { cookie: Buffer.from(options.cookie) }),
});

/** What the file says: its format, whether the uuid index exists, the bulk flag, the rows per entryUUID (hex). */
const inspect = (path: string): { format: unknown; uuidIndex: boolean; bulk: boolean; rows: number; unique: number } => {
  const db = new Database(path, { readonly: true });
  try {
    const meta = (key: string): unknown => db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'").pluck().all() as string[];
    return {
      format: meta('format'),
      uuidIndex: indexes.includes('entries_uuid'),
      bulk: meta('bulk') !== undefined,
      rows: db.prepare('SELECT count(*) FROM entries').pluck().get() as number,
      unique: db.prepare('SELECT count(DISTINCT uuid) FROM entries').pluck().get() as number,
    };
  } finally {
    db.close();
  }
};

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const writer of ['inline', 'thread'] as const) {
  describe(`SqliteSyncStore's first refresh into an empty store (bulk: uuid index built with the cookie), writer ${writer}`, () => {
    let dir: string;
    let path: string;
    let store: SqliteSyncStore;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'rxldap-sqlite-bulk-'));
      path = join(dir, 'replica.sqlite');
      store = new SqliteSyncStore(path, { writer });
    });
    afterEach(async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('appends without the uuid index, then builds it in the commit of the cookie', async () => {
      await store.open();
      await store.commit(refresh(range(1, 5)));
      expect(inspect(path)).to.include({ format: 2, uuidIndex: false, bulk: true, rows: 5 });
      await store.commit(refresh(range(6, 10), { cookie: 'c1' }));
      expect(inspect(path)).to.include({ format: 2, uuidIndex: true, bulk: false, rows: 10 });
      // After it, commits upsert as ever.
      await store.commit({ ...refresh([3], { version: 2 }), mark: 2 });
      expect(inspect(path)).to.include({ rows: 10, unique: 10 });
      expect((await store.get(uuid(3)))?.attributes.description).to.deep.equal(['version 2']);
    });

    it('keeps the last of an entry sent twice in the refresh', async () => {
      await store.open();
      await store.commit(refresh([1, 2, 3]));
      await store.commit(refresh([2, 4], { version: 2 }));
      expect(inspect(path)).to.include({ rows: 5, unique: 4 });
      await store.commit(refresh([5, 2], { version: 3, cookie: 'c1' }));
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false, rows: 5, unique: 5 });
      const contents = await readStore(new SqliteSyncStore(path));
      expect(contents.cookie?.toString()).to.equal('c1');
      expect([...contents.records.keys()].sort()).to.deep.equal(range(1, 5).map(uuid));
      expect(contents.records.get(uuid(2))?.attributes.description).to.deep.equal(['version 3']);
      expect(contents.records.get(uuid(4))?.attributes.description).to.deep.equal(['version 2']);
    });

    it('answers get, getByDN and unmarked meanwhile, the last version of an entry sent twice', async () => {
      await store.open();
      await store.commit(refresh([1, 2, 3]));
      await store.commit(refresh([2], { version: 2 }));
      expect(inspect(path)).to.include({ uuidIndex: false, bulk: true });
      expect((await store.get(uuid(2)))?.attributes.description).to.deep.equal(['version 2']);
      expect((await store.getByUUID(uuid(1)))?.dn).to.equal(`uid=u1,${BASE}`);
      expect((await store.getByDN(`UID=u2,${BASE}`))?.attributes.description).to.deep.equal(['version 2']);
      expect(await store.get(uuid(9))).to.equal(undefined);
      expect((await store.unmarked(1, 10)).entries).to.deep.equal([]);
      expect((await store.unmarked(2, 10)).entries.map((e) => e.entryUUID)).to.include.members([uuid(1), uuid(2), uuid(3)]);
    });

    it('builds the index first for a batch that deletes or marks entries, which then apply to every copy', async () => {
      await store.open();
      await store.commit(refresh([1, 2, 3]));
      await store.commit(refresh([2, 4], { version: 2 }));
      await store.commit({ puts: new Map(), deletes: new Set([uuid(2)]), seen: new Set([uuid(3)]), mark: 5 });
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false, rows: 3, unique: 3 });
      expect(await store.get(uuid(2))).to.equal(undefined);
      // The rest of the refresh upserts (the index is there).
      await store.commit(refresh([1], { version: 4, cookie: 'c1' }));
      const contents = await readStore(new SqliteSyncStore(path));
      expect([...contents.records.keys()].sort()).to.deep.equal([uuid(1), uuid(3), uuid(4)]);
      expect(contents.records.get(uuid(1))?.attributes.description).to.deep.equal(['version 4']);
    });

    it('builds the index first for a batch outside the refresh (no mark, or another), whose puts upsert', async () => {
      await store.open();
      await store.commit(refresh([1, 2]));
      const { puts, deletes, seen } = refresh([2], { version: 2 });
      await store.commit({ puts, deletes, seen });
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false, rows: 2, unique: 2 });
      await store.close();
      store = new SqliteSyncStore(join(dir, 'other.sqlite'), { writer });
      await store.open();
      await store.commit(refresh([1, 2]));
      await store.commit({ ...refresh([2], { version: 2 }), mark: 7 });
      expect(inspect(join(dir, 'other.sqlite'))).to.include({ uuidIndex: true, bulk: false, rows: 2, unique: 2 });
      expect((await store.get(uuid(2)))?.attributes.description).to.deep.equal(['version 2']);
    });

    it('does not bulk-load a store that holds a cookie or entries, nor a batch that carries its cookie at once', async () => {
      await store.open();
      await store.commit(refresh([1], { cookie: 'c1' }));
      await store.commit(refresh([2]));
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false });
      await store.close();
      store = new SqliteSyncStore(path, { writer });
      await store.open();
      await store.commit(refresh([3]));
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false, rows: 3 });
    });

    it('left mid-refresh (no cookie, the flag set), gets its index at open, each entry once, its last version', async () => {
      await store.open();
      await store.commit(refresh([1, 2, 3]));
      await store.commit(refresh([3, 1], { version: 2 }));
      // close() leaves the file as a crash would: the refresh's rows, the flag, no index, no cookie.
      await store.close();
      expect(inspect(path)).to.include({ uuidIndex: false, bulk: true, rows: 5 });
      store = new SqliteSyncStore(path, { writer });
      const state = await store.open();
      expect(state).to.include({ size: 3 });
      expect(state.cookie).to.equal(undefined);
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false, rows: 3, unique: 3 });
      expect((await store.get(uuid(1)))?.attributes.description).to.deep.equal(['version 2']);
      // Not empty any more: the restarted refresh upserts.
      await store.commit(refresh([1, 2, 3, 4], { version: 3, cookie: 'c1' }));
      expect(inspect(path)).to.include({ uuidIndex: true, rows: 4, unique: 4 });
    });

    it('a commit that fails starting or ending the bulk leaves the file as it was, and the next one does it', async () => {
      await store.open();
      const broken = (batch: SyncBatch): SyncBatch => {
        (batch.puts.get(uuid(2))!.attributes as Record<string, unknown>).broken = [10n]; // JSON.stringify throws on a BigInt
        return batch;
      };
      expect(await store.commit(broken(refresh([1, 2]))).then(() => 'committed', (e: unknown) => e)).to.be.instanceOf(TypeError);
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false, rows: 0 });
      await store.commit(refresh([1]));
      expect(inspect(path)).to.include({ uuidIndex: false, bulk: true, rows: 1 });
      expect(await store.commit(broken(refresh([2], { cookie: 'c1' }))).then(() => 'committed', (e: unknown) => e)).to.be.instanceOf(TypeError);
      expect(inspect(path)).to.include({ uuidIndex: false, bulk: true, rows: 1 });
      await store.commit(refresh([2, 1], { version: 2, cookie: 'c1' }));
      expect(inspect(path)).to.include({ uuidIndex: true, bulk: false, rows: 2, unique: 2 });
    });

    it('reads and writes a format 1 file as it is, its index maintained row by row', async () => {
      const db = new Database(path);
      db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE entries (id INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE, dn TEXT NOT NULL, dnkey TEXT NOT NULL, attrs TEXT NOT NULL, mark INTEGER NOT NULL);
CREATE INDEX entries_dnkey ON entries (dnkey);
INSERT INTO meta (key, value) VALUES ('format', 1);`);
      db.close();
      await store.open();
      await store.commit(refresh([1, 2]));
      await store.commit(refresh([2], { version: 2 }));
      expect(inspect(path)).to.include({ format: 1, uuidIndex: false, bulk: false, rows: 2 });
      await store.commit(refresh([3], { cookie: 'c1' }));
      await store.close();
      const contents = await readStore(new SqliteSyncStore(path, { writer }));
      expect(contents.cookie?.toString()).to.equal('c1');
      expect(contents.records.get(uuid(2))?.attributes.description).to.deep.equal(['version 2']);
      expect([...contents.records.keys()].sort()).to.deep.equal([uuid(1), uuid(2), uuid(3)]);
      expect(inspect(path)).to.include({ format: 1, rows: 3 });
    });
  });
}
