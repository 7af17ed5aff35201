/**
 * The in-memory directory as a syncrepl provider for rxldap's SyncReplConsumer: a consumer that
 * stops, misses adds, modifies, renames, moves and deletes, and resumes from its cookie ends
 * with a store equal to the directory, through exactly the callbacks the changes call for; a
 * cookie the change log no longer covers is e-syncRefreshRequired (a full reload follows) or,
 * configured as slapd behaves, a present phase; and the persist stage follows live changes.
 */
import { expect } from 'chai';
import { firstValueFrom, filter as keep, skipWhile } from 'rxjs';
import { Client, MemorySyncStore, SyncReplConsumer } from '../../../lib';
import type { SyncEvent, SyncRecord } from '../../../lib';
import { startDirectory } from '../../../lib/server';
import type { DirectoryServer, StartDirectoryOptions } from '../../../lib/server';
import { BASE_DN, generatePeople, PEOPLE_DN, personDN, personUid } from '../../support/data';
import { comparable, entryCallRecorder, expectedCalls, serverState } from '../sync/directory-state';
import type { DirectoryState } from '../sync/directory-state';

const ADMIN_DN = `cn=admin,${BASE_DN}`;
const PASSWORD = 'secret';
const ARCHIVE_DN = `ou=archive,${BASE_DN}`;
const SEARCH = { scope: 'sub', filter: '(objectClass=inetOrgPerson)' } as const;
const LDIF = generatePeople(40, { groupSize: 0 }) + `dn: ${ARCHIVE_DN}\nobjectClass: organizationalUnit\nou: archive\n\n`;

