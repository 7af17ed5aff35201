import { expect } from 'chai';
import { firstValueFrom, filter, ReplaySubject, skip, take, timeout, toArray } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import { Client, DirectoryStore, NotAllowedOnNonLeafError, ObjectClassRequiredError } from '../../support/all-of-lib';
import type { StoreChange } from '../../support/all-of-lib';
import { BASE_DN } from '../../support/data';
import { sharedDs389 } from '../../support/ds389';
import type { Ds389Instance } from '../../support/ds389';
import { startMemoryInstance } from '../../support/memory/instance';
import { sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

/** How long an awaited change may take: a bounded wait, never a sleep. */
const WAIT_MS = 5_000;

/** The attributes of `dn` as OpenLDAP's ldapsearch prints them: `name: value` lines, sorted, or [] when there is no such entry. */
const ldapsearchLines = async (server: SlapdInstance, dn: string): Promise<string[]> => {
  const result = await server.run('ldapsearch', ['-x', '-H', server.url, '-D', server.adminDN, '-w', server.adminPassword, '-LLL', '-o', 'ldif-wrap=no', '-s', 'base', '-b', dn]);
  if (result.code === 32) return [];
  expect(result.code, result.stderr).to.equal(0);
  return result.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('dn:')).sort();
};

/** A watch's changes as they arrive, with bounded waits for them. */
class Changes {
  readonly seen: StoreChange[] = [];
  private readonly arrivals = new ReplaySubject<StoreChange>();
  private readonly subscription: Subscription;

  constructor(source: Observable<StoreChange>) {
    this.subscription = source.subscribe({
      next: (change) => {
        this.seen.push(change);
        this.arrivals.next(change);
      },
      error: (error: unknown) => this.arrivals.error(error),
    });
  }

  take(count: number, from: number): Promise<StoreChange[]> {
    return firstValueFrom(this.arrivals.pipe(skip(from), take(count), toArray(), timeout({ first: WAIT_MS })));
  }

