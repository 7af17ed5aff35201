/**
 * SyncReplConsumer end to end: starts rxldap's in-memory directory (rxldap/server, nothing to
 * install), keeps a replica of ou=people in a FileSyncStore with
 * callbacks that print what changed, makes a few changes live, stops, changes more while the
 * consumer is down, and resumes from the stored cookie to see only those.
 *
 *   npm run example:syncrepl
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { Client } from 'rxldap';
import { FileSyncStore, SyncReplConsumer } from 'rxldap';
import type { SyncCallbacks } from 'rxldap';
import { startDirectory } from 'rxldap/server';
import { generatePeople, PEOPLE_DN, personDN } from './support/people';

const ADMIN_DN = 'cn=admin,dc=example,dc=com';
const ADMIN_PASSWORD = 'secret';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** Callbacks that print; each could as well return a Promise (the consumer waits for it). */
const printing = (label: string): Partial<SyncCallbacks> => ({
  bindComplete: () => log(`[${label}] bound`),
  refreshDone: () => log(`[${label}] refresh done`),
  recordAdd: (dn, attributes) => log(`[${label}] add    ${dn} mail=${attributes.mail?.join(',') ?? '-'}`),
  recordDelete: (dn) => log(`[${label}] delete ${dn}`),
  recordRename: (oldDn, newDn) => log(`[${label}] rename ${oldDn} -> ${newDn}`),
  recordChange: (dn, before, after) => {
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
    log(`[${label}] change ${dn}: ${changed.map((name) => `${name} ${JSON.stringify(before[name] ?? [])} -> ${JSON.stringify(after[name] ?? [])}`).join('; ')}`);
  },
  cookieChange: (cookie) => log(`[${label}] cookie ${cookie.toString('utf8')}`),
});

const main = async (): Promise<void> => {
  const server = await startDirectory({ ldif: generatePeople(5, { groupSize: 0 }), rootDN: ADMIN_DN, rootPassword: ADMIN_PASSWORD });
  const storeDir = await mkdtemp(join(tmpdir(), 'rxldap-example-sync-'));
  const writer = new Client({ url: server.url, timeout: 5_000 });
  try {
    log(`the in-memory directory is up at ${server.url}; the replica lives in ${storeDir}`);
    await writer.bind(ADMIN_DN, ADMIN_PASSWORD);

    // 1. refreshAndPersist: the first refresh adds everything, then changes arrive as they happen.
    const client = new Client({ url: server.url, timeout: 5_000 });
    const live = new SyncReplConsumer({
      client, base: PEOPLE_DN, scope: 'one', attributes: ['cn', 'mail', 'telephoneNumber'],
      store: new FileSyncStore(storeDir),
      bind: (c) => c.bind(ADMIN_DN, ADMIN_PASSWORD),
      callbacks: printing('live'),
    });
    // A long initial sync tells how far it has got (entries so far, rate, phase), about once a second and at its end.
    live.events.subscribe((event) => {
      if (event.type === 'progress') log(`[live] progress: ${event.phase}, ${event.entries} entries (${Math.round(event.rate)}/s), replica holds ${event.size}`);
    });
    const refreshed = firstValueFrom(live.events.pipe(filter((event) => event.type === 'refreshDone')));
    const running = live.start();
    await refreshed;

    const newcomer = personDN('newcomer');
    const lastChange = firstValueFrom(live.events.pipe(filter((event) => event.type === 'delete' && event.dn === newcomer)));
    await writer.modify(personDN('user0001'), [{ operation: 'replace', attribute: 'mail', values: 'first@example.com' }]);
    await writer.add(newcomer, { objectClass: ['inetOrgPerson'], uid: 'newcomer', cn: 'New Comer', sn: 'Comer', mail: 'new@example.com' });
    await writer.modifyDN(personDN('user0002'), 'uid=renamed');
    await writer.delete(newcomer);
    await lastChange;
    await live.stop(); // Cancel, wait for the callbacks and the last commit, close the store
    await running;
    await client.unbind();
    log(`[live] stopped with ${live.size} entries`);

    // 2. While no consumer runs, the directory changes.
    await writer.modify(personDN('user0003'), [{ operation: 'add', attribute: 'telephoneNumber', values: '+1 555 0000000' }]);
    await writer.delete(personDN('user0004'));

    // 3. refreshOnly from the same store: resumes from the stored cookie and reports only what changed.
    const again = new Client({ url: server.url, timeout: 5_000 });
    const resumed = new SyncReplConsumer({
      client: again, base: PEOPLE_DN, scope: 'one', attributes: ['cn', 'mail', 'telephoneNumber'], mode: 'refreshOnly',
      store: new FileSyncStore(storeDir),
      bind: (c) => c.bind(ADMIN_DN, ADMIN_PASSWORD),
      callbacks: printing('resumed'),
    });
    await resumed.start(); // refreshOnly: resolves once the refresh is applied and committed
    await resumed.stop();
    await again.unbind();
    log(`[resumed] stopped with ${resumed.size} entries`);
  } finally {
    await writer.unbind().catch(() => undefined);
    await rm(storeDir, { recursive: true, force: true });
    await server.close();
    log('directory stopped');
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
