/**
 * Failover, as a person would watch it: two directory servers that serve the same data (two
 * in-memory servers over one rxldap/server Directory, which behave like providers replicating
 * each other at once), one Client that knows both, a syncrepl feed and a SyncReplConsumer on it.
 * The first server goes down (it stops listening and drops every connection) while a writer keeps
 * changing entries on the second; the client reconnects, rebinds as the same identity, fails
 * over, and the feed carries on from its last cookie. Every line says what happened.
 *
 *   npm run example:failover
 */
import { Client, MemorySyncStore, SyncReplConsumer } from 'rxldap';
import { createDirectory, startDirectory } from 'rxldap/server';
import { BASE_DN, generatePeople, personDN, personUid } from './support/people';

const ADMIN_DN = `cn=admin,${BASE_DN}`;
const ADMIN_PASSWORD = 'secret';

const say = (text: string): void => console.log(`${new Date().toISOString().slice(11, 23)}  ${text}`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const main = async (): Promise<void> => {
  const directory = await createDirectory({ ldif: generatePeople(100, { groupSize: 0 }) });
  const a = await startDirectory({ directory, rootDN: ADMIN_DN, rootPassword: ADMIN_PASSWORD });
  const b = await startDirectory({ directory, rootDN: ADMIN_DN, rootPassword: ADMIN_PASSWORD });
  say(`server A at ${a.url}, server B at ${b.url}, serving the same directory`);
  const client = new Client({ servers: [a.url, b.url], reconnect: { initialDelay: 50, maxDelay: 500 } });
  client.events.subscribe((event) => {
    if (event.type === 'connected') say(`client: connected to ${event.server}`);
    if (event.type === 'bound') say(`client: bound${event.rebind ? ' again' : ''} as ${event.identity?.method === 'simple' ? event.identity.dn : 'SASL'} on ${event.server}`);
    if (event.type === 'disconnected') say(`client: lost ${event.server} (${event.reason.message})`);
    if (event.type === 'reconnecting') say(`client: attempt ${event.attempt} on ${event.server} failed, next in ${event.delay} ms`);
    if (event.type === 'failover') say(`client: FAILOVER from ${event.from} to ${event.to}`);
  });
  const store = new MemorySyncStore();
  const consumer = new SyncReplConsumer({
    client,
    base: BASE_DN,
    store,
    bind: (bound, signal) => bound.bind(ADMIN_DN, ADMIN_PASSWORD, { signal }),
    callbacks: {
      recordChange: (dn, _before, after) => say(`feed: ${dn} now says "${after['description']?.[0] ?? ''}"`),
      refreshDone: () => say('feed: refresh done, now live'),
    },
  });
  consumer.events.subscribe((event) => {
    if (event.type === 'resumed') say(`feed: connection lost (${event.reason.message}); resuming from the last cookie — nothing missed`);
  });
  const running = consumer.start();
  await new Promise<void>((resolve) => {
    const done = consumer.events.subscribe((event) => {
      if (event.type === 'refreshDone') {
        done.unsubscribe();
        resolve();
      }
    });
  });

  const writer = new Client({ url: b.url });
  await writer.bind(ADMIN_DN, ADMIN_PASSWORD);
  for (let i = 1; i <= 6; i++) {
    if (i === 3) {
      say('--- server A goes down ---');
      await a.close();
    }
    await writer.modify(personDN(personUid(i)), [{ operation: 'replace', attribute: 'description', values: [`change ${i}`] }]);
    say(`writer: changed ${personDN(personUid(i))} on B`);
    await sleep(200);
  }
  await sleep(500);
  say(`whoami on the same client: ${await client.whoami()} (served by ${client.url.host}:${client.url.port})`);
  await consumer.stop();
  await running;
  await Promise.all([writer.unbind(), client.unbind()]);
  await b.close();
  say('done: the feed followed the client to server B and missed nothing');
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
