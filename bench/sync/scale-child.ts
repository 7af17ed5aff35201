/**
 * The scale step of bench/sync.ts: builds a durable store of N entries shaped like the
 * benchmark's (ten-attribute inetOrgPerson entries, generatePeople's shape) through commit()
 * directly, without a server, then (in a second process) opens it again, counts every entry
 * through entries() and looks some up by UUID: every store must read back what it wrote, at
 * any size. Prints one JSON line.
 *
 *   node dist/bench/sync/scale-child.js build|read file|sqlite PATH N
 */
import { FileSyncStore } from '../../lib';
import type { SyncAttributes, SyncRecord, SyncStore } from '../../lib';
import { SqliteSyncStore } from '../../lib/sqlite-store';
import { seededRandom } from '../../spec/support/data';

const BATCH = 10_000;

/** A UUID for entry i: unique (its last group is i), scattered (its first group is a hash of i). */
export const scaleUUID = (i: number): string =>
  `${(Math.imul(i, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}-${(i & 0xffff).toString(16).padStart(4, '0')}-4000-8000-${i.toString(16).padStart(12, '0')}`;

const FIRST = ['James', 'Mary', 'Chiara', 'Hiro', 'Amara', 'José', 'Ingrid', 'Priya'];
const LAST = ['Smith', 'Rossi', 'Tanaka', 'Okafor', 'Müller', 'Larsen', 'Sharma', 'Chen'];
const WORDS = 'engineering platform team member responsible for directory services identity access management'.split(' ');

const record = (i: number, random: () => number): SyncRecord => {
  const uid = `user${String(i).padStart(7, '0')}`;
  const given = FIRST[Math.floor(random() * FIRST.length)]!;
  const sn = LAST[Math.floor(random() * LAST.length)]!;
  let description = '';
  while (description.length < 95) description += `${WORDS[Math.floor(random() * WORDS.length)]!} `;
  const attributes: SyncAttributes = {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    uid: [uid], cn: [`${given} ${sn}`], sn: [sn], givenName: [given],
    mail: [`${given.toLowerCase()}.${sn.toLowerCase()}.${i}@example.com`],
    telephoneNumber: [`+1 555 ${String(Math.floor(random() * 1e7)).padStart(7, '0')}`],
    employeeNumber: [String(100000 + i)],
    description: [description.trim().slice(0, 100)],
    userPassword: [`{SSHA}${Buffer.from(String(random())).toString('base64').padEnd(32, 'A')}`],
  };
  return { dn: `uid=${uid},ou=people,dc=example,dc=com`, attributes };
};

const storeFor = (kind: string, path: string): SyncStore => (kind === 'file' ? new FileSyncStore(path) : new SqliteSyncStore(path));

const build = async (store: SyncStore, n: number): Promise<object> => {
  const random = seededRandom(3);
  await store.open();
  for (let first = 1; first <= n; first += BATCH) {
    const puts = new Map<string, SyncRecord>();
    for (let i = first; i < first + BATCH && i <= n; i++) puts.set(scaleUUID(i), record(i, random));
    await store.commit({ puts, deletes: new Set(), seen: new Set(), mark: 1, cookie: Buffer.from(`rid=000,csn=${first}`) });
  }
  await store.close();
  return { built: n };
};

const read = async (store: SyncStore, n: number): Promise<object> => {
  const started = performance.now();
  const state = await store.open();
  const openMs = performance.now() - started;
  let counted = 0;
  for await (const [entryUUID] of store.entries()) if (entryUUID.length === 36) counted++;
  const countMs = performance.now() - started - openMs;
  const random = seededRandom(9);
  let found = 0;
  const lookups = 1000;
  for (let k = 0; k < lookups; k++) {
    const i = 1 + Math.floor(random() * n);
    const got = await store.get(scaleUUID(i));
    if (got?.attributes.employeeNumber?.[0] === String(100000 + i)) found++;
  }
  await store.close();
  if (state.size !== n || counted !== n || found !== lookups) throw new Error(`read back ${state.size} (open), ${counted} (entries), ${found}/${lookups} look-ups; wrote ${n}`);
  return { size: state.size, counted, found, openMs, countMs, cookie: state.cookie?.toString() };
};

const main = async (): Promise<void> => {
  const [mode, kind, path, count] = process.argv.slice(2);
  const n = Number(count);
  if ((mode !== 'build' && mode !== 'read') || (kind !== 'file' && kind !== 'sqlite') || path === undefined || !(n > 0)) {
    throw new Error('usage: node scale-child.js build|read file|sqlite PATH N');
  }
  const store = storeFor(kind, path);
  process.stdout.write(`${JSON.stringify(mode === 'build' ? await build(store, n) : await read(store, n))}\n`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`scale step failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
