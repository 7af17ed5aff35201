import { expect } from 'chai';
import { Observable, Subject } from 'rxjs';
import type { SyncEvent } from '../../../../lib/search/syncrepl-events';
import { SyncConsumerStateError } from '../../../../lib/errors';
import { MemorySyncStore, SyncReplConsumer } from '../../../../lib/search/sync';
import type { ConsumerEvent, SyncAttributes, SyncCallbacks, SyncSource, SyncStore } from '../../../../lib/search/sync';
import { seededRandom } from '../../../support/data';
import { readStore } from '../../../support/sync-stores';
import {
  STORE_KINDS, ScriptedSource, add, cookie, del, modify, newCookie, person, personDn, phaseEnd, present, refreshDone, uuid,
} from './sync-events';

type Call = [string, ...unknown[]];

/** Callbacks that log every call, in order, with its arguments. */
const recorder = (): { calls: Call[]; callbacks: SyncCallbacks } => {
  const calls: Call[] = [];
  return {
    calls,
    callbacks: {
      bindComplete: () => void calls.push(['bindComplete']),
      refreshDone: () => void calls.push(['refreshDone']),
      recordAdd: (dn, attributes) => void calls.push(['add', dn, attributes]),
      recordDelete: (dn) => void calls.push(['delete', dn]),
      recordRename: (oldDn, newDn) => void calls.push(['rename', oldDn, newDn]),
      recordChange: (dn, oldAttributes, newAttributes) => void calls.push(['change', dn, oldAttributes, newAttributes]),
      cookieChange: (value) => void calls.push(['cookie', value.toString('utf8')]),
    },
  };
};

const attrs = (name: string, mail = `${name}@example.com`): SyncAttributes => ({ objectClass: ['top', 'person'], uid: [name], cn: [name], sn: [name], mail: [mail] });

const refreshOnly = (store: SyncStore, source: SyncSource, callbacks: Partial<SyncCallbacks>): SyncReplConsumer =>
  new SyncReplConsumer({ base: 'ou=people,dc=example,dc=com', mode: 'refreshOnly', store, source, callbacks });

/** The first sync of three people, ending with cookie c1. */
const INITIAL: readonly SyncEvent[] = [
  add(1, personDn('ann'), person('ann')),
  add(2, personDn('bob'), person('bob')),
  add(3, personDn('cy'), person('cy')),
  phaseEnd('present'),
  newCookie('c1'),
  refreshDone('c1'),
];

/** What a store holds, as plain data to compare. */
const contents = async (store: SyncStore): Promise<{ cookie: string | undefined; records: Record<string, { dn: string; attributes: SyncAttributes }> }> => {
  const state = await readStore(store);
  return { cookie: state.cookie?.toString('utf8'), records: Object.fromEntries([...state.records].sort(([a], [b]) => a.localeCompare(b))) };
};

