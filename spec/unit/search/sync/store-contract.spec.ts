/**
 * What every SyncStore must do, the same specs for each: point look-ups, atomic commits of
 * entries, deletions, present marks and cookie, pages of unmarked entries for a present phase's
 * deletions, and reading back everything after a reopen.
 */
import { expect } from 'chai';
import type { SyncBatch, SyncRecord, SyncStore } from '../../../../lib/search/sync';
import { readStore } from '../../../support/sync-stores';
import { STORE_KINDS, uuid } from './sync-events';

const record = (n: number, extra: Record<string, string[]> = {}): SyncRecord => ({ dn: `uid=p${n},ou=people,dc=example,dc=com`, attributes: { uid: [`p${n}`], cn: [`Person ${n} ✓`], ...extra } });

const batch = (parts: { puts?: number[]; deletes?: number[]; seen?: number[]; mark?: number; cookie?: string }): SyncBatch => ({
  puts: new Map((parts.puts ?? []).map((n) => [uuid(n), record(n)])),
  deletes: new Set((parts.deletes ?? []).map(uuid)),
  seen: new Set((parts.seen ?? []).map(uuid)),
  ...(parts.mark === undefined ? {} : { mark: parts.mark }),
  ...(parts.cookie === undefined ? {} : { cookie: Buffer.from(parts.cookie) }),
});

/** Every unmarked entry, page by page, deleting each page (as the consumer does) before the next. */
const sweep = async (store: SyncStore, mark: number, pageSize: number): Promise<{ pages: number; uuids: string[] }> => {
  const uuids: string[] = [];
  let pages = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.unmarked(mark, pageSize, after);
    pages++;
    expect(page.entries.length).to.be.at.most(pageSize);
    for (const entry of page.entries) expect(entry.dn).to.equal(record(Number(entry.entryUUID.slice(-12))).dn);
    uuids.push(...page.entries.map((entry) => entry.entryUUID));
    await store.commit({ puts: new Map(), deletes: new Set(page.entries.map((entry) => entry.entryUUID)), seen: new Set() });
    if (page.next === undefined) return { pages, uuids };
    after = page.next;
  }
};

describe('SyncStore contract', () => {
  for (const kind of STORE_KINDS) {
    describe(kind.name, () => {
      let fixture: Awaited<ReturnType<typeof kind.create>>;
      beforeEach(async () => {
        fixture = await kind.create();
      });
      afterEach(async () => {
        await fixture.store.close();
        await fixture.dispose();
      });

      it('opens empty, looks entries up by UUID, and reads back puts, deletes and the cookie after a reopen', async () => {
        const { store } = fixture;
        expect(await store.open()).to.deep.equal({ size: 0, mark: 0 });
        await store.commit(batch({ puts: [1, 2, 3], mark: 1, cookie: 'c1' }));
        await store.commit(batch({ deletes: [2], puts: [4] }));
        expect(await store.get(uuid(1))).to.deep.equal(record(1));
        expect(await store.get(uuid(2))).to.equal(undefined);
        expect(await store.get(uuid(9))).to.equal(undefined);
        // what get() hands out is the caller's to change: the store keeps its own
        const got = await store.get(uuid(3));
        got!.attributes.cn!.push('changed');
        expect(await store.get(uuid(3))).to.deep.equal(record(3));
        await store.close();
        const reopened = fixture.reopen();
        const contents = await readStore(reopened);
        expect(contents.cookie?.toString()).to.equal('c1');
        expect([...contents.records].sort(([a], [b]) => a.localeCompare(b))).to.deep.equal([1, 3, 4].map((n) => [uuid(n), record(n)]));
        const state = await reopened.open();
        expect(state.size).to.equal(3);
        await reopened.close();
      });

      it('marks what a refresh reported (puts and seen) and pages out the rest, each page deleted before the next', async () => {
        const { store } = fixture;
        const all = Array.from({ length: 2500 }, (_, i) => i + 1);
        await store.open();
        await store.commit(batch({ puts: all, mark: 1, cookie: 'c1' }));
        // refresh 2: every third entry present, every fifth sent again (a put), the rest not mentioned
        const seen = all.filter((n) => n % 3 === 0);
        const sent = all.filter((n) => n % 5 === 0 && n % 3 !== 0);
        await store.commit(batch({ seen: seen.slice(0, 400), mark: 2 }));
        await store.commit(batch({ seen: seen.slice(400), puts: sent, mark: 2 }));
        const { pages, uuids } = await sweep(store, 2, 300);
        const expectedGone = all.filter((n) => n % 3 !== 0 && n % 5 !== 0);
        expect(uuids.sort()).to.deep.equal(expectedGone.map(uuid).sort());
        expect(pages).to.be.greaterThan(expectedGone.length / 300);
        // puts outside a refresh carry no mark of it: a later refresh that does not report them sweeps them
        await store.commit(batch({ puts: [9001] }));
        const left = (await sweep(store, 3, 1000)).uuids;
        expect(left).to.have.length(seen.length + sent.length + 1);
        expect((await readStore(fixture.reopen())).records.size).to.equal(0);
      });

      it('keeps the highest mark across a reopen when it writes marks down (or starts every entry afresh)', async () => {
        const { store } = fixture;
        await store.open();
        await store.commit(batch({ puts: [1], mark: 7 }));
        await store.close();
        const reopened = fixture.reopen();
        const state = await reopened.open();
        // Either the store remembers marks (and then the highest), or it forgets them all (0 everywhere):
        // a refresh numbered above state.mark must find the entry unmarked in both cases.
        expect([0, 7]).to.include(state.mark);
        expect((await reopened.unmarked(state.mark + 1, 10)).entries.map((e) => e.entryUUID)).to.deep.equal([uuid(1)]);
        await reopened.close();
      });
    });
  }
});