  first(matches: (change: StoreChange) => boolean, ms = WAIT_MS): Promise<StoreChange | undefined> {
    return firstValueFrom(this.arrivals.pipe(filter(matches), timeout({ first: ms }))).catch(() => undefined);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

const describeChange = (change: StoreChange): string[] =>
  change.type === 'ready' ? ['ready'] : change.type === 'move' ? ['move', change.path, change.previousPath] : [change.type, change.path];

const ou = (name: string): Record<string, string[]> => ({ objectClass: ['top', 'organizationalUnit'], ou: [name] });

/** The same specs against each server: slapd (the rig's), and rxldap's in-memory directory dressed as it. */
const SERVERS: Array<[string, () => Promise<SlapdInstance>, (server: SlapdInstance) => Promise<void>]> = [
  ['slapd', () => sharedSlapd(), async () => undefined],
  ['the in-memory directory', () => startMemoryInstance(), (server) => server.stop()],
];

for (const [serverName, startServer, stopServer] of SERVERS) describe(`DirectoryStore against ${serverName} (the seed's examples, and watch through syncrepl)`, function () {
  this.timeout(60_000);
  let server: SlapdInstance;
  let client: Client;
  let store: DirectoryStore;
  let runs = 0;
  /** Each test's own subtree: its DN and its path. */
  let home: { dn: string; path: string };

  before(async () => {
    server = await startServer();
    client = new Client({ url: server.url, timeout: 10_000 });
    await client.bind(server.adminDN, server.adminPassword);
    store = new DirectoryStore(client);
  });
  beforeEach(async () => {
    const name = `kv-${process.pid}-${++runs}`;
    home = { dn: `ou=${name},${BASE_DN}`, path: `/dc=com/dc=example/ou=${name}` };
    expect(await store.put(home.path, ou(name))).to.equal('added');
  });
  afterEach(async () => {
    const result = await server.run('ldapdelete', ['-x', '-H', server.url, '-D', server.adminDN, '-w', server.adminPassword, '-r', home.dn]);
    expect(result.code, result.stderr).to.equal(0);
  });
  after(async () => {
    await client?.unbind();
    if (server !== undefined) await stopServer(server);
  });

  it('put with objectClass adds the entry; get by path and by DN give the same entry (the seed\'s first example)', async () => {
    const path = `${home.path}/cn=test`;
    const written = await store.put(path, { cn: 'test', sn: 'Organization', description: ['My organization', 'second'], objectClass: ['top', 'person'] });
    expect(written).to.equal('added');
    const byPath = await store.get(path);
    const byDN = await store.get(`cn=test,${home.dn}`);
    expect(byPath?.toJSON()).to.deep.equal(byDN?.toJSON());
    expect(byPath?.dn).to.equal(`cn=test,${home.dn}`);
    expect(await ldapsearchLines(server, `cn=test,${home.dn}`)).to.deep.equal(
      ['cn: test', 'description: My organization', 'description: second', 'objectClass: person', 'objectClass: top', 'sn: Organization'],
    );
  });

  it('put again replaces the given attributes (MODIFY_REPLACE) and keeps the others', async () => {
    const path = `${home.path}/cn=bob`;
    await store.put(path, { objectClass: ['top', 'person'], cn: 'bob', sn: 'Brown', description: 'first', telephoneNumber: '+1 555 0100' });
    expect(await store.put(path, { objectClass: ['top', 'person'], sn: 'Smith', description: ['one', 'two'] })).to.equal('replaced');
    // without objectClass too, once the entry exists
    expect(await store.put(path, { telephoneNumber: '+1 555 0199' })).to.equal('replaced');
    expect(await ldapsearchLines(server, `cn=bob,${home.dn}`)).to.deep.equal(
      ['cn: bob', 'description: one', 'description: two', 'objectClass: person', 'objectClass: top', 'sn: Smith', 'telephoneNumber: +1 555 0199'],
    );
    // an empty list removes the attribute
    await store.put(path, { description: [] });
    expect((await store.get(path))?.has('description')).to.equal(false);
  });

  it('put of a new entry without objectClass fails with ObjectClassRequiredError and writes nothing', async () => {
    const path = `${home.path}/cn=nobody`;
    const failure = await store.put(path, { cn: 'nobody', sn: 'None' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(ObjectClassRequiredError);
    expect((failure as ObjectClassRequiredError).dn).to.equal(`cn=nobody,${home.dn}`);
    expect((failure as ObjectClassRequiredError).path).to.equal(path);
    expect(await ldapsearchLines(server, `cn=nobody,${home.dn}`)).to.deep.equal([]);
    expect(await store.get(path)).to.equal(undefined);
  });

  it('adds the RDN value when a new entry leaves its naming attribute out', async () => {
    await store.put(`${home.path}/ou=teams`, { objectClass: ['top', 'organizationalUnit'] });
    expect(await ldapsearchLines(server, `ou=teams,${home.dn}`)).to.deep.equal(['objectClass: organizationalUnit', 'objectClass: top', 'ou: teams']);
  });

  it('keeps / , = + and \\ inside a value exactly, and lists the entry under the path that names it', async () => {
    const value = 'a/b, c=d+e\\f';
    const path = `${home.path}/cn=a\\/b\\, c=d\\+e\\\\f`;
    await store.put(path, { objectClass: ['top', 'person'], sn: 'Escaped' });
    const entry = await store.get(path);
    expect(entry?.get('cn')).to.equal(value);
    // OpenLDAP's own client finds it by its DN with RFC 4514 escapes, and reads the same value
    expect(await ldapsearchLines(server, `cn=a/b\\, c=d\\+e\\\\f,${home.dn}`)).to.include(`cn: ${value}`);
    const [listed] = await store.list(home.path);
    expect(listed?.path).to.equal(`${home.path}/cn=a\\2Fb\\, c=d\\+e\\\\f`);
    expect((await store.get(listed!.path))?.get('cn')).to.equal(value);
  });

  it('delete removes the entry (true), then there is nothing (false); an entry with children is refused', async () => {
    await store.put(`${home.path}/ou=parent`, ou('parent'));
    await store.put(`${home.path}/ou=parent/cn=child`, { objectClass: ['top', 'person'], sn: 'Child' });
    const refused = await store.delete(`${home.path}/ou=parent`).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(NotAllowedOnNonLeafError);
    expect(await store.delete(`${home.path}/ou=parent/cn=child`)).to.equal(true);
    expect(await store.delete(`${home.path}/ou=parent/cn=child`)).to.equal(false);
    expect(await store.get(`${home.path}/ou=parent/cn=child`)).to.equal(undefined);
    expect(await ldapsearchLines(server, `cn=child,ou=parent,${home.dn}`)).to.deep.equal([]);
  });

  it('list streams the entries one level below (or the whole subtree), across pages, the same set ldapsearch finds', async () => {
    const paged = new DirectoryStore(client, { pageSize: 7 });
    const names = Array.from({ length: 30 }, (_, i) => `item${String(i).padStart(2, '0')}`);
    for (const name of names) await paged.put(`${home.path}/cn=${name}`, { objectClass: ['top', 'person'], sn: name });
    await paged.put(`${home.path}/cn=item00/cn=deeper`, { objectClass: ['top', 'person'], sn: 'deeper' });

    const streamed: string[] = [];
    for await (const item of paged.list(home.path)) streamed.push(item.path);
    expect(streamed.sort()).to.deep.equal(names.map((name) => `${home.path}/cn=${name}`));

    const whole = await paged.list(home.path, { scope: 'sub' });
    expect(whole.map((item) => item.dn).sort()).to.deep.equal([`cn=deeper,cn=item00,${home.dn}`, ...names.map((name) => `cn=${name},${home.dn}`)].sort());

    const ldapsearch = await server.ldapsearch(['-LLL', '-s', 'one', '-b', home.dn, '1.1']);
    expect(ldapsearch.split('\n').filter((line) => line.startsWith('dn: ')).map((line) => line.slice(4)).sort()).to.deep.equal(
      streamed.map((path) => DirectoryStore.toDN(path).toString()).sort(),
    );
    const filtered = await paged.list(home.path, { filter: '(sn=item1*)' });
    expect(filtered.map((item) => item.entry.get('sn')).sort()).to.deep.equal(names.filter((name) => name.startsWith('item1')));
  });

  it('watch reports puts, a move and deletes under the prefix through syncrepl, after ready, and nothing from outside it', async () => {
    const watcher = new Client({ url: server.url, timeout: 10_000 });
    await watcher.bind(server.adminDN, server.adminPassword);
    await store.put(`${home.path}/cn=existing`, { objectClass: ['top', 'person'], sn: 'There' });
    await store.put(`${home.path}/ou=elsewhere`, ou('elsewhere'));
    await store.put(`${home.path}/ou=watched`, ou('watched'));
    const prefix = `${home.path}/ou=watched`;
    const changes = new Changes(new DirectoryStore(watcher).watch(prefix));
    try {
      const [ready] = await changes.take(1, 0);
      expect(ready?.type).to.equal('ready'); // the existing ou=watched entry is not reported without initial: true

      await store.put(`${prefix}/cn=alice`, { objectClass: ['top', 'person'], sn: 'Smith' });
      await store.put(`${prefix}/cn=alice`, { sn: 'Jones' });
      await store.put(`${home.path}/ou=elsewhere/cn=outsider`, { objectClass: ['top', 'person'], sn: 'Out' });
      await client.modifyDN(`cn=alice,ou=watched,${home.dn}`, 'cn=alicia');
      await client.modifyDN(`cn=existing,${home.dn}`, 'cn=existing', { newSuperior: `ou=watched,${home.dn}` }); // moved in
      await store.delete(`${prefix}/cn=alicia`);
      await client.modifyDN(`cn=existing,ou=watched,${home.dn}`, 'cn=existing', { newSuperior: `ou=elsewhere,${home.dn}` }); // moved out

      const seen = await changes.take(6, 1);
      expect(seen.map(describeChange)).to.deep.equal([
        ['put', `${prefix}/cn=alice`],
        ['put', `${prefix}/cn=alice`],
        ['move', `${prefix}/cn=alicia`, `${prefix}/cn=alice`],
        ['put', `${prefix}/cn=existing`],
        ['delete', `${prefix}/cn=alicia`],
        ['delete', `${prefix}/cn=existing`],
      ]);
      const [added, modified] = seen as Array<Extract<StoreChange, { type: 'put' }>>;
      expect([added!.entry.get('sn'), modified!.entry.get('sn'), added!.initial]).to.deep.equal(['Smith', 'Jones', false]);
      expect(await changes.first((change) => change.type !== 'ready' && change.dn.includes('outsider'), 300)).to.equal(undefined);
    } finally {
      changes.stop();
      await watcher.unbind();
    }
  });

  it('watch with initial: true first reports what is there, then ready', async () => {
    await store.put(`${home.path}/cn=one`, { objectClass: ['top', 'person'], sn: 'One' });
    const watcher = new Client({ url: server.url, timeout: 10_000 });
    await watcher.bind(server.adminDN, server.adminPassword);
    const changes = new Changes(new DirectoryStore(watcher).watch(home.path, { initial: true }));
    try {
      const seen = await changes.take(3, 0);
      expect(seen.slice(0, 2).map(describeChange).sort()).to.deep.equal([['put', home.path], ['put', `${home.path}/cn=one`]]);
      expect(seen.slice(0, 2).every((change) => change.type === 'put' && change.initial)).to.equal(true);
      expect(seen[2]?.type).to.equal('ready');
    } finally {
      changes.stop();
      await watcher.unbind();
    }
  });

  // slapd has no persistent search (unavailableCriticalExtension); the in-memory directory has, as 389-ds (below)
  if (serverName === 'the in-memory directory') it('watchWith: persistentSearch reports the same changes through a persistent search', async () => {
    const watcher = new Client({ url: server.url, timeout: 10_000 });
    await watcher.bind(server.adminDN, server.adminPassword);
    const changes = new Changes(new DirectoryStore(watcher, { watchWith: 'persistentSearch' }).watch(home.path));
    try {
      let start: number | undefined;
      for (let marker = 0; start === undefined && marker < 20; marker++) {
        await store.put(`${home.path}/cn=marker${marker}`, { objectClass: ['top', 'person'], sn: 'marker' });
        const seen = await changes.first((change) => change.type === 'put' && change.path === `${home.path}/cn=marker${marker}`, 300);
        if (seen !== undefined) start = changes.seen.indexOf(seen) + 1;
      }
      expect(start, 'the watch never reported a marker').to.not.equal(undefined);
      await store.put(`${home.path}/cn=dora`, { objectClass: ['top', 'person'], sn: 'Dora' });
      await client.modifyDN(`cn=dora,${home.dn}`, 'cn=dorothy');
      await store.delete(`${home.path}/cn=dorothy`);
      expect((await changes.take(3, start ?? 0)).map(describeChange)).to.deep.equal([
        ['put', `${home.path}/cn=dora`],
        ['move', `${home.path}/cn=dorothy`, `${home.path}/cn=dora`],
        ['delete', `${home.path}/cn=dorothy`],
      ]);
    } finally {
      changes.stop();
      await watcher.unbind();
    }
  });
});

describe('DirectoryStore.watch against 389 Directory Server (no syncrepl: persistent search)', function () {
  this.timeout(240_000);
  let ds: Ds389Instance;
  let writer: Client;
  let home: string;

  before(async function () {
    this.timeout(240_000); // the first to ask creates the instance (dscreate)
    ds = await sharedDs389();
    writer = new Client({ url: ds.url, timeout: 10_000 });
    await writer.bind(ds.rootDN, ds.rootPassword);
    home = `ou=kv-watch-${process.pid},${ds.peopleDN}`;
    await writer.add(home, ou(`kv-watch-${process.pid}`));
  });
  after(async () => {
    await ds?.run('ldapdelete', ['-x', '-H', ds.url, '-D', ds.rootDN, '-w', ds.rootPassword, '-r', home]);
    await writer?.unbind();
  });

  it('falls back to persistent search, as the root DSE lists no syncrepl control, and reports puts, a move and a delete', async () => {
    const [rootDSE] = await writer.search('', { scope: 'base', attributes: ['supportedControl'] });
    expect(rootDSE?.getAll('supportedControl')).to.not.include('1.3.6.1.4.1.4203.1.9.1.1');
    const watcher = new Client({ url: ds.url, timeout: 10_000 });
    await watcher.bind(ds.rootDN, ds.rootPassword);
    const path = DirectoryStore.toPath(home);
    const changes = new Changes(new DirectoryStore(watcher).watch(path));
    const store = new DirectoryStore(writer);
    try {
      // A persistent search has no ready signal: add markers until one is reported.
      let start: number | undefined;
      for (let marker = 0; start === undefined && marker < 20; marker++) {
        await store.put(`${path}/cn=marker${marker}`, { objectClass: ['top', 'person'], sn: 'marker' });
        const seen = await changes.first((change) => change.type === 'put' && change.path === `${path}/cn=marker${marker}`, 300);
        if (seen !== undefined) start = changes.seen.indexOf(seen) + 1;
      }
      expect(start, 'the watch never reported a marker').to.not.equal(undefined);
      // 389-ds may report two quick changes in either order: each waits for its change.
      const steps: Array<() => PromiseLike<unknown>> = [
        () => store.put(`${path}/cn=carol`, { objectClass: ['top', 'person'], sn: 'White' }),
        () => store.put(`${path}/cn=carol`, { sn: 'Black' }),
        () => writer.modifyDN(`cn=carol,${home}`, 'cn=caroline'),
        () => store.delete(`${path}/cn=caroline`),
      ];
      const seen: StoreChange[] = [];
      for (const step of steps) {
        await step();
        seen.push(...(await changes.take(1, start! + seen.length)));
      }
      expect(seen.map(describeChange)).to.deep.equal([
        ['put', `${path}/cn=carol`],
        ['put', `${path}/cn=carol`],
        ['move', `${path}/cn=caroline`, `${path}/cn=carol`],
        ['delete', `${path}/cn=caroline`],
      ]);
      expect(seen[1]?.type === 'put' && seen[1].entry.get('sn')).to.equal('Black');
    } finally {
      changes.stop();
      await watcher.unbind();
    }
  });
});
