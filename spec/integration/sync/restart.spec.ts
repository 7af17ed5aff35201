import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter as where, tap } from 'rxjs';
import { Client } from '../../../lib';
import type { SyncEvent } from '../../../lib/search/syncrepl-events';
import { FileSyncStore, SyncReplConsumer } from '../../../lib/search/sync';
import type { SyncCallbacks, SyncReplConsumerOptions } from '../../../lib/search/sync';
import { BASE_DN, generatePeople, personDN, personUid, seededRandom } from '../../support/data';
import { startSlapd } from '../../support/slapd';
import { readStore } from '../../support/sync-stores';
import type { SlapdInstance } from '../../support/slapd';
import { asSortedJson, comparable, countKinds, entryCallRecorder, expectedCalls, serverState, setSessionLog } from './directory-state';

const STAFF_DN = `ou=staff,${BASE_DN}`;
const PEOPLE = 500;
const SEARCH = { scope: 'sub', filter: '(objectClass=inetOrgPerson)' } as const;

/** What the writer does while the consumer is down, and the callbacks each kind must cause. */
const SCRIPT = { adds: 40, deletes: 120, modifies: 60, renames: 10, moves: 10, reverts: 10 };
const EXPECTED_KINDS = { add: 40, delete: 120, change: 60, 'rename+change': 10, rename: 10 };

/**
 * Changes the directory as the script says, on distinct people picked with a seeded PRNG: deletes,
 * three kinds of modify, renames (the uid, so attributes change too), moves to ou=staff (a new DN,
 * same attributes), modifications undone (a new entryCSN, same attributes: nothing to report) and
 * adds.
 */
const changeWhileDown = async (slapd: SlapdInstance, writer: Client, seed: number): Promise<void> => {
  const random = seededRandom(seed);
  const uids = Array.from({ length: PEOPLE }, (_, i) => personUid(i + 1));
  for (let i = uids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [uids[i], uids[j]] = [uids[j]!, uids[i]!];
  }
  let next = 0;
  const take = (n: number): string[] => uids.slice(next, (next += n));
  for (const uid of take(SCRIPT.deletes)) await writer.delete(personDN(uid));
  for (const [i, uid] of take(SCRIPT.modifies).entries()) {
    const change = [
      { operation: 'replace', attribute: 'mail', values: `${uid}@changed.example.com` },
      { operation: 'add', attribute: 'description', values: `second description of ${uid}` },
      { operation: 'delete', attribute: 'telephoneNumber' },
    ] as const;
    await writer.modify(personDN(uid), [change[i % 3]!]);
  }
  for (const uid of take(SCRIPT.renames)) await writer.modifyDN(personDN(uid), `uid=renamed-${uid}`);
  for (const uid of take(SCRIPT.moves)) await writer.modifyDN(personDN(uid), `uid=${uid}`, { newSuperior: STAFF_DN });
  for (const uid of take(SCRIPT.reverts)) {
    const [entry] = await writer.search(personDN(uid), { scope: 'base', attributes: ['mail'] });
    await writer.modify(personDN(uid), [{ operation: 'replace', attribute: 'mail', values: 'temporary@example.com' }]);
    await writer.modify(personDN(uid), [{ operation: 'replace', attribute: 'mail', values: entry!.getAll('mail') }]);
  }
  await slapd.ldapmodify(generatePeople(SCRIPT.adds, { first: PEOPLE + 1, includeTree: false, groupSize: 0 }), ['-a']);
};

/** The sync events' kinds in the order received (phases and syncIdSets with their flavour). */
const describeEvent = (event: SyncEvent): string =>
  event.type === 'phaseEnd' ? `phaseEnd:${event.phase}` : event.type === 'syncIdSet' ? `syncIdSet:${event.refreshDeletes ? 'deletes' : 'present'}` : event.type;

