import { expect } from 'chai';
import sinon from 'sinon';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncStoreCorruptError, SyncStoreStateError } from '../../../lib/errors';
import type { SyncBatch, SyncRecord } from '../../../lib/search/sync';
import { SqliteSyncStore } from '../../../lib/sqlite-store';
import type { StoredEntry } from '../../../lib/sqlite-store';
import { readStore } from '../../support/sync-stores';
import { uuid } from '../search/sync/sync-events';

const BASE = 'dc=example,dc=com';

/** A small tree: the suffix, two units, people under each, and one DN with escapes. */
const TREE: Array<[number, string]> = [
  [1, BASE],
  [2, `ou=people,${BASE}`],
  [3, `uid=ann,ou=people,${BASE}`],
  [4, `uid=bob,ou=people,${BASE}`],
  [5, `ou=staff,${BASE}`],
  [6, `uid=cy,ou=staff,${BASE}`],
  [7, `cn=Smith\\, John+uid=js,ou=people,${BASE}`],
  [8, `ou=peoplex,${BASE}`], // shares a prefix with ou=people, is not below it
  [9, `uid=dee,ou=peoplex,${BASE}`],
];

const recordFor = (dn: string): SyncRecord => ({ dn, attributes: { objectClass: ['top'], description: [`entry ${dn}`] } });

const batch = (puts: Array<[number, string]>, cookie?: string): SyncBatch => ({
  puts: new Map(puts.map(([n, dn]) => [uuid(n), recordFor(dn)])),
  deletes: new Set(),
  seen: new Set(),
  ...(cookie === undefined ? {} : { cookie: Buffer.from(cookie) }),
});

const dns = async (entries: AsyncIterable<StoredEntry>): Promise<string[]> => {
  const found: string[] = [];
  for await (const entry of entries) found.push(entry.dn);
  return found.sort();
};

