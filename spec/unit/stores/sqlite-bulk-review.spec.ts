import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncBatch, SyncRecord } from '../../../lib/search/sync';
import { SqliteSyncStore } from '../../../lib/sqlite-store';
import { SyncReplConsumer } from '../../../lib/search/sync';
import { readStore } from '../../support/sync-stores';
import { ScriptedSource, add, modify, person, personDn, phaseEnd, refreshDone, uuid } from '../search/sync/sync-events';

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

    it('a consumer whose first refresh is restarted (refreshRequired) mid-bulk ends with the reload alone, each entry once, with its index', async () => {
      const names = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay'];
      const source = new ScriptedSource([[
        add(1, personDn('ann'), person('ann')),
        add(2, personDn('bob'), person('bob')),
        add(3, personDn('cy'), person('cy')),
        modify(2, personDn('bob'), person('bob', 'bob@first.example')),
        add(4, personDn('dee'), person('dee')),
        add(5, personDn('eve'), person('eve')),
        { type: 'refreshRequired' },
        add(1, personDn('ann'), person('ann')),
        add(3, personDn('cy'), person('cy', 'cy@second.example')),
        add(2, personDn('bob'), person('bob', 'bob@first.example')),
        add(6, personDn('fay'), person('fay')),
        phaseEnd('delete'),
        refreshDone('c2'),
      ]]);
      const consumer = new SyncReplConsumer({ base: 'ou=people,dc=example,dc=com', mode: 'refreshOnly', store, source: source.source, callbacks: {}, maxBatch: 2 });
      await consumer.start();
      await consumer.stop();
      const reopened = new SqliteSyncStore(path, { writer });
      try {
        const state = await readStore(reopened);
        expect(state.cookie?.toString()).to.equal('c2');
        expect([...state.records.keys()].sort()).to.deep.equal([1, 2, 3, 6].map(uuid));
        expect(state.records.get(uuid(3))?.attributes.mail).to.deep.equal(['cy@second.example']);
        expect(state.records.get(uuid(2))?.attributes.mail).to.deep.equal(['bob@first.example']);
        expect(state.records.get(uuid(6))?.dn).to.equal(personDn(names[5]!));
      } finally {
        await reopened.close();
      }
      expect(hasUuidIndex(path)).to.equal(true);
    });

    it('a first refresh restarted mid-bulk whose reload sends nothing deletes each entry once (the sweep sees no duplicate rows)', async () => {
      const deleted: string[] = [];
      const source = new ScriptedSource([[
        add(1, personDn('ann'), person('ann')),
        add(2, personDn('bob'), person('bob')),
        modify(2, personDn('bob'), person('bob', 'bob@first.example')),
        add(3, personDn('cy'), person('cy')),
        { type: 'refreshRequired' },
        phaseEnd('delete'),
        refreshDone('c2'),
      ]]);
      const consumer = new SyncReplConsumer({
        base: 'ou=people,dc=example,dc=com', mode: 'refreshOnly', store, source: source.source, maxBatch: 1,
        callbacks: { recordDelete: (dn) => void deleted.push(dn) },
      });
      await consumer.start();
      await consumer.stop();
      expect(deleted.sort()).to.deep.equal(['ann', 'bob', 'cy'].map(personDn));
      const reopened = new SqliteSyncStore(path, { writer });
      try {
        const state = await readStore(reopened);
        expect(state.cookie?.toString()).to.equal('c2');
        expect(state.records.size).to.equal(0);
      } finally {
        await reopened.close();
      }
    });

    it("the consumer's look-up (get) mid-bulk builds the index first: a restarted refresh does not scan the table per entry", async () => {
      await store.open();
      await store.commit(refresh([1, 2, 3]));
      await store.commit(refresh([2], { version: 2 }));
      expect(hasUuidIndex(path)).to.equal(false);
      // getByUUID (the application's) reads as it is; get (the consumer's) ends the bulk.
      expect((await store.getByUUID(uuid(2)))?.attributes.description).to.deep.equal(['version 2']);
      expect(hasUuidIndex(path)).to.equal(false);
      expect((await store.get(uuid(2)))?.attributes.description).to.deep.equal(['version 2']);
      expect(hasUuidIndex(path)).to.equal(true);
      expect(await entries(store)).to.deep.equal([1, 2, 3].map(uuid));
      // The refresh goes on with upserts, its cookie stored as ever.
      await store.commit(refresh([3, 4], { version: 3, cookie: 'c1' }));
      expect(await entries(store)).to.deep.equal([1, 2, 3, 4].map(uuid));
      expect((await store.open()).cookie?.toString()).to.equal('c1');
    });
  });
}
