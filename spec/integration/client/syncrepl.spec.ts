import { expect } from 'chai';
import * as sinon from 'sinon';
import { GeneralizedTime } from '../../../lib';
import { Client, Connection, NoSuchObjectError, UnavailableCriticalExtensionError, cancelCodec } from '../../support/all-of-lib';
import type { LdapMessage, SearchEntry, SyncEvent, SyncreplOptions } from '../../support/all-of-lib';
import { startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { generatePeople, PEOPLE_DN, personDN, personUid } from '../../support/data';

const PEOPLE = 1000;
/** The bound for a live change to reach a refreshAndPersist consumer (a wait, not a measurement). */
const LIVE_CHANGE_BOUND_MS = 1000;
const CANCEL_OID = '1.3.6.1.1.8';

/** entryUUID → DN, the content a consumer holds. */
type Content = Map<string, string>;

/**
 * The minimal consumer RFC 4533 §3 describes, to turn events into content: add/modify store,
 * delete removes, and a present phase's end removes every entry not named during it.
 */
const applyEvents = (content: Content, events: readonly SyncEvent[]): Content => {
  const next = new Map(content);
  let named = new Set<string>();
  for (const event of events) {
    switch (event.type) {
      case 'add':
      case 'modify':
        next.set(event.entryUUID, event.dn);
        named.add(event.entryUUID);
        break;
      case 'present':
        named.add(event.entryUUID);
        break;
      case 'delete':
        next.delete(event.entryUUID);
        break;
      case 'syncIdSet':
        for (const uuid of event.entryUUIDs) {
          if (event.refreshDeletes) next.delete(uuid);
          else named.add(uuid);
        }
        break;
      case 'phaseEnd':
        if (event.phase === 'present') for (const uuid of [...next.keys()]) if (!named.has(uuid)) next.delete(uuid);
        named = new Set();
        break;
      case 'refreshRequired':
        if (event.cookie === undefined) next.clear();
        break;
      default:
        break;
    }
  }
  return next;
};

const lastCookie = (events: readonly SyncEvent[]): Buffer => {
  const done = events.filter((e) => e.type === 'refreshDone').at(-1);
  if (done?.type !== 'refreshDone' || done.cookie === undefined) throw new Error('no refreshDone with a cookie');
  return done.cookie;
};

const uuidsOf = (events: readonly SyncEvent[], types: ReadonlyArray<SyncEvent['type']>): string[] =>
  events.flatMap((e) => (types.includes(e.type) && 'entryUUID' in e ? [e.entryUUID] : e.type === 'syncIdSet' && types.includes('syncIdSet') ? [...e.entryUUIDs] : [])).sort();

/** Collects a live operation's events and lets a test wait, bounded, for one that matches. */
class EventLog {
  readonly events: SyncEvent[] = [];
  failure: unknown;
  private waiters: Array<() => void> = [];

  push(event: SyncEvent): void {
    this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async waitFor(what: string, match: (event: SyncEvent) => boolean, boundMs: number): Promise<SyncEvent> {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const found = this.events.find(match);
      if (found !== undefined) return found;
      if (this.failure !== undefined) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${boundMs} ms; got ${this.events.length} events`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

describe('client.syncrepl against slapd with syncprov (RFC 4533)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let admin: Client;
  let writer: Client;

  /** What a plain search says the content is, read with entryUUID. */
  const currentContent = async (): Promise<Content> => {
    const entries = await admin.search(slapd.baseDN, { attributes: ['*', 'entryUUID'] });
    return new Map(entries.map((entry) => [entry.get('entryUUID')!, entry.dn]));
  };
  const uuidOf = async (dn: string): Promise<string> => {
    const [entry] = await admin.search(dn, { scope: 'base', attributes: ['entryUUID'] });
    return entry!.get('entryUUID')!;
  };
  const person = (uid: string): Record<string, string | string[]> => ({ objectClass: ['inetOrgPerson'], uid, cn: `Sync ${uid}`, sn: 'Sync' });

  before(async () => {
    slapd = await startSlapd({ ldif: generatePeople(PEOPLE, { groupSize: 0 }) });
    admin = new Client({ url: slapd.url, timeout: 20_000 });
    await admin.bind(slapd.adminDN, slapd.adminPassword);
    writer = new Client({ url: slapd.url, timeout: 20_000 });
    await writer.bind(slapd.adminDN, slapd.adminPassword);
  });
  after(async () => {
    await admin?.unbind();
    await writer?.unbind();
    await slapd?.stop();
  });

  it('refreshOnly and refreshAndPersist deliver the entries (DN and entryUUID) a plain search returns', async () => {
    const expected = await currentContent();
    expect(expected.size).to.equal(PEOPLE + 3);

    const options: SyncreplOptions = { attributes: ['*', 'entryUUID'] };
    const refreshOnly = await admin.syncrepl(slapd.baseDN, { ...options, mode: 'refreshOnly' });
    expect(applyEvents(new Map(), refreshOnly)).to.deep.equal(expected);
    for (const event of refreshOnly) {
      if (event.type === 'add' || event.type === 'modify') expect(event.entry.get('entryUUID')).to.equal(event.entryUUID);
    }
    expect(refreshOnly.at(-1)?.type).to.equal('refreshDone');
    expect(refreshOnly.filter((e) => e.type === 'refreshDone')).to.have.length(1);

    const persisted: SyncEvent[] = [];
    for await (const event of admin.syncrepl(slapd.baseDN, options)) {
      persisted.push(event);
      if (event.type === 'refreshDone') break; // ends the persist stage with Cancel
    }
    expect(applyEvents(new Map(), persisted)).to.deep.equal(expected);
    expect(await admin.whoami()).to.equal(`dn:${slapd.adminDN}`); // the same connection goes on
  });

  it("types entries' values by the client's schema in use, in the refresh and in the persist stage, as a search does", async () => {
    const typed = new Client({ url: slapd.url, timeout: 20_000 });
    await typed.bind(slapd.adminDN, slapd.adminPassword);
    const options: SyncreplOptions = { scope: 'base', attributes: ['*', 'createTimestamp', 'entryUUID'] };
    const entryOf = (events: readonly SyncEvent[]): SearchEntry => {
      const found = events.find((event) => event.type === 'add' || event.type === 'modify');
      if (found === undefined || (found.type !== 'add' && found.type !== 'modify')) throw new Error('no entry in the refresh');
      return found.entry;
    };
    const dn = personDN(personUid(7));
    // Without a schema in use: text, as before.
    const untyped = entryOf(await typed.syncrepl(dn, { ...options, mode: 'refreshOnly' }));
    expect(untyped.value('createTimestamp')).to.deep.equal([untyped.get('createTimestamp')]);

    typed.useSchema(await typed.schema());
    const refreshed = entryOf(await typed.syncrepl(dn, { ...options, mode: 'refreshOnly' }));
    expect(refreshed.value('createTimestamp')).to.be.instanceOf(GeneralizedTime);
    expect(refreshed.value('createTimestamp')).to.deep.equal((await typed.search(dn, { scope: 'base', attributes: ['createTimestamp'] }))[0]!.value('createTimestamp'));

    // The persist stage: a modify made by another client arrives typed.
    const events: SyncEvent[] = [];
    let changed = false;
    for await (const event of typed.syncrepl(dn, options)) {
      events.push(event);
      if (event.type === 'refreshDone') {
        await writer.modify(dn, [{ operation: 'replace', attribute: 'description', values: 'typed feed' }]);
        changed = true;
      } else if (changed && event.type === 'modify') {
        break;
      }
    }
    const modified = events.at(-1);
    expect(modified?.type).to.equal('modify');
    if (modified?.type !== 'modify') return;
    expect(modified.entry.value('createTimestamp')).to.be.instanceOf(GeneralizedTime);
    expect(modified.entry.value('description')).to.deep.equal(['typed feed']);
    await typed.unbind();
  });

  it('a refreshOnly with the last cookie reports exactly the adds, modifies and deletes made since', async () => {
    const first = await admin.syncrepl(slapd.baseDN, { mode: 'refreshOnly', attributes: ['1.1'] });
    const held = applyEvents(new Map(), first);
    const cookie = lastCookie(first);

    const modified = [personDN(personUid(20)), personDN(personUid(21))];
    const deleted = [personDN(personUid(22)), personDN(personUid(23))];
    const added = [personDN('syncadd1'), personDN('syncadd2')];
    const deletedUUIDs = await Promise.all(deleted.map(uuidOf));
    for (const dn of added) await writer.add(dn, person(dn.slice(4, dn.indexOf(','))));
    for (const dn of modified) await writer.modify(dn, [{ operation: 'replace', attribute: 'description', values: ['changed since the cookie'] }]);
    for (const dn of deleted) await writer.delete(dn);
    const changedUUIDs = (await Promise.all([...added, ...modified].map(uuidOf))).sort();

    const second = await admin.syncrepl(slapd.baseDN, { mode: 'refreshOnly', cookie, attributes: ['1.1'] });
    // Every add or modify since the cookie comes as add/modify (slapd says `add` for both), nothing else does.
    expect(uuidsOf(second, ['add', 'modify'])).to.deep.equal(changedUUIDs);
    const phase = second.find((e) => e.type === 'phaseEnd');
    if (phase?.type === 'phaseEnd' && phase.phase === 'delete') {
      expect(uuidsOf(second, ['delete'])).to.deep.equal([...deletedUUIDs].sort());
    } else {
      // A present phase names what is still there; the deletions are what it leaves out.
      expect(uuidsOf(second, ['present']).length + changedUUIDs.length).to.equal(held.size + added.length - deleted.length);
    }
    expect(applyEvents(held, second)).to.deep.equal(await currentContent());
    expect(lastCookie(second).equals(cookie)).to.equal(false);

    // The same refresh with the syncIdSets kept as sets says the same thing.
    const kept = await admin.syncrepl(slapd.baseDN, { mode: 'refreshOnly', cookie, attributes: ['1.1'], expandIdSets: false });
    expect(kept.some((e) => e.type === 'present' && e.dn === '')).to.equal(false);
    expect(applyEvents(held, kept)).to.deep.equal(await currentContent());

    // Nothing changed since the newest cookie: the refresh is empty and hands the cookie back.
    const quiet = await admin.syncrepl(slapd.baseDN, { mode: 'refreshOnly', cookie: lastCookie(second), attributes: ['1.1'] });
    expect(quiet.filter((e) => e.type !== 'phaseEnd' && e.type !== 'refreshDone' && e.type !== 'cookie')).to.deep.equal([]);
    expect(lastCookie(quiet).equals(lastCookie(second))).to.equal(true);
  });

  it('refreshAndPersist streams add, modify, rename and delete by another client, then unsubscribing sends Cancel', async () => {
    const spy = sinon.spy(Connection.prototype, 'request');
    const log = new EventLog();
    try {
      const subscription = admin.syncrepl(PEOPLE_DN, { scope: 'one', attributes: ['*', 'entryUUID'] }).subscribe({
        next: (event) => log.push(event),
        error: (error: unknown) => (log.failure = error),
      });
      await log.waitFor('refreshDone', (e) => e.type === 'refreshDone', 20_000);
      const content = applyEvents(new Map(), log.events);
      const uuidByDN = new Map([...content].map(([uuid, dn]) => [dn, uuid]));
      const [modifiedDN, renamedDN, deletedDN] = [personDN(personUid(30)), personDN(personUid(31)), personDN(personUid(32))];
      const liveUUID = (dn: string): string => uuidByDN.get(dn)!;
      const refreshEvents = log.events.length;
      const afterRefresh = (match: (e: SyncEvent) => boolean) => (e: SyncEvent) => log.events.indexOf(e) >= refreshEvents && match(e);

      await writer.add(personDN('livesync'), person('livesync'));
      const add = await log.waitFor('add', afterRefresh((e) => e.type === 'add' && e.dn === personDN('livesync')), LIVE_CHANGE_BOUND_MS);
      expect(add.type === 'add' && add.entry.get('cn')).to.equal('Sync livesync');
      expect(add.type === 'add' && add.entryUUID).to.equal(await uuidOf(personDN('livesync')));

      await writer.modify(modifiedDN, [{ operation: 'replace', attribute: 'mail', values: ['live@example.com'] }]);
      const modify = await log.waitFor('modify', afterRefresh((e) => e.type === 'modify' && e.entryUUID === liveUUID(modifiedDN)), LIVE_CHANGE_BOUND_MS);
      expect(modify.type === 'modify' && modify.entry.get('mail')).to.equal('live@example.com');

      await writer.modifyDN(renamedDN, 'uid=renamedlive');
      const rename = await log.waitFor('rename', afterRefresh((e) => e.type === 'modify' && e.entryUUID === liveUUID(renamedDN)), LIVE_CHANGE_BOUND_MS);
      expect(rename.type === 'modify' && [rename.dn, rename.entry.get('uid')]).to.deep.equal([personDN('renamedlive'), 'renamedlive']);

      await writer.delete(deletedDN);
      const deletion = await log.waitFor('delete', afterRefresh((e) => e.type === 'delete' && e.entryUUID === liveUUID(deletedDN)), LIVE_CHANGE_BOUND_MS);
      expect(deletion.type === 'delete' && deletion.dn).to.equal(deletedDN);
      // Each live change is followed by its cookie.
      const live = log.events.slice(refreshEvents).map((e) => e.type);
      expect(live).to.deep.equal(['add', 'cookie', 'modify', 'cookie', 'modify', 'cookie', 'delete', 'cookie']);
      expect(applyEvents(content, log.events.slice(refreshEvents))).to.deep.equal(
        new Map([...(await currentContent())].filter(([, dn]) => dn.endsWith(`,${PEOPLE_DN}`))),
      );

      const search = spy.getCalls().find((call) => call.args[0].type === 'searchRequest' && call.args[1]?.some((c) => c.type === 'syncRequest'));
      const connection = search!.thisValue as Connection;
      const searchId = search!.returnValue;
      const ended = new Promise<LdapMessage>((resolve) => {
        connection.incoming.subscribe((message) => {
          if (message.messageId === searchId && message.protocolOp.type === 'searchResDone') resolve(message);
        });
      });
      subscription.unsubscribe();
      const cancels = spy.getCalls().filter((call) => call.args[0].type === 'extendedReq' && call.args[0].requestName === CANCEL_OID);
      expect(cancels).to.have.length(1);
      const cancel = cancels[0]!.args[0];
      expect(cancel.type === 'extendedReq' && cancelCodec.decodeRequestValue(cancel.requestValue)).to.equal(searchId);
      expect(cancels[0]!.thisValue).to.equal(connection);
      const result = await ended;
      expect(result.protocolOp.type === 'searchResDone' && result.protocolOp.resultCode).to.equal(118); // canceled
      expect(log.failure).to.equal(undefined);

      // The connection goes on: same socket, new operations answered, nothing left pending.
      expect(await admin.whoami()).to.equal(`dn:${slapd.adminDN}`);
      expect(await admin.search(personDN('renamedlive'), { scope: 'base', attributes: ['uid'] })).to.have.length(1);
      expect(spy.lastCall.thisValue).to.equal(connection);
      expect(connection.isClosed).to.equal(false);
      expect(connection.pendingCount).to.equal(0);
    } finally {
      spy.restore();
    }
  });

  it('a base without syncprov refuses the critical Sync Request with UnavailableCriticalExtensionError', async () => {
    const outcome = await admin.syncrepl('cn=config', { mode: 'refreshOnly' }).then(() => 'synced', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(UnavailableCriticalExtensionError);
    expect((outcome as UnavailableCriticalExtensionError).code).to.equal(12);
  });

  it('a missing base is a NoSuchObjectError in either mode', async () => {
    for (const mode of ['refreshOnly', 'refreshAndPersist'] as const) {
      const outcome = await admin.syncrepl(`ou=nowhere,${slapd.baseDN}`, { mode }).then(() => 'synced', (e: unknown) => e);
      expect(outcome).to.be.instanceOf(NoSuchObjectError);
      expect((outcome as NoSuchObjectError).messageId).to.be.a('number');
      // slapd 2.5 names the matched DN for refreshOnly only (syncprov refuses refreshAndPersist itself).
      if (mode === 'refreshOnly') expect((outcome as NoSuchObjectError).matchedDN).to.equal(slapd.baseDN);
    }
  });

  it('a slow for-await consumer of a refresh pauses the socket and holds about the high-water mark', async () => {
    const expected = (await admin.search(PEOPLE_DN, { scope: 'one', attributes: ['1.1'] })).length;
    const highWaterMark = 50;
    const sync = admin.syncrepl(PEOPLE_DN, { mode: 'refreshOnly', scope: 'one', highWaterMark });
    let adds = 0;
    for await (const event of sync) {
      if (event.type === 'add') adds++;
      if (adds <= 300) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(adds).to.equal(expected);
    // One 64 KiB socket read of ~450-byte entries decodes ~150 of them: the bound is far below the refresh.
    expect(sync.peakBuffered).to.be.at.least(highWaterMark);
    expect(sync.peakBuffered).to.be.at.most(highWaterMark + 300);
  });
});
