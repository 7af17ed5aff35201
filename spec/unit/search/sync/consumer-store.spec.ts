/**
 * The consumer over a store it does not copy: it reads an entry's previous state from the store
 * when an event needs it, finds a present phase's deletions through the store's marks, commits
 * the persist stage in groups (N changes or T ms), and reports a refresh's progress.
 */
import { expect } from 'chai';
import { Observable, Subject } from 'rxjs';
import type { SyncEvent } from '../../../../lib/search/syncrepl-events';
import { MemorySyncStore, SyncReplConsumer } from '../../../../lib/search/sync';
import type { ConsumerEvent, SyncAttributes, SyncProgress, SyncRecord, SyncSource } from '../../../../lib/search/sync';
import { readStore } from '../../../support/sync-stores';
import { STORE_KINDS, ScriptedSource, add, modify, newCookie, person, personDn, phaseEnd, present, refreshDone, uuid } from './sync-events';

/** A MemorySyncStore that counts the look-ups the consumer makes. */
class CountingStore extends MemorySyncStore {
  lookups: string[] = [];
  override get(entryUUID: string): Promise<SyncRecord | undefined> {
    this.lookups.push(entryUUID);
    return super.get(entryUUID);
  }
}

const waitFor = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

const initial = (n: number): SyncEvent[] => [
  ...Array.from({ length: n }, (_, i) => add(i + 1, personDn(`p${i + 1}`), person(`p${i + 1}`))),
  phaseEnd('present'), newCookie('c1'), refreshDone('c1'),
];

/** A source whose first request replays `first`, then stays open for the test to push live events. */
const liveSource = (first: readonly SyncEvent[]): { source: SyncSource; live: Subject<SyncEvent> } => {
  const live = new Subject<SyncEvent>();
  const source: SyncSource = () => new Observable<SyncEvent>((subscriber) => {
    for (const event of first) subscriber.next(event);
    const subscription = live.subscribe(subscriber);
    return () => subscription.unsubscribe();
  });
  return { source, live };
};