describe('SyncReplConsumer (synthetic events)', () => {
  for (const kind of STORE_KINDS) {
    describe(`with a ${kind.name}`, () => {
      let fixture: Awaited<ReturnType<typeof kind.create>>;
      beforeEach(async () => {
        fixture = await kind.create();
      });
      afterEach(() => fixture.dispose());

      /** Runs the initial sync into the fixture's store with a consumer that is then stopped. */
      const seed = async (): Promise<void> => {
        const consumer = refreshOnly(fixture.store, new ScriptedSource([INITIAL]).source, {});
        await consumer.start();
        await consumer.stop();
      };

      it('calls bindComplete, recordAdd with the attributes, cookieChange and refreshDone, then commits', async () => {
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([INITIAL]);
        const consumer = refreshOnly(fixture.store, source.source, callbacks);
        await consumer.start();
        await consumer.stop();
        expect(calls).to.deep.equal([
          ['bindComplete'],
          ['add', personDn('ann'), attrs('ann')],
          ['add', personDn('bob'), attrs('bob')],
          ['add', personDn('cy'), attrs('cy')],
          ['cookie', 'c1'],
          ['refreshDone'],
        ]);
        expect(source.cookies).to.deep.equal([undefined]);
        const stored = await contents(fixture.reopen());
        expect(stored.cookie).to.equal('c1');
        expect(stored.records).to.deep.equal({
          [uuid(1)]: { dn: personDn('ann'), attributes: attrs('ann') },
          [uuid(2)]: { dn: personDn('bob'), attributes: attrs('bob') },
          [uuid(3)]: { dn: personDn('cy'), attributes: attrs('cy') },
        });
      });

      it('after a restart, resumes from the stored cookie; a present phase reports changes, renames and implied deletes only', async () => {
        await seed();
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([[
          present(1, personDn('ann')),
          modify(2, personDn('bob'), person('bob', 'bob@new.example.com')),
          add(4, personDn('dee'), person('dee')),
          modify(5, personDn('eve'), person('eve')), // a modify for an unknown UUID is an add
          phaseEnd('present'),
          newCookie('c2'),
          refreshDone('c2'),
        ]]);
        const consumer = refreshOnly(fixture.reopen(), source.source, callbacks);
        await consumer.start();
        await consumer.stop();
        expect(source.cookies).to.deep.equal(['c1']);
        expect(calls).to.deep.equal([
          ['bindComplete'],
          ['change', personDn('bob'), attrs('bob'), attrs('bob', 'bob@new.example.com')],
          ['add', personDn('dee'), attrs('dee')],
          ['add', personDn('eve'), attrs('eve')],
          ['delete', personDn('cy')], // uuid 3 was neither present nor changed
          ['cookie', 'c2'],
          ['refreshDone'],
        ]);
        const stored = await contents(fixture.reopen());
        expect(stored.cookie).to.equal('c2');
        expect(Object.keys(stored.records)).to.deep.equal([uuid(1), uuid(2), uuid(4), uuid(5)]);
      });

      it('a modify under a new DN is a rename, followed by recordChange only when the attributes changed too', async () => {
        await seed();
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([[
          modify(1, 'uid=ann,ou=staff,dc=example,dc=com', person('ann')), // moved: same attributes
          modify(2, personDn('rob'), { ...person('bob'), uid: 'rob' }), // RDN changed: uid changed too
          phaseEnd('delete'),
          newCookie('c2'),
          refreshDone('c2'),
        ]]);
        const consumer = refreshOnly(fixture.reopen(), source.source, callbacks);
        await consumer.start();
        await consumer.stop();
        expect(calls.slice(1)).to.deep.equal([
          ['rename', personDn('ann'), 'uid=ann,ou=staff,dc=example,dc=com'],
          ['rename', personDn('bob'), personDn('rob')],
          ['change', personDn('rob'), attrs('bob'), { ...attrs('bob'), uid: ['rob'] }],
          ['cookie', 'c2'],
          ['refreshDone'],
        ]);
        const stored = await contents(fixture.reopen());
        expect(stored.records[uuid(1)]?.dn).to.equal('uid=ann,ou=staff,dc=example,dc=com');
        expect(stored.records[uuid(2)]?.dn).to.equal(personDn('rob'));
      });

      it('a delete phase deletes only what it names, using the stored DN, and ignores unknown UUIDs', async () => {
        await seed();
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([[
          del(2), // from an expanded syncIdSet: no DN
          del(99),
          phaseEnd('delete'),
          newCookie('c2'),
          refreshDone('c2'),
        ]]);
        const consumer = refreshOnly(fixture.reopen(), source.source, callbacks);
        await consumer.start();
        await consumer.stop();
        expect(calls.slice(1)).to.deep.equal([['delete', personDn('bob')], ['cookie', 'c2'], ['refreshDone']]);
        expect(Object.keys((await contents(fixture.reopen())).records)).to.deep.equal([uuid(1), uuid(3)]);
      });

      it('handles syncIdSets: refreshDeletes names deletions, otherwise presences', async () => {
        await seed();
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([
          [{ type: 'syncIdSet', entryUUIDs: [uuid(1), uuid(77)], refreshDeletes: true }, phaseEnd('delete'), newCookie('c2'), refreshDone('c2')],
          [{ type: 'syncIdSet', entryUUIDs: [uuid(2)], refreshDeletes: false }, phaseEnd('present'), newCookie('c3'), refreshDone('c3')],
        ]);
        const consumer = refreshOnly(fixture.reopen(), source.source, callbacks);
        await consumer.start();
        expect(calls.slice(1)).to.deep.equal([['delete', personDn('ann')], ['cookie', 'c2'], ['refreshDone']]);
        calls.length = 0;
        await consumer.start(); // the next poll: uuid 3 is neither present nor changed
        await consumer.stop();
        expect(source.cookies).to.deep.equal(['c1', 'c2']);
        expect(calls).to.deep.equal([['bindComplete'], ['delete', personDn('cy')], ['cookie', 'c3'], ['refreshDone']]);
        expect(Object.keys((await contents(fixture.reopen())).records)).to.deep.equal([uuid(2)]);
      });

      it('refreshRequired forgets what the refresh reported before it: the reload alone decides what is deleted', async () => {
        await seed();
        const { calls, callbacks } = recorder();
        const events: ConsumerEvent[] = [];
        const source = new ScriptedSource([[
          present(1), present(2), present(3),
          { type: 'refreshRequired' },
          add(2, personDn('bob'), person('bob')),
          phaseEnd('present'),
          newCookie('c9'),
          refreshDone('c9'),
        ]]);
        const consumer = refreshOnly(fixture.reopen(), source.source, callbacks);
        consumer.events.subscribe((event) => events.push(event));
        await consumer.start();
        await consumer.stop();
        expect(calls.slice(1)).to.deep.equal([['delete', personDn('ann')], ['delete', personDn('cy')], ['cookie', 'c9'], ['refreshDone']]);
        expect(events.map((e) => e.type)).to.include('refreshRequired');
      });

      it('a 4096 full reload (no cookie) that slapd ends as an empty delete phase still deletes what it did not send', async () => {
        await seed();
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([[
          { type: 'refreshRequired' },
          add(1, personDn('ann'), person('ann')),
          add(3, personDn('cy'), person('cy')),
          phaseEnd('delete'),
          newCookie('c7'),
          refreshDone('c7'),
        ]]);
        const consumer = refreshOnly(fixture.reopen(), source.source, callbacks);
        await consumer.start();
        await consumer.stop();
        expect(calls.slice(1)).to.deep.equal([['delete', personDn('bob')], ['cookie', 'c7'], ['refreshDone']]);
        expect(Object.keys((await contents(fixture.reopen())).records)).to.deep.equal([uuid(1), uuid(3)]);
      });

      it('a store with records but no cookie (a first sync that crashed) is reloaded: entries not sent are deleted', async () => {
        // The first sync got as far as committing some entries, without a cookie.
        const first = refreshOnly(fixture.store, new ScriptedSource([[add(1, personDn('ann'), person('ann')), add(2, personDn('bob'), person('bob'))]]).source, {});
        await first.start().catch(() => undefined); // the script ends without refreshDone
        await first.stop();
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([[add(2, personDn('bob'), person('bob')), phaseEnd('delete'), newCookie('c1'), refreshDone('c1')]]);
        const consumer = refreshOnly(fixture.reopen(), source.source, callbacks);
        await consumer.start();
        await consumer.stop();
        expect(source.cookies).to.deep.equal([undefined]);
        expect(calls.slice(1)).to.deep.equal([['delete', personDn('ann')], ['cookie', 'c1'], ['refreshDone']]);
      });

      it('does not call recordChange when only the spelling of names or the order of values differs', async () => {
        const { calls, callbacks } = recorder();
        const source = new ScriptedSource([
          [add(1, personDn('ann'), { ...person('ann'), objectClass: ['top', 'person'] }), phaseEnd('present'), newCookie('c1'), refreshDone('c1')],
          [modify(1, personDn('ann'), { OBJECTCLASS: ['person', 'top'], UID: 'ann', cn: 'ann', SN: 'ann', mail: 'ann@example.com' }), phaseEnd('delete'), newCookie('c2'), refreshDone('c2')],
        ]);
        const consumer = refreshOnly(fixture.store, source.source, callbacks);
        await consumer.start();
        await consumer.start();
        await consumer.stop();
        expect(calls.map(([name]) => name)).to.deep.equal(['bindComplete', 'add', 'cookie', 'refreshDone', 'bindComplete', 'cookie', 'refreshDone']);
      });

      it('passes binary attributes as base64 and the rest as UTF-8', async () => {
        const { calls, callbacks } = recorder();
        const photo = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x80]);
        const source = new ScriptedSource([[
          add(1, personDn('ann'), { cn: 'Änn', jpegPhoto: photo, 'userCertificate;binary': Buffer.from([0x30, 0x82]), thing: Buffer.from([0x01]) }),
          phaseEnd('present'), refreshDone(),
        ]]);
        const consumer = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store: fixture.store, source: source.source, callbacks, binaryAttributes: ['jpegPhoto', 'thing'] });
        await consumer.start();
        await consumer.stop();
        expect(calls[1]).to.deep.equal(['add', personDn('ann'), { cn: ['Änn'], jpegPhoto: [photo.toString('base64')], 'userCertificate;binary': ['MII='], thing: ['AQ=='] }]);
      });

      it('awaits each async callback before the next, in event order', async () => {
        const random = seededRandom(7);
        const order: string[] = [];
        let running = 0;
        let mostAtOnce = 0;
        const slow = (label: string) => async (): Promise<void> => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 4)));
          order.push(label);
          running--;
        };
        const events: SyncEvent[] = [];
        for (let i = 1; i <= 40; i++) events.push(add(i, personDn(`p${i}`), person(`p${i}`)));
        events.push(phaseEnd('present'), newCookie('c1'), refreshDone('c1'));
        const consumer = refreshOnly(fixture.store, new ScriptedSource([events]).source, {
          bindComplete: slow('bind'),
          recordAdd: (dn) => slow(dn)(),
          cookieChange: (value) => slow(`cookie ${value.toString('utf8')}`)(),
          refreshDone: slow('done'),
        });
        await consumer.start();
        await consumer.stop();
        expect(mostAtOnce).to.equal(1);
        expect(order).to.deep.equal(['bind', ...Array.from({ length: 40 }, (_, i) => personDn(`p${i + 1}`)), 'cookie c1', 'done']);
      });

      it('in refreshAndPersist, commits each change with its cookie, and stop() cancels, waits for the callback under way and closes', async () => {
        await seed();
        const live = new Subject<SyncEvent>();
        let unsubscribed = 0;
        const source: SyncSource = () => new Observable<SyncEvent>((subscriber) => {
          const subscription = live.subscribe(subscriber);
          return () => {
            unsubscribed++;
            subscription.unsubscribe();
          };
        });
        let releaseCallback: (() => void) | undefined;
        const calls: string[] = [];
        const events: ConsumerEvent[] = [];
        let eventsCompleted = false;
        const consumer = new SyncReplConsumer({
          base: 'dc=x', store: fixture.reopen(), source,
          callbacks: {
            refreshDone: () => void calls.push('refreshDone'),
            recordChange: (dn) => void calls.push(`change ${dn}`),
            recordDelete: (dn) => new Promise<void>((resolve) => {
              calls.push(`delete ${dn} began`);
              releaseCallback = () => {
                calls.push(`delete ${dn} ended`);
                resolve();
              };
            }),
          },
        });
        consumer.events.subscribe({ next: (event) => events.push(event), complete: () => (eventsCompleted = true) });
        const started = consumer.start();
        await waitFor(() => unsubscribed === 0 && live.observed);
        live.next(phaseEnd('delete'));
        live.next(newCookie('c1')); // the same cookie: no cookieChange, nothing to commit
        live.next(refreshDone());
        live.next(modify(1, personDn('ann'), person('ann', 'ann@new.example.com')));
        live.next(newCookie('c2'));
        await waitFor(() => events.some((e) => e.type === 'commit' && e.cookie?.toString() === 'c2'));
        expect(calls).to.deep.equal(['refreshDone', `change ${personDn('ann')}`]);
        live.next(del(2));
        await waitFor(() => releaseCallback !== undefined);
        const stopped = consumer.stop();
        await waitFor(() => unsubscribed === 1);
        let stopResolved = false;
        void stopped.then(() => (stopResolved = true));
        await new Promise((resolve) => setImmediate(resolve));
        expect(stopResolved, 'stop() waits for the callback under way').to.equal(false);
        releaseCallback!();
        await Promise.all([stopped, started]);
        expect(calls).to.deep.equal(['refreshDone', `change ${personDn('ann')}`, `delete ${personDn('bob')} began`, `delete ${personDn('bob')} ended`]);
        expect(eventsCompleted).to.equal(true);
        const stored = await contents(fixture.reopen());
        expect(stored.cookie).to.equal('c2');
        expect(Object.keys(stored.records), 'the delete is committed at stop, under the stored cookie').to.deep.equal([uuid(1), uuid(3)]);
        expect(stored.records[uuid(1)]?.attributes.mail).to.deep.equal(['ann@new.example.com']);
      });

      it('never commits a cookie received inside a refresh phase before the phase ends', async () => {
        await seed();
        const failure = new Error('callback failed');
        const source = new ScriptedSource([[
          present(1),
          newCookie('c2'), // inside a present phase: committing it now could skip uuid 3's deletion
          add(4, personDn('dee'), person('dee')),
          present(2),
          phaseEnd('present'),
          refreshDone('c2'),
        ]]);
        const consumer = new SyncReplConsumer({
          base: 'dc=x', mode: 'refreshOnly', store: fixture.reopen(), source: source.source, maxBatch: 1,
          callbacks: { recordDelete: () => Promise.reject(failure) },
        });
        const outcome = await consumer.start().then(() => 'resolved', (error: unknown) => error);
        expect(outcome).to.equal(failure);
        const stored = await contents(fixture.reopen());
        expect(stored.cookie).to.equal('c1');
        expect(Object.keys(stored.records), 'uuid 4 was committed without the cookie').to.deep.equal([uuid(1), uuid(2), uuid(3), uuid(4)]);
      });

      it('a callback that throws fails start() with its error, cancels the sync, skips the commit and completes events', async () => {
        const failure = new Error('no thanks');
        const source = new ScriptedSource([[...INITIAL]], true);
        let completed = false;
        const consumer = refreshOnly(fixture.store, source.source, {
          recordAdd: (dn) => {
            if (dn === personDn('bob')) throw failure;
          },
        });
        consumer.events.subscribe({ complete: () => (completed = true) });
        const outcome = await consumer.start().then(() => 'resolved', (error: unknown) => error);
        expect(outcome).to.equal(failure);
        expect(source.unsubscribed).to.equal(1);
        expect(completed).to.equal(true);
        expect(await contents(fixture.reopen())).to.deep.equal({ cookie: undefined, records: {} });
        await consumer.stop(); // after a failure: nothing left to do, and no error
        const again = await consumer.start().then(() => 'resolved', (error: unknown) => error);
        expect(again).to.be.instanceOf(SyncConsumerStateError);
      });

      it('a source that fails fails start() with its error', async () => {
        const failure = new Error('connection lost');
        const source: SyncSource = () => new Observable<SyncEvent>((subscriber) => {
          subscriber.next(add(1, personDn('ann'), person('ann')));
          subscriber.error(failure);
        });
        const consumer = refreshOnly(fixture.store, source, {});
        expect(await consumer.start().then(() => 'resolved', (error: unknown) => error)).to.equal(failure);
      });
    });
  }

  it('a store whose commit fails fails start() with its error', async () => {
    const failure = new Error('disk full');
    const store = new MemorySyncStore();
    store.commit = () => Promise.reject(failure);
    let closed = 0;
    store.close = async () => void closed++;
    const consumer = refreshOnly(store, new ScriptedSource([INITIAL]).source, {});
    expect(await consumer.start().then(() => 'resolved', (error: unknown) => error)).to.equal(failure);
    expect(closed).to.equal(1);
  });

  it('refuses a second start() while running, and needs a client or a source', async () => {
    const consumer = new SyncReplConsumer({ base: 'dc=x', store: new MemorySyncStore(), source: () => new Subject<SyncEvent>() });
    const first = consumer.start();
    const second = await consumer.start().then(() => 'resolved', (error: unknown) => error);
    expect(second).to.be.instanceOf(SyncConsumerStateError);
    await consumer.stop();
    await first;
    expect(() => new SyncReplConsumer({ base: 'dc=x', store: new MemorySyncStore() })).to.throw(TypeError);
  });

  it('uses client.syncrepl with the search options, the mode and the stored cookie', async () => {
    const store = new MemorySyncStore();
    await store.commit({ puts: new Map(), deletes: new Set(), seen: new Set(), cookie: cookie('c7') });
    const requests: unknown[] = [];
    const client = {
      syncrepl: (base: string, options?: object): Observable<SyncEvent> => {
        requests.push({ base, ...options });
        return new Observable<SyncEvent>((subscriber) => subscriber.complete());
      },
      bound: false,
    };
    const consumer = new SyncReplConsumer({
      client, base: 'ou=people,dc=example,dc=com', scope: 'one', filter: '(objectClass=person)', attributes: ['cn'], mode: 'refreshOnly', store,
      bind: async (c) => void (c.bound = true),
    });
    await consumer.start();
    await consumer.stop();
    expect(client.bound).to.equal(true);
    expect(requests).to.deep.equal([{ base: 'ou=people,dc=example,dc=com', mode: 'refreshOnly', scope: 'one', filter: '(objectClass=person)', attributes: ['cn'], cookie: cookie('c7') }]);
  });
});

/** Resolves once `condition` holds (polled on each turn of the event loop; mocha's timeout bounds it). */
const waitFor = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};
