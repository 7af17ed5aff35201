/**
 * The consumer writes a full refresh batch while it decodes the next one (one commit in flight),
 * and still applies batches in order, looks nothing up past a commit in flight, commits a cookie
 * only after the batches it covers, and fails when a commit in flight fails.
 */
import { expect } from 'chai';
import { Observable, Subject } from 'rxjs';
import type { SyncEvent } from '../../../../lib/search/syncrepl-events';
import { MemorySyncStore, SyncReplConsumer } from '../../../../lib/search/sync';
import type { SyncBatch, SyncRecord, SyncSource } from '../../../../lib/search/sync';
import { ScriptedSource, add, modify, newCookie, person, personDn, phaseEnd, refreshDone, uuid } from './sync-events';

/** A MemorySyncStore whose commits wait until the test lets them go, and which logs what happens. */
class GatedStore extends MemorySyncStore {
  readonly log: string[] = [];
  readonly gates: Array<() => void> = [];
  failNext: Error | undefined;
  private inFlight = 0;

  override async commit(batch: SyncBatch): Promise<void> {
    this.inFlight++;
    this.log.push(`commit ${batch.puts.size}${batch.cookie === undefined ? '' : ' cookie'} (in flight ${this.inFlight})`);
    await new Promise<void>((resolve) => this.gates.push(resolve));
    this.inFlight--;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) throw failure;
    await super.commit(batch);
  }

  override get(entryUUID: string): Promise<SyncRecord | undefined> {
    this.log.push(`get (in flight ${this.inFlight})`);
    return super.get(entryUUID);
  }
}

const entries = (from: number, to: number): SyncEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => add(from + i, personDn(`p${from + i}`), person(`p${from + i}`)));

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Opens gates one at a time, letting the consumer run in between, until start() settles. */
const drive = async (store: GatedStore, running: Promise<void>): Promise<void> => {
  let done = false;
  const finished = running.finally(() => (done = true));
  finished.catch(() => undefined);
  while (!done) {
    await settle();
    store.gates.shift()?.();
  }
  await finished;
};