describe('SyncReplConsumer across a restart (real slapd)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let dir: string;
  const clients: Client[] = [];

  const boundClient = async (): Promise<Client> => {
    const client = new Client({ url: slapd.url, timeout: 20_000 });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    slapd = await startSlapd({ ldif: generatePeople(PEOPLE, { groupSize: 0 }) + `dn: ${STAFF_DN}\nobjectClass: organizationalUnit\nou: staff\n\n` });
    dir = await mkdtemp(join(tmpdir(), 'rxldap-sync-restart-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.unbind().catch(() => undefined)));
    await slapd.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Consumer A: syncs everything into a fresh FileSyncStore, then stops. */
  const firstSync = async (mode: 'refreshOnly' | 'refreshAndPersist'): Promise<void> => {
    const client = new Client({ url: slapd.url, timeout: 20_000 });
    clients.push(client);
    const { calls, callbacks } = entryCallRecorder();
    const consumer = new SyncReplConsumer({
      client, base: BASE_DN, ...SEARCH, mode, store: new FileSyncStore(dir), callbacks,
      bind: (c) => c.bind(slapd.adminDN, slapd.adminPassword),
    });
    const refreshed = firstValueFrom(consumer.events.pipe(where((e) => e.type === 'refreshDone')));
    const running = consumer.start();
    await refreshed;
    await consumer.stop();
    await running;
    expect(countKinds(calls)).to.deep.equal({ add: PEOPLE });
    expect(consumer.size).to.equal(PEOPLE);
  };

  /** Consumer B: resumes from A's store; returns its entry callbacks and the sync events it saw. */
  const resume = async (options: { mode: NonNullable<SyncReplConsumerOptions['mode']>; expandIdSets: boolean }): Promise<{ calls: ReturnType<typeof entryCallRecorder>['calls']; seen: string[]; cookies: number }> => {
    const client = await boundClient();
    const seen: string[] = [];
    const { calls, callbacks } = entryCallRecorder();
    let cookies = 0;
    const all: Partial<SyncCallbacks> = { ...callbacks, cookieChange: () => void cookies++ };
    const consumer = new SyncReplConsumer({
      base: BASE_DN, mode: options.mode, store: new FileSyncStore(dir), callbacks: all,
      source: (cookie) => client.syncrepl(BASE_DN, { ...SEARCH, mode: options.mode, cookie, expandIdSets: options.expandIdSets }).pipe(tap((e) => seen.push(describeEvent(e)))),
    });
    const refreshed = firstValueFrom(consumer.events.pipe(where((e) => e.type === 'refreshDone')));
    const running = consumer.start();
    await refreshed;
    await consumer.stop();
    await running;
    return { calls, seen, cookies };
  };

  /** What B must have done, checked against the server and against the script. */
  const expectExactly = async (calls: ReturnType<typeof entryCallRecorder>['calls'], before: Awaited<ReturnType<typeof serverState>>): Promise<void> => {
    const writer = await boundClient();
    const after = await serverState(writer, BASE_DN, SEARCH);
    const expected = expectedCalls(before, after);
    expect(countKinds(expected), 'the script changed what it meant to').to.deep.equal(EXPECTED_KINDS);
    expect(asSortedJson(calls)).to.deep.equal(asSortedJson(expected));
    const stored = await readStore(new FileSyncStore(dir));
    expect(comparable(stored.records)).to.deep.equal(comparable(after));
  };

  it('resumes through a delete phase (session log covers the gap): exactly the right callbacks, nothing for untouched entries', async () => {
    await firstSync('refreshAndPersist');
    const writer = await boundClient();
    const before = await serverState(writer, BASE_DN, SEARCH);
    await changeWhileDown(slapd, writer, 11);
    const { calls, seen, cookies } = await resume({ mode: 'refreshOnly', expandIdSets: false });
    expect(seen, 'slapd answered with a delete phase').to.include('phaseEnd:delete');
    expect(seen).to.include('syncIdSet:deletes');
    expect(seen).not.to.include('phaseEnd:present');
    expect(cookies).to.be.greaterThan(0);
    await expectExactly(calls, before);
  });

  it('resumes through a present phase (session log too short): implied deletions are reported, exactly', async () => {
    await firstSync('refreshOnly');
    const writer = await boundClient();
    const before = await serverState(writer, BASE_DN, SEARCH);
    await setSessionLog(slapd, 10); // the 250 changes below overflow it: the cookie is no longer covered
    await changeWhileDown(slapd, writer, 12);
    const { calls, seen } = await resume({ mode: 'refreshAndPersist', expandIdSets: true });
    expect(seen, 'slapd answered with a present phase').to.include('phaseEnd:present');
    expect(seen).to.include('present');
    expect(seen, 'deletions were implied, not named').not.to.include('delete');
    await expectExactly(calls, before);
  });
});
