/**
 * Issue 12, change feeds across failures: a SyncReplConsumer (file store) and a raw syncrepl
 * stream on a client that knows both providers of a multi-provider pair. One provider is killed
 * with SIGKILL while writers change entries on both; the feed carries on from the other, says so,
 * and once the writers stop the consumer's store equals the survivor, entry for entry.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, FileSyncStore, SyncReplConsumer } from '../../../lib';
import { readStore } from '../../support/sync-stores';
import type { ClientEvent, ConsumerEvent, SyncEvent } from '../../../lib';
import { BASE_DN, generatePeople, personDN, personUid } from '../../support/data';
import { startProviderPair } from '../../support/slapd';
import type { ProviderPair, SlapdInstance } from '../../support/slapd';
import { comparable, ldapsearchState, serverState } from './directory-state';

const SEARCH = { scope: 'sub', filter: '(objectClass=inetOrgPerson)' } as const;
const PEOPLE = 200;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const adminOf = async (slapd: SlapdInstance): Promise<Client> => {
  const client = new Client({ url: slapd.url });
  await client.bind(slapd.adminDN, slapd.adminPassword);
  return client;
};

/** Writes a round of changes through `writer`: modifies, adds and deletes, each named by `round`. */
const writeRound = async (writer: Client, round: string, first: number): Promise<void> => {
  for (let i = first; i < first + 10; i++) {
    await writer.modify(personDN(personUid(i + 1)), [{ operation: 'replace', attribute: 'description', values: [`${round} ${i}`] }]);
  }
  for (let i = 0; i < 3; i++) {
    await writer.add(`uid=${round}-${i},ou=people,${BASE_DN}`, { objectClass: ['inetOrgPerson'], uid: `${round}-${i}`, cn: `${round} ${i}`, sn: round });
  }
  await writer.delete(personDN(personUid(first + 21)));
};

/** Polls until the store holds what `ldapsearch` on `survivor` shows (the feed has caught up), or fails with both. */
const expectStoreEquals = async (dir: string, survivor: SlapdInstance, explain: () => string): Promise<void> => {
  const reader = await adminOf(survivor);
  try {
    const server = comparable(await ldapsearchState(survivor, BASE_DN, SEARCH));
    // rxldap's own search of the survivor agrees with OpenLDAP's tool.
    expect(comparable(await serverState(reader, BASE_DN, SEARCH))).to.deep.equal(server);
    let stored: ReturnType<typeof comparable> = [];
    for (let waited = 0; waited < 15_000; waited += 100) {
      const store = new FileSyncStore(dir);
      stored = comparable((await readStore(store)).records);
      await store.close();
      if (JSON.stringify(stored) === JSON.stringify(server)) return;
      await sleep(100);
    }
    expect(stored, explain()).to.deep.equal(server);
  } finally {
    await reader.unbind();
  }
};

describe('Change feeds across failover (issue 12)', function () {
  this.timeout(120_000);
  let pair: ProviderPair;
  let dir: string;
  before(async () => {
    pair = await startProviderPair({ ldif: generatePeople(PEOPLE, { groupSize: 0 }) });
    dir = await mkdtemp(join(tmpdir(), 'rxldap-failover-'));
  });
  after(async () => {
    await pair?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('a consumer and a stream on both providers ride through the loss of either, and the store equals the survivor', async () => {
    const client = new Client({ servers: [pair.a.url, pair.b.url], reconnect: { initialDelay: 20, maxDelay: 200 }, exhaust: 60 });
    const clientEvents: ClientEvent[] = [];
    client.events.subscribe((event) => clientEvents.push(event));
    const consumerEvents: ConsumerEvent[] = [];
    const consumer = new SyncReplConsumer({
      client,
      base: BASE_DN,
      ...SEARCH,
      store: new FileSyncStore(join(dir, 'replica')),
      bind: (bound, signal) => bound.bind(pair.a.adminDN, pair.a.adminPassword, { signal }),
    });
    consumer.events.subscribe((event) => consumerEvents.push(event));
    let failure: unknown;
    const running = consumer.start().catch((error: unknown) => (failure = error));

    const streamClient = new Client({ servers: [pair.a.url, pair.b.url], reconnect: { initialDelay: 20, maxDelay: 200 }, exhaust: 60 });
    await streamClient.bind(pair.a.adminDN, pair.a.adminPassword);
    const streamEvents: SyncEvent[] = [];
    const stream = streamClient.syncrepl(BASE_DN, { mode: 'refreshAndPersist', attributes: ['1.1'] }).subscribe({ next: (event) => streamEvents.push(event), error: () => undefined });

    while (!consumerEvents.some((event) => event.type === 'refreshDone')) await sleep(20);
    const [writerA, writerB] = await Promise.all([adminOf(pair.a), adminOf(pair.b)]);
    await Promise.all([writeRound(writerA, 'a1', 0), writeRound(writerB, 'b1', 30)]);
    // What A acknowledged must be on B before A dies (replication is asynchronous).
    await pair.waitInSync();

    await pair.a.kill();
    await writeRound(writerB, 'b2', 60);
    const explain = (): string => `consumer: ${consumerEvents.slice(-8).map((event) => event.type).join(' ')}; client: ${clientEvents.slice(-8).map((event) => event.type).join(' ')}; failure: ${String(failure)}`;
    await expectStoreEquals(join(dir, 'replica'), pair.b, explain);
    expect(consumerEvents.map((event) => event.type)).to.include('resumed');
    expect(clientEvents.filter((event) => event.type === 'failover')).to.have.length.at.least(1);
    writerA.destroy();

    // A comes back and catches up; then B dies and the feed moves back to A.
    await pair.a.restart();
    await pair.waitInSync();
    const writerA2 = await adminOf(pair.a);
    await writeRound(writerA2, 'a2', 90);
    await pair.waitInSync();
    await pair.b.kill();
    await writeRound(writerA2, 'a3', 120);
    await expectStoreEquals(join(dir, 'replica'), pair.a, explain);
    expect(consumerEvents.filter((event) => event.type === 'resumed').length).to.be.at.least(2);

    const resumed = streamEvents.filter((event) => event.type === 'resumed');
    expect(resumed.length, 'the raw stream reported each failover').to.be.at.least(2);
    stream.unsubscribe();
    await consumer.stop();
    await running;
    writerB.destroy();
    await Promise.all([writerA2.unbind(), client.unbind(), streamClient.unbind()]);
    await pair.b.restart();
  });
});
