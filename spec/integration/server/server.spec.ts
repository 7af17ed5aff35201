/**
 * The in-memory directory's own face, through rxldap's Client: in-process connections with no
 * socket, close and listen again on the same port, ldapi, ldaps and StartTLS, persistent search
 * with Entry Change Notification, access rules, controls, limits, and the Directory API (changes
 * made directly, announced like any other, LDIF in and out).
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { firstValueFrom, filter as keep, take, toArray } from 'rxjs';
import {
  AssertionFailedError,
  Client,
  ConnectionError,
  EntryAlreadyExistsError,
  InsufficientAccessRightsError,
  NotAllowedOnNonLeafError,
  ObjectClassViolationError,
  SizeLimitExceededError,
  StrongerAuthRequiredError,
  UnavailableCriticalExtensionError,
  assertionControl,
  parseFilter,
  permissiveModifyControl,
  postReadControl,
  preReadControl,
  rawControl,
  subtreeDeleteControl,
} from '../../../lib';
import type { ChangeEvent } from '../../../lib';
import { createDirectory, startDirectory } from '../../../lib/server';
import { encodeMessage, MessageParser } from '../../../lib/wire';
import type { DirectoryChangeEvent, DirectoryServer } from '../../../lib/server';
import { BASE_DN, GROUPS_DN, generatePeople, PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';
import { createTestCertificates } from '../../support/slapd/tls';

const ADMIN_DN = `cn=admin,${BASE_DN}`;
const PASSWORD = 'secret';
const LDIF = generatePeople(30, { groupSize: 10 });
const outcome = (promise: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);

describe('in-memory directory: its own face, through rxldap', function () {
  this.timeout(30_000);
  const servers: DirectoryServer[] = [];
  const clients: Client[] = [];
  const start = async (options: Parameters<typeof startDirectory>[0] = {}): Promise<DirectoryServer> => {
    const server = await startDirectory({ ldif: LDIF, rootDN: ADMIN_DN, rootPassword: PASSWORD, ...options });
    servers.push(server);
    return server;
  };
  const client = (options: ConstructorParameters<typeof Client>[0]): Client => {
    const made = new Client(options);
    clients.push(made);
    return made;
  };
  afterEach(async () => {
    for (const made of clients.splice(0)) made.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe('connections', () => {
    it('serves a Client in-process over a Duplex pair, with no socket and no port', async () => {
      const server = await start({ port: false });
      expect(server.port).to.equal(undefined);
      const inProcess = client({ url: server.url, connect: () => server.connect() });
      await inProcess.bind(ADMIN_DN, PASSWORD);
      expect(await inProcess.whoami()).to.equal(`dn:${ADMIN_DN}`);
      expect(await inProcess.search(PEOPLE_DN, { scope: 'one', attributes: ['1.1'] })).to.have.length(30);
      expect(server.connections).to.equal(1);
      await inProcess.unbind();
      expect(server.connections).to.equal(0);
    });

    it('close() drops every connection and frees the port; listen() serves the same data on the same port, and a client reconnects as itself', async () => {
      const server = await start();
      const port = server.port;
      const user = client({ url: server.url, reconnect: { initialDelay: 20, maxDelay: 100, maxTime: 10_000 } });
      await user.bind(personDN(personUid(1)), personPassword(personUid(1)));
      await user.modify(personDN(personUid(1)), [{ operation: 'replace', attribute: 'title', values: 'kept' }]);
      await server.close();
      expect(server.connections).to.equal(0);
      expect(await outcome(client({ url: server.url, reconnect: false }).whoami())).to.be.instanceOf(ConnectionError);
      await server.listen();
      expect(server.port).to.equal(port);
      expect(await user.whoami()).to.equal(`dn:${personDN(personUid(1))}`);
      const [entry] = await user.search(personDN(personUid(1)), { scope: 'base', attributes: ['title'] });
      expect(entry!.get('title')).to.equal('kept');
    });

    it('listens on an ldapi socket and on ldaps, and speaks StartTLS, with certificates the client verifies', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rxldap-server-spec-'));
      try {
        const certificates = await createTestCertificates(join(dir, 'tls'));
        const ca = readFileSync(certificates.caCertPath);
        const server = await start({ ldapi: join(dir, 'ldapi'), tls: { key: readFileSync(certificates.keyPath), cert: readFileSync(certificates.certPath) } });
        const local = client({ url: server.ldapiUrl! });
        await local.bind(ADMIN_DN, PASSWORD);
        expect(await local.whoami()).to.equal(`dn:${ADMIN_DN}`);
        const secure = client({ url: server.ldapsUrl!, tls: { ca } });
        await secure.bind(ADMIN_DN, PASSWORD);
        expect(secure.isSecure).to.equal(true);
        const upgraded = client({ url: server.url, tls: { ca } });
        await upgraded.startTLS();
        await upgraded.bind(personDN(personUid(2)), personPassword(personUid(2)));
        expect(upgraded.isSecure).to.equal(true);
        expect(await upgraded.whoami()).to.equal(`dn:${personDN(personUid(2))}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('backpressure', () => {
    it('a client that does not read holds the server to what the buffers take; reading again gets every entry', async () => {
      const server = await start({ ldif: generatePeople(5_000, { groupSize: 0 }), port: false });
      const socket = await server.connect();
      socket.pause();
      socket.write(encodeMessage({ messageId: 1, protocolOp: { type: 'searchRequest', baseObject: PEOPLE_DN, scope: 'singleLevel', derefAliases: 'neverDerefAliases', sizeLimit: 0, timeLimit: 0, typesOnly: false, filter: { type: 'present', attribute: 'objectClass' }, attributes: [] } }));
      for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // About 3 MB of entries; held back, the server has queued at most a batch beyond what the
      // streams' buffers took (its side of the pair is the in-process socket's peer).
      const serverSide = (socket as unknown as { peer: { writableLength: number } }).peer;
      expect(socket.readableLength).to.be.greaterThan(0);
      expect(socket.readableLength + serverSide.writableLength).to.be.lessThan(256 * 1024);
      const parser = new MessageParser();
      let entries = 0;
      const done = new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) =>
          parser.feed(chunk, (message) => {
            if (message.protocolOp.type === 'searchResEntry') entries++;
            if (message.protocolOp.type === 'searchResDone') resolve();
          }),
        );
      });
      socket.resume();
      await done;
      expect(entries).to.equal(5_000);
      socket.destroy();
    });
  });

  describe('persistent search with Entry Change Notification', () => {
    it('sends the current entries, then each add, modify, modDN (with the previous DN) and delete with its change number', async () => {
      const server = await start();
      const watcher = client({ url: server.url });
      await watcher.bind(ADMIN_DN, PASSWORD);
      const events = watcher.persistentSearch(PEOPLE_DN, { scope: 'one', changesOnly: false, changeTypes: ['add', 'delete', 'modify', 'modDN'], attributes: ['uid', 'mail'] });
      const seen = firstValueFrom(events.pipe(take(34), toArray()));
      const initial = firstValueFrom(events.pipe(keep((event): event is ChangeEvent => 'entry' in event && event.type === 'initial'), take(30), toArray()));
      const collected: ChangeEvent[] = [];
      const subscription = events.subscribe((event) => {
        if ('entry' in event) collected.push(event);
      });
      await initial;
      const writer = client({ url: server.url });
      await writer.bind(ADMIN_DN, PASSWORD);
      const dn = `uid=watched,${PEOPLE_DN}`;
      await writer.add(dn, { objectClass: 'inetOrgPerson', uid: 'watched', cn: 'W', sn: 'W' });
      await writer.modify(dn, [{ operation: 'replace', attribute: 'mail', values: 'w@example.com' }]);
      await writer.modifyDN(dn, 'uid=watched2');
      await writer.delete(`uid=watched2,${PEOPLE_DN}`);
      await seen.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      subscription.unsubscribe();
      const changes = collected.filter((event) => event.type !== 'initial');
      expect(collected.filter((event) => event.type === 'initial')).to.have.length(30);
      expect(changes.map((event) => [event.type, event.entry.dn])).to.deep.equal([
        ['add', dn],
        ['modify', dn],
        ['modDN', `uid=watched2,${PEOPLE_DN}`],
        ['delete', `uid=watched2,${PEOPLE_DN}`],
      ]);
      expect(changes[1]!.entry.get('mail')).to.equal('w@example.com');
      expect(changes[2]!.previousDN).to.equal(dn);
      const numbers = changes.map((event) => event.changeNumber!);
      expect(numbers).to.deep.equal([...numbers].sort((a, b) => a - b));
    });

    it('reports only the change types asked for, and only entries in scope that match', async () => {
      const server = await start();
      const watcher = client({ url: server.url });
      await watcher.bind(ADMIN_DN, PASSWORD);
      const deletes = firstValueFrom(watcher.persistentSearch(BASE_DN, { changeTypes: ['delete'], filter: '(objectClass=inetOrgPerson)' }).pipe(take(1)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      server.directory.modify(personDN(personUid(3)), [{ operation: 'replace', attribute: 'title', values: 'ignored' }]);
      server.directory.delete(`cn=group00000,${GROUPS_DN}`);
      server.directory.delete(personDN(personUid(4)));
      const event = await deletes;
      expect([event.type, 'entry' in event ? event.entry.dn : '']).to.deep.equal(['delete', personDN(personUid(4))]);
    });
  });

  describe('access rules and controls', () => {
    it('default access: anonymous reads all but userPassword, writes nothing (strongerAuthRequired); a user writes only their own entry', async () => {
      const server = await start();
      const anonymous = client({ url: server.url });
      const [entry] = await anonymous.search(personDN(personUid(1)), { scope: 'base' });
      expect(entry!.get('uid')).to.equal(personUid(1));
      expect(entry!.get('userPassword')).to.equal(undefined);
      expect(await outcome(anonymous.modify(personDN(personUid(1)), [{ operation: 'replace', attribute: 'title', values: 'x' }]))).to.be.instanceOf(StrongerAuthRequiredError);
      const user = client({ url: server.url });
      await user.bind(personDN(personUid(1)), personPassword(personUid(1)));
      await user.modify(personDN(personUid(1)), [{ operation: 'replace', attribute: 'title', values: 'mine' }]);
      expect(await outcome(user.modify(personDN(personUid(2)), [{ operation: 'replace', attribute: 'title', values: 'theirs' }]))).to.be.instanceOf(InsufficientAccessRightsError);
      expect((await user.search(personDN(personUid(1)), { scope: 'base', attributes: ['userPassword'] }))[0]!.get('userPassword')).to.match(/^\{SSHA\}/);
    });

    it('custom rules: a group of writers below a subtree, everyone else reading', async () => {
      const server = await start({
        access: [
          { dn: PEOPLE_DN, by: [{ who: { dn: personDN(personUid(9)) }, access: 'write' }, { who: 'anonymous', access: 'auth' }, { who: 'users', access: 'read' }] },
          { by: [{ who: '*', access: 'read' }] },
        ],
      });
      const editor = client({ url: server.url });
      await editor.bind(personDN(personUid(9)), personPassword(personUid(9)));
      await editor.modify(personDN(personUid(5)), [{ operation: 'replace', attribute: 'title', values: 'edited' }]);
      expect(server.directory.get(personDN(personUid(5)))?.get('title')).to.equal('edited');
      expect(await outcome(editor.modify(`cn=group00000,${GROUPS_DN}`, [{ operation: 'replace', attribute: 'description', values: 'x' }]))).to.be.instanceOf(InsufficientAccessRightsError);
    });

    it('assertion, pre-read and post-read, permissive modify, subtree delete, and an unknown critical control', async () => {
      const server = await start();
      const admin = client({ url: server.url });
      await admin.bind(ADMIN_DN, PASSWORD);
      const dn = personDN(personUid(6));
      const refused = await outcome(admin.modify(dn, [{ operation: 'replace', attribute: 'title', values: 'x' }], { controls: [assertionControl(parseFilter('(title=nothing)'))] }));
      expect(refused).to.be.instanceOf(AssertionFailedError);
      const { controls } = await admin.modify(dn, [{ operation: 'replace', attribute: 'mail', values: 'after@example.com' }], { controls: [preReadControl(['mail']), postReadControl(['mail'])] }).result();
      const valuesOf = (type: string): string[] => {
        const found = controls.find((control) => control.type === type);
        return found !== undefined && (found.type === 'preReadResponse' || found.type === 'postReadResponse') ? found.value.attributes.flatMap((a) => a.vals.map(String)) : [];
      };
      const read = { preReadResponse: valuesOf('preReadResponse'), postReadResponse: valuesOf('postReadResponse') };
      expect(read['postReadResponse']).to.deep.equal(['after@example.com']);
      expect(read['preReadResponse']).to.have.length(1).and.not.include('after@example.com');
      await admin.modify(dn, [{ operation: 'add', attribute: 'mail', values: 'after@example.com' }], { controls: [permissiveModifyControl()] });
      expect(await outcome(admin.delete(GROUPS_DN))).to.be.instanceOf(NotAllowedOnNonLeafError);
      await admin.delete(GROUPS_DN, { controls: [subtreeDeleteControl()] });
      expect(server.directory.get(GROUPS_DN)).to.equal(undefined);
      expect(await outcome(admin.search(BASE_DN, { scope: 'base', controls: [rawControl('1.2.3.4.5', undefined, true)] }))).to.be.instanceOf(UnavailableCriticalExtensionError);
    });

    it('a size limit for everyone but the root DN', async () => {
      const server = await start({ sizeLimit: 5 });
      const user = client({ url: server.url });
      await user.bind(personDN(personUid(1)), personPassword(personUid(1)));
      expect(await outcome(user.search(PEOPLE_DN, { scope: 'one' }))).to.be.instanceOf(SizeLimitExceededError);
      const admin = client({ url: server.url });
      await admin.bind(ADMIN_DN, PASSWORD);
      expect(await admin.search(PEOPLE_DN, { scope: 'one', attributes: ['1.1'] })).to.have.length(30);
    });
  });

  describe('the Directory API', () => {
    it('changes made directly are checked like LDAP ones, announced to watchers and to syncrepl', async () => {
      const server = await start();
      const { directory } = server;
      const announced: DirectoryChangeEvent[] = [];
      const stop = directory.subscribe((change) => announced.push(change));
      const added = directory.add(`uid=direct,${PEOPLE_DN}`, { objectClass: 'inetOrgPerson', uid: 'direct', cn: 'Direct', sn: 'Add' });
      expect(added.entryUUID).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(() => directory.add(`uid=direct,${PEOPLE_DN}`, { objectClass: 'inetOrgPerson', uid: 'direct', cn: 'D', sn: 'A' })).to.throw(EntryAlreadyExistsError);
      expect(() => directory.add(`uid=nosn,${PEOPLE_DN}`, { objectClass: 'inetOrgPerson', uid: 'nosn', cn: 'D' })).to.throw(ObjectClassViolationError, /requires attribute 'sn'/);
      directory.modify(`uid=direct,${PEOPLE_DN}`, [{ operation: 'add', attribute: 'mail', values: 'direct@example.com' }]);
      directory.rename(`uid=direct,${PEOPLE_DN}`, 'uid=direct2');
      directory.delete(`uid=direct2,${PEOPLE_DN}`);
      stop();
      expect(announced.map((change) => change.kind)).to.deep.equal(['add', 'modify', 'modDN', 'delete']);
      expect(announced[1]!.after?.get('mail')).to.equal('direct@example.com');
      expect(announced[3]!.before?.dn).to.equal(`uid=direct2,${PEOPLE_DN}`);
    });

    it('LDIF out and back in: a snapshot with operational attributes loads into an equal directory, entryUUIDs and CSNs kept', async () => {
      const server = await start();
      server.directory.modify(personDN(personUid(7)), [{ operation: 'replace', attribute: 'description', values: 'non-ASCII: Zoë, 東京' }]);
      const snapshot = server.directory.toLDIF({ operational: true });
      const copy = await createDirectory({ ldif: snapshot });
      expect(copy.toLDIF({ operational: true })).to.equal(snapshot);
      expect(copy.get(personDN(personUid(7)))?.entryUUID).to.equal(server.directory.get(personDN(personUid(7)))?.entryUUID);
      expect(copy.get(personDN(personUid(7)))?.get('description')).to.equal('non-ASCII: Zoë, 東京');
      expect(() => copy.load(`dn: ${personDN(personUid(7))}\nchangetype: delete\n`)).to.throw(/change record cannot be loaded/);
    });

    it('two servers over one directory see each other\'s changes at once', async () => {
      const directory = await createDirectory({ ldif: LDIF });
      const a = await start({ directory });
      const b = await start({ directory });
      const onA = client({ url: a.url });
      await onA.bind(ADMIN_DN, PASSWORD);
      await onA.modify(personDN(personUid(8)), [{ operation: 'replace', attribute: 'title', values: 'shared' }]);
      const onB = client({ url: b.url });
      const [entry] = await onB.search(personDN(personUid(8)), { scope: 'base', attributes: ['title'] });
      expect(entry!.get('title')).to.equal('shared');
    });

    it('schema: false takes any attribute and object class', async () => {
      const server = await start({ schema: false });
      const admin = client({ url: server.url });
      await admin.bind(ADMIN_DN, PASSWORD);
      await admin.add(`cn=free,${BASE_DN}`, { objectClass: 'madeUpClass', cn: 'free', madeUpAttribute: 'anything' });
      const [entry] = await admin.search(`cn=free,${BASE_DN}`, { scope: 'base' });
      expect(entry!.get('madeUpAttribute')).to.equal('anything');
    });
  });
});