describe('SyncReplConsumer and its store', () => {
  it('a first sync into an empty store looks nothing up; a later one reads the previous state from the store', async () => {
    const store = new CountingStore();
    const first = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store, source: new ScriptedSource([initial(50)]).source });
    await first.start();
    await first.stop();
    expect(store.lookups, 'the store was empty: every entry is new').to.deep.equal([]);
    // Out of band, the stored entry differs from what the first sync wrote: the old values must come from the store.
    await store.commit({ puts: new Map([[uuid(7), { dn: personDn('p7'), attributes: { cn: ['as stored'] } }]]), deletes: new Set(), seen: new Set() });
    const changes: Array<[string, SyncAttributes, SyncAttributes]> = [];
    const second = new SyncReplConsumer({
      base: 'dc=x', mode: 'refreshOnly', store,
      source: new ScriptedSource([[modify(7, personDn('p7'), person('p7', 'new@example.com')), present(8), phaseEnd('present'), newCookie('c2'), refreshDone('c2')]]).source,
      callbacks: { recordChange: (dn, before, after) => void changes.push([dn, before, after]) },
    });
    await second.start();
    await second.stop();
    expect(store.lookups).to.deep.equal([uuid(7)]);
    expect(changes).to.have.length(1);
    expect(changes[0]![1]).to.deep.equal({ cn: ['as stored'] });
    expect(changes[0]![2].mail).to.deep.equal(['new@example.com']);
    expect(second.size).to.equal(2); // 7 and 8 reported; the other 48 were swept
  });

  for (const kind of STORE_KINDS) {
    it(`${kind.name}: a present phase that mentions part of ${2600} entries deletes the rest, across several pages of the store`, async () => {
      const fixture = await kind.create();
      try {
        const first = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store: fixture.store, source: new ScriptedSource([initial(2600)]).source });
        await first.start();
        await first.stop();
        const kept = Array.from({ length: 2600 }, (_, i) => i + 1).filter((n) => n % 4 === 0);
        const deleted: string[] = [];
        const progress: SyncProgress[] = [];
        const second = new SyncReplConsumer({
          base: 'dc=x', mode: 'refreshOnly', store: fixture.reopen(), maxBatch: 100,
          source: new ScriptedSource([[...kept.map((n) => present(n)), phaseEnd('present'), newCookie('c2'), refreshDone('c2')]]).source,
          callbacks: { recordDelete: (dn) => void deleted.push(dn) },
        });
        second.events.subscribe((event) => event.type === 'progress' && progress.push(event));
        await second.start();
        await second.stop();
        expect(deleted).to.have.length(2600 - kept.length);
        expect(new Set(deleted).size).to.equal(deleted.length);
        const stored = await readStore(fixture.reopen());
        expect(stored.cookie?.toString()).to.equal('c2');
        expect([...stored.records.keys()].sort()).to.deep.equal(kept.map(uuid).sort());
        expect(progress.map((p) => p.phase)).to.include.members(['sweep', 'done']);
        expect(progress[progress.length - 1]).to.include({ phase: 'done', entries: kept.length, changes: 2600 - kept.length, size: kept.length });
      } finally {
        await fixture.dispose();
      }
    });
  }

  it('in the persist stage, commits once maxChanges are pending, each batch with its cookie', async () => {
    const store = new MemorySyncStore();
    const { source, live } = liveSource(initial(3));
    const commits: Array<Extract<ConsumerEvent, { type: 'commit' }>> = [];
    const consumer = new SyncReplConsumer({ base: 'dc=x', store, source, groupCommit: { maxChanges: 4, maxDelayMs: 3_600_000 } });
    consumer.events.subscribe((event) => event.type === 'commit' && commits.push(event));
    const running = consumer.start();
    await waitFor(() => commits.some((c) => c.cookie?.toString() === 'c1'));
    commits.length = 0;
    for (let k = 1; k <= 9; k++) {
      live.next(add(100 + k, personDn(`n${k}`), person(`n${k}`)));
      live.next(newCookie(`live${k}`));
    }
    await waitFor(() => commits.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The 4th change makes the commit, with the cookie received so far (its own follows in the next batch).
    expect(commits.map((c) => [c.puts, c.cookie?.toString()])).to.deep.equal([[4, 'live3'], [4, 'live7']]);
    await consumer.stop();
    await running;
    expect(commits.map((c) => [c.puts, c.cookie?.toString()]), 'stop() commits the rest').to.deep.equal([[4, 'live3'], [4, 'live7'], [1, 'live9']]);
  });

  it('in the persist stage, commits maxDelayMs after the first pending change when fewer than maxChanges come', async () => {
    const store = new MemorySyncStore();
    const { source, live } = liveSource(initial(3));
    const commits: Array<Extract<ConsumerEvent, { type: 'commit' }>> = [];
    const consumer = new SyncReplConsumer({ base: 'dc=x', store, source, groupCommit: { maxChanges: 1000, maxDelayMs: 30 } });
    consumer.events.subscribe((event) => event.type === 'commit' && commits.push(event));
    const running = consumer.start();
    await waitFor(() => commits.some((c) => c.cookie?.toString() === 'c1'));
    const before = store.commits;
    for (let k = 1; k <= 3; k++) {
      live.next(modify(k, personDn(`p${k}`), person(`p${k}`, `changed${k}@example.com`)));
      live.next(newCookie(`live${k}`));
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.commits, 'nothing committed before the delay').to.equal(before);
    await waitFor(() => store.commits > before); // the timer alone brings the commit: no further event comes
    expect(store.commits).to.equal(before + 1);
    expect(commits[commits.length - 1]).to.deep.include({ puts: 3, deletes: 0 });
    expect(commits[commits.length - 1]?.cookie?.toString()).to.equal('live3');
    await consumer.stop();
    await running;
  });

  it('with maxDelayMs 0, commits every change with its cookie at once', async () => {
    const store = new MemorySyncStore();
    const { source, live } = liveSource(initial(3));
    const consumer = new SyncReplConsumer({ base: 'dc=x', store, source, groupCommit: { maxDelayMs: 0 } });
    const running = consumer.start();
    await waitFor(() => store.commits > 0);
    const before = store.commits;
    for (let k = 1; k <= 5; k++) {
      live.next(modify(k % 3 + 1, personDn(`p${k % 3 + 1}`), person(`p${k % 3 + 1}`, `v${k}@example.com`)));
      live.next(newCookie(`live${k}`));
    }
    await waitFor(() => store.commits >= before + 5);
    await consumer.stop();
    await running;
    expect(store.commits, 'one commit per cookie, none more').to.equal(before + 5);
  });

  it('reports a refresh\'s progress: entries so far, changes, size and rate, then the final figures', async () => {
    const progress: SyncProgress[] = [];
    const consumer = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store: new MemorySyncStore(), source: new ScriptedSource([initial(30)]).source, progressInterval: 0 });
    consumer.events.subscribe((event) => event.type === 'progress' && progress.push(event));
    await consumer.start();
    await consumer.stop();
    const during = progress.filter((p) => p.phase === 'refresh');
    expect(during.length).to.be.at.least(30);
    expect(during.slice(0, 30).map((p) => p.entries)).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const p of progress) {
      expect(p.rate).to.be.at.least(0);
      expect(p.elapsedMs).to.be.at.least(0);
    }
    expect(progress[progress.length - 1]).to.include({ phase: 'done', entries: 30, changes: 30, size: 30 });
  });

  it('refuses nonsense batch and group-commit settings', () => {
    const store = new MemorySyncStore();
    const source = new ScriptedSource([]).source;
    expect(() => new SyncReplConsumer({ base: 'dc=x', store, source, maxBatch: 0 })).to.throw(RangeError);
    expect(() => new SyncReplConsumer({ base: 'dc=x', store, source, groupCommit: { maxChanges: 1.5 } })).to.throw(RangeError);
    expect(() => new SyncReplConsumer({ base: 'dc=x', store, source, groupCommit: { maxDelayMs: -1 } })).to.throw(RangeError);
  });
});