describe('SqliteSyncStore', () => {
  let dir: string;
  let path: string;
  let store: SqliteSyncStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxldap-sqlite-'));
    path = join(dir, 'replica.sqlite');
    store = new SqliteSyncStore(path);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode and keeps entries, cookie and marks in one file', async () => {
    await store.open();
    await store.commit({ ...batch(TREE, 'c1'), mark: 3 });
    await store.close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
      expect(db.prepare('SELECT count(*) FROM entries').pluck().get()).to.equal(TREE.length);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'mark'").pluck().get()).to.equal(3);
    } finally {
      db.close();
    }
  });

  it('finds an entry by UUID and by DN, comparing DNs as LDAP does', async () => {
    await store.open();
    await store.commit(batch(TREE));
    expect(await store.getByUUID(uuid(3))).to.deep.equal({ entryUUID: uuid(3), ...recordFor(`uid=ann,ou=people,${BASE}`) });
    expect((await store.getByDN('UID=Ann, OU=People, DC=Example, DC=Com'))?.entryUUID).to.equal(uuid(3));
    expect((await store.getByDN(`uid=js+cn=smith\\2C john,ou=people,${BASE}`))?.entryUUID, 'RDN order and escapes do not matter').to.equal(uuid(7));
    expect((await store.getByDN(BASE))?.entryUUID).to.equal(uuid(1));
    expect(await store.getByDN(`uid=nobody,${BASE}`)).to.equal(undefined);
    expect(await store.getByUUID(uuid(99))).to.equal(undefined);
  });

  it('lists a subtree and one level, not entries whose DN merely starts alike, and sees commits', async () => {
    await store.open();
    await store.commit(batch(TREE));
    expect(await dns(store.subtree(`ou=people,${BASE}`))).to.deep.equal([`cn=Smith\\, John+uid=js,ou=people,${BASE}`, `ou=people,${BASE}`, `uid=ann,ou=people,${BASE}`, `uid=bob,ou=people,${BASE}`]);
    expect(await dns(store.subtree(`OU=People,${BASE}`, 'one'))).to.deep.equal([`cn=Smith\\, John+uid=js,ou=people,${BASE}`, `uid=ann,ou=people,${BASE}`, `uid=bob,ou=people,${BASE}`]);
    expect(await dns(store.subtree(BASE, 'one'))).to.deep.equal([`ou=people,${BASE}`, `ou=peoplex,${BASE}`, `ou=staff,${BASE}`]);
    expect(await dns(store.subtree(BASE))).to.have.length(TREE.length);
    expect(await dns(store.subtree(''))).to.have.length(TREE.length);
    expect(await dns(store.subtree(''))).to.deep.equal(await dns(store.subtree(BASE)));
    expect(await dns(store.subtree('', 'one')), 'dc=example,dc=com is two levels below the root').to.deep.equal([]);
    // a rename moves an entry between subtrees
    await store.commit(batch([[4, `uid=bob,ou=staff,${BASE}`]]));
    expect(await dns(store.subtree(`ou=staff,${BASE}`, 'one'))).to.deep.equal([`uid=bob,ou=staff,${BASE}`, `uid=cy,ou=staff,${BASE}`]);
  });

  it('pages through a large subtree', async () => {
    await store.open();
    const people: Array<[number, string]> = Array.from({ length: 2345 }, (_, i) => [100 + i, `uid=u${i},ou=people,${BASE}`]);
    await store.commit(batch([...TREE, ...people]));
    const found = await dns(store.subtree(`ou=people,${BASE}`, 'one'));
    expect(found).to.have.length(people.length + 3);
    expect(new Set(found).size).to.equal(found.length);
  });

  it('keeps keys that are not canonical UUIDs apart from those that are', async () => {
    await store.open();
    const lower = 'abcdef00-0000-4000-8000-00000000000a';
    const odd = ['not-a-uuid', lower.toUpperCase(), '\u0000\u0001\u0002'];
    await store.commit({ puts: new Map([...odd, lower].map((key, i) => [key, recordFor(`cn=k${i}`)])), deletes: new Set(), seen: new Set() });
    const contents = await readStore(new SqliteSyncStore(path));
    expect([...contents.records.keys()].sort()).to.deep.equal([...odd, lower].sort());
    expect((await store.get(lower.toUpperCase()))?.dn).to.equal('cn=k1');
    expect((await store.get(lower))?.dn).to.equal('cn=k3');
  });

  for (const writer of ['inline', 'thread'] as const) {
    it(`stores a canonical entryUUID as its 16 bytes and any other as text (writer: '${writer}')`, async () => {
      const written = new SqliteSyncStore(join(dir, `${writer}.sqlite`), { writer });
      await written.open();
      const canonical = '0d0348ea-85b4-1041-8790-fd4873d37b13';
      await written.commit({ puts: new Map([[canonical, recordFor('cn=a')], ['Not-Canonical', recordFor('cn=b')]]), deletes: new Set(), seen: new Set() });
      await written.close();
      const db = new Database(join(dir, `${writer}.sqlite`), { readonly: true });
      try {
        const rows = db.prepare<[], { uuid: Buffer | string; dn: string }>('SELECT uuid, dn FROM entries ORDER BY dn').all();
        expect(rows.map((row) => [Buffer.isBuffer(row.uuid) ? row.uuid.toString('hex') : row.uuid, row.dn])).to.deep.equal([
          ['0d0348ea85b410418790fd4873d37b13', 'cn=a'],
          ['Not-Canonical', 'cn=b'],
        ]);
      } finally {
        db.close();
      }
    });
  }

  it('on a SQLite without unhex() (before 3.41) stores a canonical entryUUID as the same 16 bytes, keyed in JavaScript', async () => {
    const refused: string[] = [];
    // What an older SQLite says to a statement that calls a function it does not have.
    const stub = sinon.stub(Database.prototype, 'prepare').callsFake(function (this: Database.Database, sql: string) {
      if (sql.includes('unhex(')) {
        refused.push(sql);
        throw new Error('no such function: unhex');
      }
      return stub.wrappedMethod.call(this, sql);
    });
    try {
      const written = new SqliteSyncStore(join(dir, 'old-sqlite.sqlite'), { writer: 'inline' });
      await written.open();
      const canonical = '0d0348ea-85b4-1041-8790-fd4873d37b13';
      await written.commit({ puts: new Map([[canonical, recordFor('cn=a')]]), deletes: new Set(), seen: new Set() });
      expect((await written.get(canonical))?.dn).to.equal('cn=a');
      await written.close();
    } finally {
      stub.restore();
    }
    expect(refused.length).to.be.greaterThan(0);
    const db = new Database(join(dir, 'old-sqlite.sqlite'), { readonly: true });
    try {
      const rows = db.prepare<[], { uuid: Buffer | string }>('SELECT uuid FROM entries').all();
      expect(rows.map((row) => (Buffer.isBuffer(row.uuid) ? row.uuid.toString('hex') : row.uuid))).to.deep.equal(['0d0348ea85b410418790fd4873d37b13']);
    } finally {
      db.close();
    }
  });

  it('a commit that fails midway leaves nothing of its batch, cookie included', async () => {
    await store.open();
    await store.commit(batch(TREE.slice(0, 2), 'c1'));
    const bad = batch([[50, 'cn=fine'], [51, 'cn=bad']], 'c2');
    (bad.puts.get(uuid(51))!.attributes as Record<string, unknown>).broken = [10n]; // JSON.stringify throws on a BigInt
    const error = await store.commit(bad).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(TypeError);
    const contents = await readStore(new SqliteSyncStore(path));
    expect(contents.cookie?.toString()).to.equal('c1');
    expect([...contents.records.keys()].sort()).to.deep.equal([uuid(1), uuid(2)]);
  });

  it('refuses use before open(), and a file of another format', async () => {
    expect(await store.get(uuid(1)).then(() => 'ok', (e: unknown) => e)).to.be.instanceOf(SyncStoreStateError);
    await store.open();
    await store.close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = 99 WHERE key = 'format'").run();
    db.close();
    expect(await new SqliteSyncStore(path).open().then(() => 'opened', (e: unknown) => e)).to.be.instanceOf(SyncStoreCorruptError);
  });
});
