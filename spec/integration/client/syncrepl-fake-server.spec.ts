import { expect } from 'chai';
import {
  Client,
  ControlOid,
  ProtocolError,
  SYNC_INFO_OID,
  SyncRefreshRequiredError,
  TimeoutError,
  UnwillingToPerformError,
  cancelCodec,
  encodeSyncInfoValue,
  manageDsaITControl,
} from '../../support/all-of-lib';
import type { Control, LdapMessage, SearchRequest, SyncEvent, SyncInfo, SyncRequestControl, SyncStateName } from '../../support/all-of-lib';
import { syncUUIDFromString } from '../../../lib/search/syncrepl-uuid';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer, FakeSession } from '../../support/fake-server';

/**
 * What slapd will not produce on demand: every Sync Info kind in one refresh, e-syncRefreshRequired,
 * malformed sync controls. The scripted server answers each search from a per-request script.
 */
const UUID = {
  a: '00000000-0000-4000-8000-00000000000a',
  b: '00000000-0000-4000-8000-00000000000b',
  c: '00000000-0000-4000-8000-00000000000c',
  d: '00000000-0000-4000-8000-00000000000d',
  e: '00000000-0000-4000-8000-00000000000e',
};
const CANCEL_OID = '1.3.6.1.1.8';

const syncState = (state: SyncStateName, uuid: string, cookie?: string): Control => ({
  type: 'syncState',
  oid: ControlOid.syncState,
  criticality: false,
  value: cookie === undefined ? { state, entryUUID: syncUUIDFromString(uuid) } : { state, entryUUID: syncUUIDFromString(uuid), cookie: Buffer.from(cookie) },
});
const entry = (id: number, dn: string, controls: Control[]): LdapMessage => ({
  messageId: id,
  protocolOp: { type: 'searchResEntry', objectName: dn, attributes: [{ type: 'cn', vals: [Buffer.from(dn.slice(3))] }] },
  controls,
});
const info = (id: number, value: SyncInfo): LdapMessage => ({
  messageId: id,
  protocolOp: { type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: encodeSyncInfoValue(value) },
});
const done = (id: number, resultCode: number, syncDone?: { cookie?: string; refreshDeletes?: boolean }): LdapMessage => {
  const message: LdapMessage = { messageId: id, protocolOp: { type: 'searchResDone', resultCode, matchedDN: '', diagnosticMessage: '' } };
  if (syncDone !== undefined) {
    const refreshDeletes = syncDone.refreshDeletes ?? false;
    const value = syncDone.cookie === undefined ? { refreshDeletes } : { cookie: Buffer.from(syncDone.cookie), refreshDeletes };
    message.controls = [{ type: 'syncDone', oid: ControlOid.syncDone, criticality: false, value }];
  }
  return message;
};
const uuids = (...names: Array<keyof typeof UUID>): Buffer[] => names.map((name) => syncUUIDFromString(UUID[name]));

/** Events as plain data for deep comparison: cookies as text, entries by DN. */
const plain = (events: readonly SyncEvent[]): unknown[] =>
  events.map((event) => {
    if (event.type === 'cookie') return `cookie ${event.cookie.toString()}`;
    if (event.type === 'refreshDone' || event.type === 'refreshRequired') return `${event.type} ${event.cookie?.toString() ?? '-'}`;
    if (event.type === 'phaseEnd') return `phaseEnd ${event.phase}${event.refreshDone ? ' refreshDone' : ''}`;
    if (event.type === 'syncIdSet') return `syncIdSet ${event.refreshDeletes ? 'delete' : 'present'} ${event.entryUUIDs.join(' ')}`;
    if (event.type === 'resumed') return `resumed ${event.cookie?.toString() ?? '-'}`;
    return `${event.type} ${event.entryUUID} ${event.dn}`;
  });

const syncRequestOf = (message: LdapMessage): SyncRequestControl | undefined =>
  message.controls?.find((c): c is SyncRequestControl => c.type === 'syncRequest');