/** Every kind of change a consumer must catch up with, made while it is stopped. */
const changeEverything = async (writer: Client): Promise<void> => {
  for (const i of [1, 2, 3]) await writer.delete(personDN(personUid(i)));
  await writer.modify(personDN(personUid(4)), [{ operation: 'replace', attribute: 'mail', values: 'changed@example.com' }]);
  await writer.modify(personDN(personUid(5)), [{ operation: 'delete', attribute: 'telephoneNumber' }]);
  await writer.modify(personDN(personUid(6)), [{ operation: 'add', attribute: 'description', values: 'a second description' }]);
  await writer.modifyDN(personDN(personUid(7)), 'uid=renamed7');
  await writer.modifyDN(personDN(personUid(8)), `uid=${personUid(8)}`, { newSuperior: ARCHIVE_DN });
  await writer.modify(personDN(personUid(9)), [{ operation: 'replace', attribute: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'inetOrgPerson', 'uidObject'] }]);
  await writer.modify(personDN(personUid(9)), [{ operation: 'replace', attribute: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'] }]);
  for (const uid of ['newcomer1', 'newcomer2']) {
    await writer.add(`uid=${uid},${PEOPLE_DN}`, { objectClass: 'inetOrgPerson', uid, cn: uid, sn: 'New' });
  }
  await writer.modifyDN(`uid=newcomer2,${PEOPLE_DN}`, 'uid=newcomer2', { newSuperior: ARCHIVE_DN });
};

describe('in-memory directory: syncrepl with a SyncReplConsumer (resume, stale cookies, persist)', function () {
  this.timeout(30_000);
  let server: DirectoryServer;
  const clients: Client[] = [];

  const start = async (options: StartDirectoryOptions = {}): Promise<void> => {
    server = await startDirectory({ ldif: LDIF, rootDN: ADMIN_DN, rootPassword: PASSWORD, ...options });
  };
  const bound = async (): Promise<Client> => {
    const client = new Client({ url: server.url, timeout: 10_000 });
    await client.bind(ADMIN_DN, PASSWORD);
    clients.push(client);
    return client;
  };
  const state = async (): Promise<DirectoryState> => serverState(await bound(), PEOPLE_DN, SEARCH);
  const consumer = (store: MemorySyncStore, client: Client, mode: 'refreshOnly' | 'refreshAndPersist', callbacks = {}): SyncReplConsumer<Client> =>
    new SyncReplConsumer({ client, base: PEOPLE_DN, ...SEARCH, attributes: ['*'], mode, store, bind: (c) => c.bind(ADMIN_DN, PASSWORD), callbacks });
  const stored = async (store: MemorySyncStore): Promise<Map<string, SyncRecord>> => {
    const records = new Map<string, SyncRecord>();
    for await (const [uuid, record] of store.entries()) records.set(uuid, record);
    return records;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.unbind().catch(() => undefined)));
    await server.close();
  });

  it('a consumer stopped, the directory changed, resumed from its cookie: the store equals the directory, through exactly the callbacks due', async () => {
    await start();
    const store = new MemorySyncStore();
    const first = consumer(store, await bound(), 'refreshAndPersist');
    const refreshed = firstValueFrom(first.events.pipe(keep((event) => event.type === 'refreshDone')));
    const running = first.start();
    await refreshed;
    await first.stop();
    await running;
    const before = await state();
    expect(comparable(await stored(store))).to.deep.equal(comparable(before));

    await changeEverything(await bound());
    const after = await state();
    const recorder = entryCallRecorder();
    const events: SyncEvent[] = [];
    const resumed = consumer(store, await bound(), 'refreshOnly', recorder.callbacks);
    const seen = resumed.events.subscribe((event) => events.push(event as SyncEvent));
    await resumed.start();
    await resumed.stop();
    seen.unsubscribe();

    expect(comparable(await stored(store))).to.deep.equal(comparable(after));
    const sortCalls = (calls: unknown[]): string[] => calls.map((call) => JSON.stringify(call)).sort();
    expect(sortCalls(recorder.calls)).to.deep.equal(sortCalls(expectedCalls(before, after)));
    // A delete phase (the session log covers the cookie), not a full reload.
    expect(events.some((event) => event.type === 'refreshRequired')).to.equal(false);
  });

  it('a cookie the change log no longer covers: e-syncRefreshRequired, then a full reload that still ends equal to the directory', async () => {
    await start({ syncLogSize: 3 });
    const store = new MemorySyncStore();
    const first = consumer(store, await bound(), 'refreshOnly');
    await first.start();
    await first.stop();
    await changeEverything(await bound());
    const events: string[] = [];
    const again = new Client({ url: server.url });
    clients.push(again);
    await again.bind(ADMIN_DN, PASSWORD);
    const cookie = (await store.open()).cookie;
    const feed = await again.syncrepl(PEOPLE_DN, { ...SEARCH, mode: 'refreshOnly', ...(cookie === undefined ? {} : { cookie }) }).then((all) => all);
    for (const event of feed) events.push(event.type);
    expect(events[0]).to.equal('refreshRequired');
    const resumed = consumer(store, await bound(), 'refreshOnly');
    await resumed.start();
    await resumed.stop();
    expect(comparable(await stored(store))).to.deep.equal(comparable(await state()));
  });

  it('with staleCookie "present", as slapd: a present phase names what is unchanged and the rest is implied deleted', async () => {
    await start({ syncLogSize: 3, staleCookie: 'present' });
    const store = new MemorySyncStore();
    const first = consumer(store, await bound(), 'refreshOnly');
    await first.start();
    await first.stop();
    const before = await state();
    await changeEverything(await bound());
    const after = await state();
    const recorder = entryCallRecorder();
    const phases: string[] = [];
    const resumed = consumer(store, await bound(), 'refreshOnly', recorder.callbacks);
    const seen = resumed.events.subscribe((event) => {
      if (event.type === 'phaseEnd') phases.push(event.phase);
    });
    await resumed.start();
    await resumed.stop();
    seen.unsubscribe();
    expect(phases).to.deep.equal(['present']);
    expect(comparable(await stored(store))).to.deep.equal(comparable(after));
    const sortCalls = (calls: unknown[]): string[] => calls.map((call) => JSON.stringify(call)).sort();
    expect(sortCalls(recorder.calls)).to.deep.equal(sortCalls(expectedCalls(before, after)));
    // Deleted, and moved out of the results: nothing names them, the present phase implies it.
    expect(recorder.calls.filter((call) => call[0] === 'delete')).to.have.length(4);
  });

  it('refreshAndPersist follows live changes: after each, the store equals the directory', async () => {
    await start();
    const store = new MemorySyncStore();
    const live = consumer(store, await bound(), 'refreshAndPersist');
    const refreshed = firstValueFrom(live.events.pipe(keep((event) => event.type === 'refreshDone')));
    const running = live.start();
    await refreshed;
    // The last change moves newcomer2 out of the results: the commit after its delete ends the story.
    const settled = firstValueFrom(live.events.pipe(skipWhile((event) => !(event.type === 'delete' && event.dn === `uid=newcomer2,${PEOPLE_DN}`)), keep((event) => event.type === 'commit')));
    await changeEverything(await bound());
    await settled;
    expect(comparable(await stored(store))).to.deep.equal(comparable(await state()));
    await live.stop();
    await running;
  });
});
