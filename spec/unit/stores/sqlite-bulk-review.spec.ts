import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncBatch, SyncRecord } from '../../../lib/search/sync';
import { SqliteSyncStore } from '../../../lib/sqlite-store';
import { uuid } from '../search/sync/sync-events';

const BASE = 'dc=example,dc=com';
const recordFor = (n: number, version = 1): SyncRecord => ({ dn: `uid=u${n},${BASE}`, attributes: { uid: [`u${n}`], description: [`version ${version}`] } });
const refresh = (ns: number[], options: { version?: number; cookie?: string; mark?: number } = {}): SyncBatch => ({
  puts: new Map(ns.map((n) => [uuid(n), recordFor(n, options.version)])),
  deletes: new Set(),
  seen: new Set(),
  mark: options.mark ?? 1,
  ...(options.cookie === undefined ? {} : { cookie: Buffer.from(options.cookie) }),
});

/** Whether the file has the uuid index now. */
const hasUuidIndex = (path: string): boolean => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'entries_uuid'").get() !== undefined;
  } finally {
    db.close();
  }
};

const entries = async (store: SqliteSyncStore): Promise<string[]> => {
  const seen: string[] = [];
  for await (const [entryUUID] of store.entries()) seen.push(entryUUID);
  return seen.sort();
};

for (const writer of ['inline', 'thread'] as const) {
  describe(`SqliteSyncStore bulk refresh under review, writer ${writer}`, () => {
    let dir: string;
    let path: string;
    let store: SqliteSyncStore;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'rxldap-sqlite-bulk-review-'));
      path = join(dir, 'replica.sqlite');
      store = new SqliteSyncStore(path, { writer });
    });
    afterEach(async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('open() again mid-refresh (connection kept) still finishes the refresh with its index', async () => {
      await store.open();
      await store.commit(refresh([1, 2, 3]));
      await store.open();
      await store.commit(refresh([3, 4], { version: 2 }));
      // Still in bulk: the index comes with the cookie.
      expect(hasUuidIndex(path)).to.equal(false);
      await store.commit(refresh([5], { cookie: 'c1' }));
      expect(hasUuidIndex(path)).to.equal(true);
      expect(await entries(store)).to.deep.equal([1, 2, 3, 4, 5].map(uuid).sort());
      expect((await store.get(uuid(3)))?.attributes.description).to.deep.equal(['version 2']);
      await store.commit(refresh([1], { version: 3, mark: 2 }));
      expect(await entries(store)).to.deep.equal([1, 2, 3, 4, 5].map(uuid).sort());
    });

    it('a second store opened on the file mid-refresh does not break the first one', async () => {
      await store.open();
      await store.commit(refresh([1, 2, 3]));
      const other = new SqliteSyncStore(path);
      try {
        await other.open();
        expect((await other.get(uuid(2)))?.dn).to.equal(recordFor(2).dn);
      } finally {
        await other.close();
      }
      await store.commit(refresh([3, 4], { version: 2 }));
      await store.commit(refresh([5], { cookie: 'c1' }));
      expect(await entries(store)).to.deep.equal([1, 2, 3, 4, 5].map(uuid).sort());
      expect((await store.get(uuid(3)))?.attributes.description).to.deep.equal(['version 2']);
      const reopened = new SqliteSyncStore(path);
      try {
        expect(await reopened.open()).to.include({ size: 5 });
      } finally {
        await reopened.close();
      }
    });
  });
}
