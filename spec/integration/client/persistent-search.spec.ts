import { expect } from 'chai';
import * as sinon from 'sinon';
import { firstValueFrom, filter, ReplaySubject, skip, take, timeout, toArray, TimeoutError as RxTimeoutError } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import { Client, Connection, TimeoutError, UnavailableCriticalExtensionError } from '../../support/all-of-lib';
import type { ChangeEvent } from '../../support/all-of-lib';
import { GeneralizedTime } from '../../../lib';
import { PEOPLE_DN } from '../../support/data';
import { sharedDs389 } from '../../support/ds389';
import type { Ds389Instance } from '../../support/ds389';
import { requireSuccess, sharedSlapd } from '../../support/slapd';

/** How long any awaited event may take: bounded waits, never sleeps. */
const WAIT_MS = 5_000;

const describeEvents = (events: readonly ChangeEvent[]): string =>
  events.length === 0 ? 'none' : events.map((e) => `${e.type} ${e.entry.dn}`).join('; ');

/** A persistent search's events as they arrive, with bounded waits for them. */
class ChangeLog {
  readonly events: ChangeEvent[] = [];
  private readonly arrivals = new ReplaySubject<ChangeEvent>();
  private readonly subscription: Subscription;

  constructor(source: Observable<ChangeEvent>) {
    this.subscription = source.subscribe({
      next: (event) => {
        this.events.push(event);
        this.arrivals.next(event);
      },
      error: (error: unknown) => this.arrivals.error(error),
      complete: () => this.arrivals.complete(),
    });
  }

  /** The `count` events from index `from` on; fails if they do not all arrive within WAIT_MS. */
  async take(count: number, from = 0): Promise<ChangeEvent[]> {
    try {
      return await firstValueFrom(this.arrivals.pipe(skip(from), take(count), toArray(), timeout({ first: WAIT_MS })));
    } catch (error) {
      if (!(error instanceof RxTimeoutError)) throw error;
      throw new Error(`expected ${count} events from #${from} within ${WAIT_MS} ms, got: ${describeEvents(this.events.slice(from))}`, { cause: error });
    }
  }