/** Answers Cancel as slapd does: the search ends with canceled (118), then the Cancel succeeds. */
const answerCancel = (request: LdapMessage, session: FakeSession): boolean => {
  const op = request.protocolOp;
  if (op.type !== 'extendedReq' || op.requestName !== CANCEL_OID) return false;
  const canceled = cancelCodec.decodeRequestValue(op.requestValue);
  session.send({ messageId: canceled, protocolOp: { type: 'searchResDone', resultCode: 118, matchedDN: '', diagnosticMessage: '' } });
  session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });
  return true;
};

const searchesOf = (server: FakeServer): LdapMessage[] => server.sessions.flatMap((s) => s.received.filter((m) => m.protocolOp.type === 'searchRequest'));
const cancelsOf = (server: FakeServer): number[] =>
  server.sessions.flatMap((s) => s.received.flatMap((m) => (m.protocolOp.type === 'extendedReq' && m.protocolOp.requestName === CANCEL_OID ? [cancelCodec.decodeRequestValue(m.protocolOp.requestValue)] : [])));

const until = async (what: string, condition: () => boolean, boundMs = 5000): Promise<void> => {
  const deadline = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('client.syncrepl against a scripted server', function () {
  this.timeout(20_000);
  let server: FakeServer | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.unbind();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  /** A refresh with every Sync Info kind: present phase, then delete phase, then one live change. */
  const everyInfoKind = (request: LdapMessage, session: FakeSession): void => {
    if (answerCancel(request, session) || request.protocolOp.type !== 'searchRequest') return;
    const id = request.messageId;
    for (const message of [
      entry(id, 'cn=a', [syncState('present', UUID.a)]),
      info(id, { type: 'newcookie', cookie: Buffer.from('n1') }),
      info(id, { type: 'syncIdSet', refreshDeletes: false, syncUUIDs: uuids('b', 'c') }),
      info(id, { type: 'refreshPresent', cookie: Buffer.from('p1'), refreshDone: false }),
      info(id, { type: 'syncIdSet', cookie: Buffer.from('s1'), refreshDeletes: true, syncUUIDs: uuids('d') }),
      info(id, { type: 'refreshDelete', cookie: Buffer.from('d1'), refreshDone: true }),
      entry(id, 'cn=e', [syncState('add', UUID.e, 'e1')]),
      info(id, { type: 'newcookie', cookie: Buffer.from('n2') }),
    ]) {
      session.send(message);
    }
  };

  const collectUntilCookie = async (sync: AsyncIterable<SyncEvent>, cookie: string): Promise<SyncEvent[]> => {
    const events: SyncEvent[] = [];
    for await (const event of sync) {
      events.push(event);
      if (event.type === 'cookie' && event.cookie.toString() === cookie) break;
    }
    return events;
  };

  it('turns all four Sync Info kinds into events, expanding syncIdSets, and a break sends Cancel for the search', async () => {
    server = await startFakeServer(everyInfoKind);
    client = new Client({ url: server.url });
    const events = await collectUntilCookie(client.syncrepl('dc=x'), 'n2');
    expect(plain(events)).to.deep.equal([
      `present ${UUID.a} cn=a`,
      'cookie n1',
      `present ${UUID.b} `,
      `present ${UUID.c} `,
      'phaseEnd present',
      'cookie p1',
      `delete ${UUID.d} `,
      'cookie s1',
      'phaseEnd delete refreshDone',
      'cookie d1',
      'refreshDone d1',
      `add ${UUID.e} cn=e`,
      'cookie e1',
      'cookie n2',
    ]);
    await until('the Cancel', () => cancelsOf(server!).length === 1);
    expect(cancelsOf(server)).to.deep.equal([searchesOf(server)[0]!.messageId]);
    // The same connection carries the next sync.
    const again = await collectUntilCookie(client.syncrepl('dc=x'), 'n2');
    expect(again).to.have.length(events.length);
    expect(server.sessions).to.have.length(1);
  });

  it('keeps each syncIdSet as one event with expandIdSets false', async () => {
    server = await startFakeServer(everyInfoKind);
    client = new Client({ url: server.url });
    const events = await collectUntilCookie(client.syncrepl('dc=x', { expandIdSets: false }), 'n2');
    expect(plain(events).slice(0, 8)).to.deep.equal([
      `present ${UUID.a} cn=a`,
      'cookie n1',
      `syncIdSet present ${UUID.b} ${UUID.c}`,
      'phaseEnd present',
      'cookie p1',
      `syncIdSet delete ${UUID.d}`,
      'cookie s1',
      'phaseEnd delete refreshDone',
    ]);
  });

  it('sends the mode, cookie and reloadHint as a critical Sync Request, beside the caller\'s controls', async () => {
    server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'searchRequest') session.send(done(request.messageId, 0, { cookie: 'c', refreshDeletes: true }));
    });
    client = new Client({ url: server.url });
    const events = await client.syncrepl('ou=people,dc=x', { mode: 'refreshOnly', cookie: 'abc', reloadHint: true, scope: 'one', filter: '(uid=u*)', attributes: ['cn'], controls: [manageDsaITControl()] });
    expect(plain(events)).to.deep.equal(['phaseEnd delete refreshDone', 'cookie c', 'refreshDone c']);
    const [search] = searchesOf(server);
    const op = search!.protocolOp as SearchRequest;
    expect([op.baseObject, op.scope, op.attributes]).to.deep.equal(['ou=people,dc=x', 'singleLevel', ['cn']]);
    expect(search!.controls?.map((c) => c.type)).to.deep.equal(['syncRequest', 'manageDsaIT']);
    const sync = syncRequestOf(search!)!;
    expect(sync.criticality).to.equal(true);
    expect([sync.value.mode, sync.value.cookie?.toString(), sync.value.reloadHint]).to.deep.equal(['refreshOnly', 'abc', true]);
  });

  it('e-syncRefreshRequired restarts the same search, with the Sync Done cookie and then with none (full reload)', async () => {
    let searches = 0;
    server = await startFakeServer((request, session) => {
      if (request.protocolOp.type !== 'searchRequest') return;
      const id = request.messageId;
      searches++;
      if (searches === 1) session.send(done(id, 4096, { cookie: 'resume-here' }));
      else if (searches === 2) session.send(done(id, 4096));
      else {
        session.send(entry(id, 'cn=a', [syncState('add', UUID.a)]));
        session.send(done(id, 0, { cookie: 'fresh' }));
      }
    });
    client = new Client({ url: server.url });
    const events = await client.syncrepl('dc=x', { mode: 'refreshOnly', cookie: 'start', filter: '(cn=a*)' });
    expect(plain(events)).to.deep.equal([
      'refreshRequired resume-here',
      'refreshRequired -',
      `add ${UUID.a} cn=a`,
      'phaseEnd present refreshDone',
      'cookie fresh',
      'refreshDone fresh',
    ]);
    const sent = searchesOf(server);
    expect(sent.map((m) => syncRequestOf(m)?.value.cookie?.toString())).to.deep.equal(['start', 'resume-here', undefined]);
    expect(sent.map((m) => syncRequestOf(m)?.value.mode)).to.deep.equal(['refreshOnly', 'refreshOnly', 'refreshOnly']);
    expect(sent[1]!.protocolOp).to.deep.equal(sent[0]!.protocolOp);
    expect(sent[2]!.protocolOp).to.deep.equal(sent[0]!.protocolOp);
    expect(new Set(sent.map((m) => m.messageId)).size).to.equal(3);
  });

  it('gives up with SyncRefreshRequiredError after maxRestarts refusals in a row', async () => {
    server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'searchRequest') session.send(done(request.messageId, 4096));
    });
    client = new Client({ url: server.url });
    const events: SyncEvent[] = [];
    const outcome = await new Promise<unknown>((resolve) => {
      client!.syncrepl('dc=x', { maxRestarts: 3 }).subscribe({ next: (e) => events.push(e), error: resolve, complete: () => resolve('completed') });
    });
    expect(outcome).to.be.instanceOf(SyncRefreshRequiredError);
    expect((outcome as SyncRefreshRequiredError).code).to.equal(4096);
    expect(plain(events)).to.deep.equal(['refreshRequired -', 'refreshRequired -', 'refreshRequired -']);
    expect(searchesOf(server)).to.have.length(4);
    const immediately = await client.syncrepl('dc=x', { maxRestarts: 0 }).then(() => 'completed', (e: unknown) => e);
    expect(immediately).to.be.instanceOf(SyncRefreshRequiredError);
    expect(searchesOf(server)).to.have.length(5);
  });

  it('the client\'s default timeout does not cut a persist stage; an explicit timeout does', async () => {
    server = await startFakeServer((request, session) => {
      if (answerCancel(request, session) || request.protocolOp.type !== 'searchRequest') return;
      const id = request.messageId;
      session.send(info(id, { type: 'refreshDelete', cookie: Buffer.from('d1'), refreshDone: true }));
      setTimeout(() => session.send(entry(id, 'cn=late', [syncState('add', UUID.e, 'late')])), 200);
    });
    client = new Client({ url: server.url, timeout: 50 });
    const events = await collectUntilCookie(client.syncrepl('dc=x'), 'late');
    expect(plain(events).slice(-2)).to.deep.equal([`add ${UUID.e} cn=late`, 'cookie late']);
    const timed = await client.syncrepl('dc=x', { timeout: 50 }).then(() => 'completed', (e: unknown) => e);
    expect(timed).to.be.instanceOf(TimeoutError);
  });

  it('another error result fails the sync with its typed LdapError', async () => {
    server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'searchRequest') {
        session.send({ messageId: request.messageId, protocolOp: { type: 'searchResDone', resultCode: 53, matchedDN: '', diagnosticMessage: 'consumer state is newer than provider!' } });
      }
    });
    client = new Client({ url: server.url });
    const outcome = await client.syncrepl('dc=x').then(() => 'completed', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(UnwillingToPerformError);
    expect((outcome as UnwillingToPerformError).diagnosticMessage).to.equal('consumer state is newer than provider!');
  });

  it('a malformed Sync State value is a ProtocolError from the codec', async () => {
    server = await startFakeServer((request, session) => {
      if (request.protocolOp.type !== 'searchRequest') return;
      // state add, then an entryUUID of 15 octets instead of 16
      const value = Buffer.concat([Buffer.from([0x30, 0x14, 0x0a, 0x01, 0x01, 0x04, 0x0f]), Buffer.alloc(15, 0xab)]);
      session.send(entry(request.messageId, 'cn=bad', [{ type: 'raw', oid: ControlOid.syncState, criticality: false, value }]));
    });
    client = new Client({ url: server.url });
    const outcome = await client.syncrepl('dc=x').then(() => 'completed', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(ProtocolError);
    expect((outcome as ProtocolError).message).to.match(/malformed syncState control value.*16 octets, not 15/);
  });

  it('a malformed Sync Info value is a ProtocolError, and the search is cancelled', async () => {
    server = await startFakeServer((request, session) => {
      if (answerCancel(request, session) || request.protocolOp.type !== 'searchRequest') return;
      const garbled = Buffer.from([0xa9, 0x00]); // no such CHOICE
      session.send({ messageId: request.messageId, protocolOp: { type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: garbled } });
    });
    client = new Client({ url: server.url });
    const outcome = await client.syncrepl('dc=x').then(() => 'completed', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(ProtocolError);
    expect((outcome as ProtocolError).message).to.match(/unknown Sync Info choice/);
    await until('the Cancel', () => cancelsOf(server!).length === 1);
    expect(cancelsOf(server)).to.deep.equal([searchesOf(server)[0]!.messageId]);
  });

  it('an entry without a Sync State control is a ProtocolError on the operation, and the connection goes on', async () => {
    let searches = 0;
    server = await startFakeServer((request, session) => {
      if (answerCancel(request, session) || request.protocolOp.type !== 'searchRequest') return;
      searches++;
      if (searches === 1) session.send(entry(request.messageId, 'cn=plain', []));
      else session.send(done(request.messageId, 0, { cookie: 'ok' }));
    });
    client = new Client({ url: server.url });
    const outcome = await client.syncrepl('dc=x').then(() => 'completed', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(ProtocolError);
    expect((outcome as ProtocolError).message).to.match(/'cn=plain' has no Sync State control/);
    const next = await client.syncrepl('dc=x', { mode: 'refreshOnly' });
    expect(plain(next)).to.deep.equal(['phaseEnd present refreshDone', 'cookie ok', 'refreshDone ok']);
    expect(server.sessions).to.have.length(1);
  });
});
