/**
 * The SyncReplConsumer with one commit in flight while it decodes the next changes: each case a
 * reviewer thought could break it (changes to entries the commit is writing, cookies, sweeps,
 * failures, stop), with a store whose commits wait at a gate or fail on demand.
 */
import { expect } from 'chai';
import { Observable, Subject } from 'rxjs';
import type { SyncEvent } from '../../../../lib/search/syncrepl-events';
import { MemorySyncStore, SyncReplConsumer } from '../../../../lib/search/sync';
import type { SyncBatch, SyncSource } from '../../../../lib/search/sync';
import { ScriptedSource, add, del, modify, newCookie, person, personDn, phaseEnd, present, refreshDone, uuid } from './sync-events';

class GatedStore extends MemorySyncStore {
  readonly log: string[] = [];
  readonly gates: Array<() => void> = [];
  failNext: Error | undefined;
  gated = true;
  inFlight = 0;
  maxInFlight = 0;
  override async commit(batch: SyncBatch): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.log.push(`commit p${batch.puts.size} d${batch.deletes.size} s${batch.seen.size}${batch.cookie === undefined ? '' : ` cookie ${batch.cookie.toString()}`}`);
    if (this.gated) await new Promise<void>((resolve) => this.gates.push(resolve));
    this.inFlight--;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) { this.log.push('failed'); throw failure; }
    await super.commit(batch);
  }
  async seed(records: Array<[number, string, Record<string, string | string[]>]>, cookie: string): Promise<void> {
    this.gated = false;
    await super.commit({ puts: new Map(records.map(([n, dn, attrs]) => [uuid(n), { dn, attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])) }])), deletes: new Set(), seen: new Set(), cookie: Buffer.from(cookie) });
    this.gated = true;
  }
  async dump(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for await (const [id, r] of this.entries()) out[id.slice(-2)] = `${r.dn.slice(4, r.dn.indexOf(','))} ${r.attributes['cn']?.[0]}`;
    return out;
  }
}
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const drive = async (store: GatedStore, running: Promise<void>): Promise<void> => {
  let done = false;
  const finished = running.finally(() => (done = true));
  finished.catch(() => undefined);
  while (!done) { await tick(); store.gates.shift()?.(); }
  await finished;
};
const actions = (consumer: SyncReplConsumer): string[] => {
  const seen: string[] = [];
  consumer.events.subscribe((e) => {
    if (e.type === 'add') seen.push(`add ${e.dn.slice(4, e.dn.indexOf(','))}`);
    if (e.type === 'delete') seen.push(`delete ${e.dn.slice(4, e.dn.indexOf(','))}`);
    if (e.type === 'rename') seen.push(`rename ${e.oldDn.slice(4, e.oldDn.indexOf(','))}->${e.newDn.slice(4, e.newDn.indexOf(','))}`);
    if (e.type === 'change') seen.push(`change ${e.oldAttributes['cn']?.[0]}->${e.newAttributes['cn']?.[0]}`);
    if (e.type === 'cookie') seen.push(`cookie ${e.cookie.toString()}`);
  });
  return seen;
};
const p = (name: string, cn: string): Record<string, string | string[]> => ({ ...person(name), cn });
const base = 'dc=example,dc=com';
const liveSource = (first: SyncEvent[], live: Subject<SyncEvent>): SyncSource => () => new Observable<SyncEvent>((subscriber) => {
  for (const event of first) subscriber.next(event);
  const subscription = live.subscribe(subscriber);
  return () => subscription.unsubscribe();
});