  /** The index of the first event that matches, or undefined if none arrives within ms. */
  async indexOf(matches: (event: ChangeEvent) => boolean, ms: number): Promise<number | undefined> {
    const found = await firstValueFrom(this.arrivals.pipe(filter(matches), timeout({ first: ms }))).catch((error: unknown) => {
      if (error instanceof RxTimeoutError) return undefined;
      throw error;
    });
    return found === undefined ? undefined : this.events.indexOf(found);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/** Polls `probe` until it gives something (bounded). */
const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const person = (cn: string, sn: string): Record<string, string | string[]> => ({ objectClass: ['top', 'person'], cn, sn });

describe('persistentSearch against 389 Directory Server (draft-ietf-ldapext-psearch-03)', function () {
  this.timeout(60_000);
  let ds: Ds389Instance;
  /**
   * Holds the persistent searches: a new connection for each test, because 389-ds 2.3 keeps
   * counting a persistent search against the connection's thread limit (nsslapd-maxthreadsperconn,
   * 5) after it ended; the fifth on one connection blocks it ("has a running persistent search
   * that has exceeded the maximum allowed threads per connection. New operations will be blocked").
   */
  let watcher: Client;
  /** Makes the changes, on another connection. */
  let writer: Client;
  /** Each test's own subtree of ou=people. */
  let container: string;
  let containers = 0;
  let markers = 0;

  before(async function () {
    this.timeout(180_000); // the first test to ask creates the instance (dscreate)
    ds = await sharedDs389();
    writer = new Client({ url: ds.url, timeout: 10_000 });
    await writer.bind(ds.rootDN, ds.rootPassword);
  });
  after(async () => {
    await writer?.unbind();
  });
  beforeEach(async () => {
    watcher = new Client({ url: ds.url, timeout: 10_000 });
    await watcher.bind(ds.rootDN, ds.rootPassword);
    container = `ou=psearch-${++containers},${ds.peopleDN}`;
    await writer.add(container, { objectClass: ['top', 'organizationalUnit'], ou: `psearch-${containers}` });
  });
  afterEach(async () => {
    await watcher.unbind();
    requireSuccess(await ds.run('ldapdelete', ['-x', '-H', ds.url, '-D', ds.rootDN, '-w', ds.rootPassword, '-r', container]));
  });

  /**
   * A search request and a change made on another connection race: until the server has
   * registered the search, changes are not reported. This adds marker entries until the search
   * reports one, and returns the index of the first event after the last marker.
   */
  const arm = async (log: ChangeLog): Promise<number> => {
    const isMarker = (event: ChangeEvent): boolean => event.entry.dn.startsWith('cn=marker-');
    for (let attempt = 1; attempt <= 20; attempt++) {
      const name = `marker-${++markers}`;
      const dn = `cn=${name},${container}`;
      await writer.add(dn, person(name, 'marker'));
      if ((await log.indexOf(isMarker, 300)) === undefined) continue;
      // Registered: every marker from the first one reported on is reported, the last one included.
      const last = await log.indexOf((event) => event.entry.dn === dn, WAIT_MS);
      if (last === undefined) throw new Error(`marker ${dn} was not reported`);
      return last + 1;
    }
    throw new Error(`the persistent search on ${container} reported none of 20 marker entries`);
  };

  /** The conn and op numbers 389-ds gave the latest persistent search on `base`, from its access log. */
  const serverOpOf = (base: string): Promise<{ conn: string; op: string }> =>
    eventually(`a persistent SRCH on ${base} in the access log`, async () => {
      const pattern = new RegExp(`conn=(\\d+) op=(\\d+) SRCH base="${escapeRegExp(base)}".*options=persistent`, 'gi');
      const matches = [...(await ds.accessLog()).matchAll(pattern)];
      const last = matches[matches.length - 1];
      return last === undefined ? undefined : { conn: last[1]!, op: last[2]! };
    });

  /** The access log line of the server receiving an Abandon of op on conn (for that messageID, when given). */
  const serverAbandonOf = ({ conn, op }: { conn: string; op: string }, messageId?: number): Promise<string> =>
    eventually(`ABANDON of conn=${conn} op=${op}`, async () =>
      (await ds.accessLog()).match(new RegExp(`^.*conn=${conn} op=\\d+ ABANDON targetop=${op} msgid=${messageId ?? '\\d+'} .*$`, 'm'))?.[0]);

  it('reports an add, a modify, a rename and a delete made on another connection, in order, as typed events', async () => {
    const log = new ChangeLog(watcher.persistentSearch(container));
    const start = await arm(log);
    const alice = `cn=alice,${container}`;
    const alicia = `cn=alicia,${container}`;
    // 389-ds sends a change's notification after the change's own result, from another thread,
    // so two changes in quick succession can be reported in either order (seen in CI: the
    // modify before the add). Each change waits for its event before the next is made; the
    // order asserted is then the order of the changes on the server.
    const events: ChangeEvent[] = [];
    const changes: Array<() => PromiseLike<void>> = [
      () => writer.add(alice, person('alice', 'Smith')),
      () => writer.modify(alice, [{ operation: 'replace', attribute: 'sn', values: ['Jones'] }]),
      () => writer.modifyDN(alice, 'cn=alicia'),
      () => writer.delete(alicia),
    ];
    for (const change of changes) {
      await change();
      events.push(...(await log.take(1, start + events.length)));
    }
    log.stop();
    expect(events.map((e) => [e.type, e.entry.dn, e.previousDN])).to.deep.equal([
      ['add', alice, undefined],
      ['modify', alice, undefined],
      ['modDN', alicia, alice],
      ['delete', alicia, undefined],
    ]);
    expect(events.map((e) => e.entry.get('sn'))).to.deep.equal(['Smith', 'Jones', 'Jones', 'Jones']);
    expect(events[2]!.entry.getAll('cn')).to.deep.equal(['alicia']); // deleteOldRdn defaults to true
    for (const event of events) {
      expect(event.entry.controls.map((c) => c.type)).to.include('entryChangeNotification');
      expect(event.entry.messageId).to.equal(events[0]!.entry.messageId);
      // 389-ds sends no change number (it would come from a changelog it does not consult here).
      if (event.changeNumber !== undefined) expect(Number.isInteger(event.changeNumber)).to.equal(true);
    }
  });

  it("types the entries' values by the client's schema in use, as a search does", async () => {
    const log = new ChangeLog(watcher.persistentSearch(container, { attributes: ['*', 'createTimestamp'] }));
    const start = await arm(log);
    // Put in use after the search started: each change is typed by the schema in use when it arrives.
    watcher.useSchema(await watcher.schema());
    const carol = `cn=carol,${container}`;
    await writer.add(carol, person('carol', 'White'));
    const [added] = await log.take(1, start);
    log.stop();
    expect(added!.type).to.equal('add');
    expect(added!.entry.value('createTimestamp')).to.be.instanceOf(GeneralizedTime);
    // cn is multi-valued, sn too (person): arrays, as a search's typed entry gives them.
    const [searched] = await watcher.search(carol, { scope: 'base', attributes: ['*', 'createTimestamp'] });
    expect(added!.entry.typed()).to.deep.equal(searched!.typed());
    // The markers that arrived before useSchema stay as they were: text.
    expect(log.events[0]!.entry.value('createTimestamp')).to.deep.equal([log.events[0]!.entry.get('createTimestamp')]);
  });

  it('a move under another parent (newSuperior) is a modDN with the new DN and the previousDN', async () => {
    const [from, to] = [`ou=from,${container}`, `ou=to,${container}`];
    for (const ou of [from, to]) await writer.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: ou.slice(3, ou.indexOf(',')) });
    await writer.add(`cn=bob,${from}`, person('bob', 'Brown'));
    const log = new ChangeLog(watcher.persistentSearch(container));
    const start = await arm(log);
    await writer.modifyDN(`cn=bob,${from}`, 'cn=robert', { newSuperior: to });
    const [moved] = await log.take(1, start);
    log.stop();
    expect(moved!.type).to.equal('modDN');
    expect(moved!.entry.dn).to.equal(`cn=robert,${to}`);
    expect(moved!.previousDN).to.equal(`cn=bob,${from}`);
  });

  it('changesOnly false first gives the entries that match now as initial events, without notifications, then the changes', async () => {
    const existing = [`cn=carol,${container}`, `cn=dave,${container}`];
    for (const dn of existing) await writer.add(dn, person(dn.slice(3, dn.indexOf(',')), 'Existing'));
    const log = new ChangeLog(watcher.persistentSearch(container, { changesOnly: false }));
    const initial = await log.take(3);
    expect(initial.map((e) => e.type)).to.deep.equal(['initial', 'initial', 'initial']);
    expect(initial.map((e) => e.entry.dn).sort()).to.deep.equal([container, ...existing].sort());
    expect(initial.every((e) => !e.entry.controls.some((c) => c.type === 'entryChangeNotification'))).to.equal(true);
    const start = await arm(log);
    await writer.modify(existing[0]!, [{ operation: 'replace', attribute: 'sn', values: ['Changed'] }]);
    const [change] = await log.take(1, start);
    log.stop();
    expect([change!.type, change!.entry.dn, change!.entry.get('sn')]).to.deep.equal(['modify', existing[0], 'Changed']);
  });

  it('changeTypes: with only add and delete asked for, the modify and the rename in between are not reported', async () => {
    const log = new ChangeLog(watcher.persistentSearch(container, { changeTypes: ['add', 'delete'] }));
    const start = await arm(log);
    const [erin, erika, frank] = [`cn=erin,${container}`, `cn=erika,${container}`, `cn=frank,${container}`];
    await writer.add(erin, person('erin', 'Evans'));
    await writer.modify(erin, [{ operation: 'replace', attribute: 'sn', values: ['Ewing'] }]);
    await writer.modifyDN(erin, 'cn=erika');
    await writer.delete(erika);
    await writer.add(frank, person('frank', 'Fisher'));
    const events = await log.take(3, start);
    log.stop();
    // sorted: 389-ds may report changes made in quick succession out of order (see above)
    expect(events.map((e) => [e.type, e.entry.dn]).sort()).to.deep.equal([
      ['add', erin],
      ['add', frank],
      ['delete', erika],
    ]);
  });

  it('unsubscribing sends Abandon, which 389-ds applies to the search; the connection then runs a new persistent search', async () => {
    const log = new ChangeLog(watcher.persistentSearch(container));
    const start = await arm(log);
    const messageId = log.events[start - 1]!.entry.messageId;
    const searchOp = await serverOpOf(container);
    log.stop();
    const line = await serverAbandonOf(searchOp, messageId);
    expect(line).to.not.match(/NOTFOUND/);
    await writer.add(`cn=late,${container}`, person('late', 'Late'));
    expect(await watcher.whoami()).to.match(/^dn: ?cn=directory manager$/i);

    const again = new ChangeLog(watcher.persistentSearch(container));
    const next = await arm(again);
    await writer.delete(`cn=late,${container}`);
    const [deleted] = await again.take(1, next);
    again.stop();
    expect([deleted!.type, deleted!.entry.dn]).to.deep.equal(['delete', `cn=late,${container}`]);
    expect(deleted!.entry.messageId).to.not.equal(messageId);
    // The first search ended at the Abandon: the add after it never reached it.
    expect(log.events.slice(start).map((e) => e.entry.dn)).to.not.include(`cn=late,${container}`);
  });

  it('for await … break abandons the search, and the connection goes on', async () => {
    let first: ChangeEvent | undefined;
    for await (const event of watcher.persistentSearch(container, { changesOnly: false, scope: 'base' })) {
      first = event;
      break;
    }
    expect([first?.type, first?.entry.dn]).to.deep.equal(['initial', container]);
    await serverAbandonOf(await serverOpOf(container), first!.entry.messageId);
    const entries = await watcher.search(container, { scope: 'base', attributes: ['ou'] });
    expect(entries.map((e) => e.dn)).to.deep.equal([container]);
  });

  it('a slow for-await consumer pauses the connection at highWaterMark and gets every event', async () => {
    const ldif = Array.from({ length: 60 }, (_, i) => `dn: cn=p${i},${container}\nobjectClass: person\ncn: p${i}\nsn: Paced\n`).join('\n');
    await ds.ldapmodify(ldif, ['-a']);
    const pause = sinon.spy(Connection.prototype, 'pause');
    const resume = sinon.spy(Connection.prototype, 'resume');
    try {
      const iterator = watcher.persistentSearch(container, { changesOnly: false, highWaterMark: 10 })[Symbol.asyncIterator]();
      const seen = [(await iterator.next()).value as ChangeEvent];
      // Nothing is read now: the 60 entries behind the first pile up past the high-water mark.
      await eventually('Connection.pause()', async () => (pause.called ? true : undefined));
      while (seen.length < 61) seen.push((await iterator.next()).value as ChangeEvent);
      await iterator.return!();
      expect(resume.called).to.equal(true);
      expect(new Set(seen.map((e) => e.entry.dn)).size).to.equal(61);
      expect(seen.every((e) => e.type === 'initial')).to.equal(true);
    } finally {
      pause.restore();
      resume.restore();
    }
  });

  it("the client's default timeout does not end a persistent search; an explicit timeout does, with TimeoutError and an Abandon", async () => {
    const hasty = new Client({ url: ds.url, timeout: 200 });
    await hasty.bind(ds.rootDN, ds.rootPassword);
    const log = new ChangeLog(hasty.persistentSearch(container));
    const start = await arm(log);
    // Its own clock: by the time this one has timed out, the first has run past the client's 200 ms.
    const timedOut = await hasty.persistentSearch(container, { timeout: 400 }).then(
      () => 'ended',
      (error: unknown) => error,
    );
    expect(timedOut).to.be.instanceOf(TimeoutError);
    await serverAbandonOf(await serverOpOf(container));
    await writer.add(`cn=patient,${container}`, person('patient', 'Still'));
    const [added] = await log.take(1, start);
    log.stop();
    await hasty.unbind();
    expect([added!.type, added!.entry.dn]).to.deep.equal(['add', `cn=patient,${container}`]);
  });
});

describe('persistentSearch against slapd, which does not serve it', function () {
  this.timeout(30_000);
  let client: Client;

  before(async () => {
    const slapd = await sharedSlapd();
    client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
  });
  after(async () => {
    await client?.unbind();
  });

  it('critical (the default): fails with UnavailableCriticalExtensionError (12) instead of hanging, awaited or iterated', async () => {
    const awaited = await client.persistentSearch(PEOPLE_DN).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(awaited).to.be.instanceOf(UnavailableCriticalExtensionError);
    expect((awaited as UnavailableCriticalExtensionError).code).to.equal(12);
    let iterated: unknown;
    try {
      for await (const event of client.persistentSearch(PEOPLE_DN, { changesOnly: false })) expect.fail(`got an event: ${event.entry.dn}`);
    } catch (error) {
      iterated = error;
    }
    expect(iterated).to.be.instanceOf(UnavailableCriticalExtensionError);
  });

  it('not critical: slapd ignores the control and runs a plain search, which ends, its entries as initial events', async () => {
    const events = await client.persistentSearch(PEOPLE_DN, { critical: false, scope: 'base' });
    expect(events.map((e) => [e.type, e.entry.dn])).to.deep.equal([['initial', PEOPLE_DN]]);
  });
});