describe('SyncReplConsumer overlaps a refresh batch\'s commit with the next batch', () => {
  it('decodes the next batch while a full refresh batch commits, one commit in flight at most, in order', async () => {
    const store = new GatedStore();
    const source = new ScriptedSource([[...entries(1, 7), phaseEnd('present'), newCookie('c1'), refreshDone('c1')]]);
    const consumer = new SyncReplConsumer({ source: source.source, base: 'dc=example,dc=com', store, maxBatch: 3, mode: 'refreshOnly' });
    const seen: string[] = [];
    consumer.events.subscribe((event) => {
      if (event.type === 'add') seen.push(`add ${event.dn.slice(4, event.dn.indexOf(','))} (gates waiting ${store.gates.length})`);
      if (event.type === 'commit') seen.push(`committed ${event.puts}`);
    });
    await drive(store, consumer.start());
    // p4..p6 were reported while the commit of p1..p3 was still waiting: the batches overlap.
    expect(seen.slice(0, 7)).to.deep.equal(['add p1 (gates waiting 0)', 'add p2 (gates waiting 0)', 'add p3 (gates waiting 0)',
      'add p4 (gates waiting 1)', 'add p5 (gates waiting 1)', 'add p6 (gates waiting 1)', 'committed 3']);
    expect(store.log.every((line) => !line.includes('in flight 2'))).to.equal(true);
    expect(store.log[store.log.length - 1]).to.match(/cookie/);
    expect(seen.filter((line) => line.startsWith('committed')).slice(0, 2)).to.deep.equal(['committed 3', 'committed 3']);
    const stored = new Map<string, SyncRecord>();
    for await (const [id, record] of store.entries()) stored.set(id, record);
    expect(stored.size).to.equal(7);
    expect(consumer.cookie?.toString()).to.equal('c1');
  });

  it('answers a look-up of an entry the commit in flight writes from that commit\'s batch, without waiting', async () => {
    // A store that already holds p1 (so the refresh is not a first sync and looks entries up).
    const store = new GatedStore();
    const seeding = store.commit({ puts: new Map([[uuid(1), { dn: personDn('p1'), attributes: { cn: ['stored'] } }]]), deletes: new Set(), seen: new Set() });
    store.gates.shift()?.();
    await seeding;
    store.log.length = 0;
    const p1 = (cn: string): SyncEvent => modify(1, personDn('p1'), { cn });
    const source = new ScriptedSource([[...entries(2, 3), p1('in flight'), p1('newest'), phaseEnd('delete'), newCookie('c1'), refreshDone('c1')]]);
    const consumer = new SyncReplConsumer({ source: source.source, base: 'dc=example,dc=com', store, maxBatch: 3, mode: 'refreshOnly' });
    const changes: string[] = [];
    consumer.events.subscribe((event) => {
      if (event.type === 'change') changes.push(`${event.oldAttributes['cn']?.[0]} -> ${event.newAttributes['cn']?.[0]} (gates waiting ${store.gates.length})`);
    });
    await drive(store, consumer.start());
    expect(changes).to.deep.equal(['stored -> in flight (gates waiting 0)', 'in flight -> newest (gates waiting 1)']);
    expect((await store.get(uuid(1)))?.attributes).to.deep.equal({ cn: ['newest'] });
  });

  it('fails with the error of a commit in flight, and commits no cookie after it', async () => {
    const store = new GatedStore();
    const source = new ScriptedSource([[...entries(1, 7), phaseEnd('present'), newCookie('c1'), refreshDone('c1')]]);
    const consumer = new SyncReplConsumer({ source: source.source, base: 'dc=example,dc=com', store, maxBatch: 3, mode: 'refreshOnly' });
    store.failNext = new Error('disk full');
    let failure: unknown;
    await drive(store, consumer.start()).catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.equal('disk full');
    expect(store.log.some((line) => line.includes('cookie'))).to.equal(false);
    const reopened = await store.open();
    expect(reopened.cookie).to.equal(undefined);
  });

  it('in the persist stage, reads the next changes while a group commit is in flight, and commits them after it', async () => {
    const store = new GatedStore();
    const live = new Subject<SyncEvent>();
    const first = [...entries(1, 2), phaseEnd('present'), newCookie('c1'), refreshDone('c1')];
    const source: SyncSource = () => new Observable<SyncEvent>((subscriber) => {
      for (const event of first) subscriber.next(event);
      const subscription = live.subscribe(subscriber);
      return () => subscription.unsubscribe();
    });
    const consumer = new SyncReplConsumer({ source, base: 'dc=example,dc=com', store, groupCommit: { maxChanges: 2, maxDelayMs: 3_600_000 } });
    const seen: string[] = [];
    consumer.events.subscribe((event) => {
      if (event.type === 'add') seen.push(`add ${event.dn.slice(4, event.dn.indexOf(','))}`);
      if (event.type === 'commit') seen.push(`committed ${event.puts} ${event.cookie?.toString() ?? ''}`);
    });
    const running = consumer.start();
    while (!seen.includes('committed 0 c1')) {
      await settle();
      store.gates.shift()?.();
    }
    seen.length = 0;
    for (const k of [3, 4, 5, 6]) {
      live.next(add(k, personDn(`p${k}`), person(`p${k}`)));
      live.next(newCookie(`live${k}`));
    }
    for (let tick = 0; tick < 50 && seen.length < 4; tick++) await settle();
    // p5 and p6 were read while the commit of p3 and p4 waited for its gate.
    expect(seen).to.deep.equal(['add p3', 'add p4', 'add p5', 'add p6']);
    expect(store.gates.length).to.equal(1);
    store.gates.shift()?.();
    while (store.gates.length === 0) await settle();
    store.gates.shift()?.();
    const stopped = consumer.stop();
    while (!seen.includes('committed 2 live6') && !seen.includes('committed 0 live6')) {
      await settle();
      store.gates.shift()?.();
    }
    await drive(store, stopped);
    await running;
    expect(seen.filter((line) => line.startsWith('committed'))[0]).to.equal('committed 2 live3');
    expect(store.log.every((line) => !line.includes('in flight 2'))).to.equal(true);
    const stored = new Map<string, SyncRecord>();
    for await (const [id, record] of store.entries()) stored.set(id, record);
    expect(stored.size).to.equal(6);
  });
});