describe('SyncReplConsumer: overlapped commits, case by case', () => {
  it('refresh: modify-then-delete, rename-then-modify, add-then-delete, refreshDeletes syncIdSet across an in-flight batch', async () => {
    const store = new GatedStore();
    await store.seed([[1, personDn('p1'), p('p1', 'one')], [2, personDn('p2'), p('p2', 'two')], [3, personDn('p3'), p('p3', 'three')]], 'c0');
    const source = new ScriptedSource([[
      modify(1, personDn('p1'), p('p1', 'one-b')), modify(2, personDn('q2'), p('q2', 'two')), // B1 (in flight)
      del(1), modify(2, personDn('q2'), p('q2', 'two-b')), // B2 reads p1, p2 from B1
      add(20, personDn('p20'), p('p20', 'x')), add(21, personDn('p21'), p('p21', 'y')), // B3
      del(20), { type: 'syncIdSet', entryUUIDs: [uuid(21), uuid(3)], refreshDeletes: true },
      phaseEnd('delete'), newCookie('c1'), refreshDone('c1'),
    ]]);
    const consumer = new SyncReplConsumer({ source: source.source, base, store, maxBatch: 2, mode: 'refreshOnly' });
    const seen = actions(consumer);
    await drive(store, consumer.start());
    expect(seen).to.deep.equal(['change one->one-b', 'rename p2->q2', 'change two->two', 'delete p1', 'change two->two-b', 'add p20', 'add p21', 'delete p20', 'delete p21', 'delete p3', 'cookie c1']);
    expect(await store.dump()).to.deep.equal({ '02': 'q2 two-b' });
    expect((await store.open()).cookie?.toString()).to.equal('c1');
    expect(store.maxInFlight).to.equal(1);
  });

  it('refresh: a present-phase sweep after an in-flight batch deletes only what was not reported', async () => {
    const store = new GatedStore();
    await store.seed([1, 2, 3, 4, 5].map((n) => [n, personDn(`p${n}`), p(`p${n}`, `v${n}`)]), 'c0');
    const source = new ScriptedSource([[
      present(1), modify(2, personDn('p2'), p('p2', 'v2b')), // B1 in flight
      present(3), phaseEnd('present'), newCookie('c1'), refreshDone('c1'),
    ]]);
    const consumer = new SyncReplConsumer({ source: source.source, base, store, maxBatch: 2, mode: 'refreshOnly' });
    const seen = actions(consumer);
    await drive(store, consumer.start());
    expect(seen).to.deep.equal(['change v2->v2b', 'delete p4', 'delete p5', 'cookie c1']);
    expect(await store.dump()).to.deep.equal({ '01': 'p1 v1', '02': 'p2 v2b', '03': 'p3 v3' });
  });

  it('refresh: a failed in-flight commit fails the consumer; nothing is committed after it, no cookie', async () => {
    const store = new GatedStore();
    await store.seed([[1, personDn('p1'), p('p1', 'one')]], 'c0');
    const source = new ScriptedSource([[
      add(10, personDn('p10'), p('p10', 'a')), add(11, personDn('p11'), p('p11', 'b')),
      add(12, personDn('p12'), p('p12', 'c')), add(13, personDn('p13'), p('p13', 'd')),
      add(14, personDn('p14'), p('p14', 'e')), present(1), phaseEnd('present'), newCookie('c1'), refreshDone('c1'),
    ]]);
    const consumer = new SyncReplConsumer({ source: source.source, base, store, maxBatch: 2, mode: 'refreshOnly' });
    store.failNext = new Error('disk full');
    let failure: unknown;
    await drive(store, consumer.start()).catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.equal('disk full');
    expect(store.log).to.deep.equal(['commit p2 d0 s0', 'failed']);
    expect((await store.open()).cookie?.toString()).to.equal('c0');
    expect(await store.dump()).to.deep.equal({ '01': 'p1 one' });
  });

  it('refresh: stop() while a batch commits waits for it, commits the rest without a cookie', async () => {
    const store = new GatedStore();
    const source = new ScriptedSource([[add(1, personDn('p1'), p('p1', 'a')), add(2, personDn('p2'), p('p2', 'b')), add(3, personDn('p3'), p('p3', 'c'))]], true);
    const consumer = new SyncReplConsumer({ source: source.source, base, store, maxBatch: 2 });
    const running = consumer.start();
    while (store.gates.length === 0) await tick();
    const stopped = consumer.stop();
    await tick();
    await drive(store, Promise.all([running, stopped]).then(() => undefined));
    expect(store.log).to.deep.equal(['commit p2 d0 s0', 'commit p1 d0 s0']);
    expect(Object.keys(await store.dump())).to.have.length(3);
    expect((await store.open()).cookie).to.equal(undefined);
  });

  it('refresh: stop() while a commit that fails is in flight: start() rejects with its error, nothing more committed', async () => {
    const store = new GatedStore();
    const source = new ScriptedSource([[add(1, personDn('p1'), p('p1', 'a')), add(2, personDn('p2'), p('p2', 'b')), add(3, personDn('p3'), p('p3', 'c'))]], true);
    const consumer = new SyncReplConsumer({ source: source.source, base, store, maxBatch: 2 });
    const running = consumer.start();
    let failure: unknown;
    running.catch((error: unknown) => (failure = error));
    while (store.gates.length === 0) await tick();
    store.failNext = new Error('disk full');
    const stopped = consumer.stop();
    await tick();
    await drive(store, stopped);
    await tick();
    expect((failure as Error | undefined)?.message).to.equal('disk full');
    expect(store.log).to.deep.equal(['commit p2 d0 s0', 'failed']);
  });

  const persist = async (groupCommit: { maxChanges: number; maxDelayMs: number }) => {
    const store = new GatedStore();
    const live = new Subject<SyncEvent>();
    const consumer = new SyncReplConsumer({ source: liveSource([add(1, personDn('p1'), p('p1', 'a')), phaseEnd('present'), newCookie('c1'), refreshDone('c1')], live), base, store, groupCommit });
    const seen = actions(consumer);
    const running = consumer.start();
    let outcome = 'running';
    running.then(() => (outcome = 'resolved'), (error: Error) => (outcome = `rejected: ${error.message}`));
    while (!store.log.some((line) => line.includes('cookie c1'))) { await tick(); store.gates.shift()?.(); }
    for (let i = 0; i < 5; i++) await tick();
    store.log.length = 0;
    return { store, live, consumer, seen, running, outcome: () => outcome };
  };

  it('persist: modify then delete / rename then modify of an entry in the in-flight group commit', async () => {
    const { store, live, consumer, seen, running } = await persist({ maxChanges: 1, maxDelayMs: 0 });
    live.next(modify(1, personDn('r1'), p('r1', 'a'))); live.next(newCookie('k1'));
    for (let i = 0; i < 5; i++) await tick();
    expect(store.gates.length).to.equal(1); // in flight
    live.next(modify(1, personDn('r1'), p('r1', 'b'))); live.next(del(1)); live.next(newCookie('k2'));
    for (let i = 0; i < 20; i++) { await tick(); store.gates.shift()?.(); }
    const stopped = consumer.stop();
    await drive(store, Promise.all([running, stopped]).then(() => undefined));
    expect(seen.slice(-6)).to.deep.equal(['rename p1->r1', 'change a->a', 'cookie k1', 'change a->b', 'delete r1', 'cookie k2']);
    expect(await store.dump()).to.deep.equal({});
    expect((await store.open()).cookie?.toString()).to.equal('k2');
  });

  it('persist: a cookie-only commit while a group commit is in flight waits for it, then stores its cookie', async () => {
    const { store, live, consumer, running } = await persist({ maxChanges: 1000, maxDelayMs: 0 });
    live.next(add(2, personDn('p2'), p('p2', 'a'))); live.next(newCookie('k1'));
    for (let i = 0; i < 5; i++) await tick();
    live.next(newCookie('k2'));
    for (let i = 0; i < 5; i++) await tick();
    expect(store.log).to.deep.equal(['commit p1 d0 s0 cookie k1']);
    const stopped = consumer.stop();
    await drive(store, Promise.all([running, stopped]).then(() => undefined));
    expect(store.log).to.deep.equal(['commit p1 d0 s0 cookie k1', 'commit p0 d0 s0 cookie k2']);
    expect((await store.open()).cookie?.toString()).to.equal('k2');
  });

  it('persist: a cookie-only commit after a FAILED group commit is not stored, and start() rejects', async () => {
    const { store, live, consumer, running, outcome } = await persist({ maxChanges: 1000, maxDelayMs: 0 });
    live.next(add(2, personDn('p2'), p('p2', 'a'))); live.next(newCookie('k1'));
    for (let i = 0; i < 5; i++) await tick();
    store.failNext = new Error('disk full');
    live.next(newCookie('k2'));
    await drive(store, running.catch(() => undefined));
    expect(outcome()).to.equal('rejected: disk full');
    expect(store.log).to.deep.equal(['commit p1 d0 s0 cookie k1', 'failed']);
    expect((await store.open()).cookie?.toString()).to.equal('c1');
    await consumer.stop();
  });

  for (const maxDelayMs of [0, 20]) it(`persist: a group commit that fails while the directory is quiet is reported (start() rejects), maxDelayMs ${maxDelayMs}`, async () => {
    const { store, live, consumer, outcome } = await persist({ maxChanges: 1000, maxDelayMs });
    live.next(add(2, personDn('p2'), p('p2', 'a'))); live.next(newCookie('k1'));
    while (store.gates.length === 0) await tick(); // the group commit is in flight
    store.failNext = new Error('disk full');
    store.gates.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after500ms = outcome();
    const cookieClaimed = consumer.cookie?.toString();
    const stored = (await store.open()).cookie?.toString();
    await consumer.stop();
    expect({ after500ms, cookieClaimed, stored }).to.deep.equal({ after500ms: 'rejected: disk full', cookieClaimed: 'k1', stored: 'c1' });
  });

  it('refresh: a callback that changes oldAttributes of an entry in the in-flight batch changes what that batch stores', async () => {
    const store = new GatedStore();
    await store.seed([[1, personDn('p1'), p('p1', 'one')], [2, personDn('p2'), p('p2', 'two')]], 'c0');
    const source = new ScriptedSource([[
      modify(1, personDn('p1'), p('p1', 'one-b')), present(2), // B1 in flight, puts p1 {cn: one-b}
      modify(1, personDn('p1'), p('p1', 'one-c')), // callback gets oldAttributes = B1's record
      phaseEnd('present'), newCookie('c1'), refreshDone('c1'),
    ]]);
    let stage = 0;
    const consumer = new SyncReplConsumer({ source: source.source, base, store, maxBatch: 2, mode: 'refreshOnly', callbacks: {
      recordChange: (_dn, oldAttributes) => { if (stage++ === 1) oldAttributes['cn'] = ['scribbled']; },
    } });
    // Crash right after B1: the store must hold what the server sent for B1, whatever a callback did.
    let b1: string | undefined;
    const original = store.commit.bind(store);
    store.commit = async (batch) => { await original(batch); if (b1 === undefined) b1 = (await store.dump())['01']; };
    await drive(store, consumer.start());
    expect(b1).to.equal('p1 one-b');
  });
});
