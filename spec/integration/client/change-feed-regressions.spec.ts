import { expect } from 'chai';
import { firstValueFrom, take } from 'rxjs';
import { spy } from 'sinon';
import { Client, Connection, ConnectionError, ControlOid, MemorySyncStore, SYNC_INFO_OID, SyncReplConsumer, encodeSyncInfoValue } from '../../support/all-of-lib';
import type { Control, LdapMessage, PagedResultsControl } from '../../support/all-of-lib';
import { entryAttributes } from '../../../lib/search/sync/attributes';
import { syncUUIDFromString } from '../../../lib/search/syncrepl-uuid';
import { SearchEntry as Entry } from '../../../lib/search/entry';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer } from '../../support/fake-server';

/*
 * Regressions found in review of the change feeds, each reproduced first. Fake servers stand in
 * where the behaviour needs a server that refuses Cancel, a connection that dies between two
 * pages, or a bind that never gets an answer.
 */

const until = async (what: string, condition: () => boolean, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const done = (messageId: number, resultCode: number, controls?: Control[]): LdapMessage => ({
  messageId,
  protocolOp: { type: 'searchResDone', resultCode, matchedDN: '', diagnosticMessage: '' },
  ...(controls === undefined ? {} : { controls }),
});
const entry = (messageId: number, cn: string, controls?: Control[]): LdapMessage => ({
  messageId,
  protocolOp: { type: 'searchResEntry', objectName: `cn=${cn},dc=example,dc=com`, attributes: [{ type: 'cn', vals: [Buffer.from(cn)] }] },
  ...(controls === undefined ? {} : { controls }),
});
const paged = (cookie: string): PagedResultsControl => ({ type: 'pagedResults', oid: ControlOid.pagedResults, criticality: false, value: { size: 0, cookie: Buffer.from(cookie) } });
const ok = (messageId: number, type: 'bindResponse' | 'extendedResp' = 'bindResponse', resultCode = 0): LdapMessage => ({
  messageId,
  protocolOp: { type, resultCode, matchedDN: '', diagnosticMessage: '' },
});

describe('change feed regressions', function () {
  this.timeout(20_000);
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a server that refuses Cancel gets an Abandon, and the search stops holding its messageID', async () => {
    let searchId = 0;
    server = await startFakeServer((request, session) => {
      const op = request.protocolOp;
      // like 389-ds, which has no RFC 3909: an unknown extended operation is a protocolError
      if (op.type === 'extendedReq') session.send(ok(request.messageId, 'extendedResp', 2));
      if (op.type === 'searchRequest') {
        searchId = request.messageId;
        session.send({ messageId: searchId, protocolOp: { type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: encodeSyncInfoValue({ type: 'refreshDelete', cookie: Buffer.from('c1'), refreshDone: true }) } });
      }
    });
    const client = new Client({ url: server.url });
    const requests = spy(Connection.prototype, 'request');
    await firstValueFrom(client.syncrepl('dc=example,dc=com').pipe(take(3))).finally(() => requests.restore()); // phaseEnd, cookie, refreshDone; then unsubscribe
    const session = server.sessions[0]!;
    await until('an Abandon', () => session.received.some((m) => m.protocolOp.type === 'abandonRequest'));
    const types = session.received.map((m) => m.protocolOp.type);
    expect(types).to.deep.equal(['searchRequest', 'extendedReq', 'abandonRequest']);
    const abandon = session.received[2]!.protocolOp;
    expect(abandon.type === 'abandonRequest' && abandon.idToAbandon).to.equal(searchId);
    // nothing is left pending on the connection (the Cancel's answer came, the search was dropped)
    const connection = requests.firstCall.thisValue as Connection;
    await until('nothing pending', () => connection.pendingCount === 0);
    await client.unbind();
  });

  it('a paged search whose connection dies between pages fails with ConnectionError instead of sending its cookie to a new connection', async () => {
    server = await startFakeServer((request, session) => {
      const op = request.protocolOp;
      if (op.type === 'bindRequest') session.send(ok(request.messageId));
      if (op.type !== 'searchRequest') return;
      for (const cn of ['e1', 'e2', 'e3']) session.send(entry(request.messageId, cn));
      session.send(done(request.messageId, 0, [paged('p1')]));
    });
    const client = new Client({ url: server.url });
    await client.bind('cn=admin,dc=example,dc=com', 'secret');
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const found of client.pagedSearch('dc=example,dc=com', { pageSize: 3 })) {
        seen.push(found.dn);
        if (seen.length === 1) {
          server.sessions[0]!.socket.destroy(); // the server goes away while the loop works on page 1
          await until('the close', () => server!.sessions[0]!.socket.destroyed);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(ConnectionError);
    expect(seen).to.have.length(3); // page 1 was delivered whole
    expect(server.sessions, 'no second connection was opened for the next page').to.have.length(1);
    await client.unbind();
  });

  it('stop() of a SyncReplConsumer returns while its bind waits for a server that never answers', async () => {
    server = await startFakeServer(() => undefined); // reads requests, answers none
    const client = new Client({ url: server.url });
    let bindCompleted = false;
    const consumer = new SyncReplConsumer({
      client,
      base: 'dc=example,dc=com',
      store: new MemorySyncStore(),
      bind: (c, signal) => c.bind('cn=admin,dc=example,dc=com', 'secret', { signal }),
      callbacks: { bindComplete: () => void (bindCompleted = true) },
    });
    const running = consumer.start();
    await until('the bind request', () => server!.sessions[0]?.received.some((m) => m.protocolOp.type === 'bindRequest') === true);
    await consumer.stop();
    await running;
    expect(bindCompleted, 'bindComplete is not called for a bind that stop() cut short').to.equal(false);
    await client.unbind();
  });

  it('a consumer keeps attributes named like Object.prototype members (RFC 4512 allows `constructor`)', () => {
    const found = new Entry('cn=x,dc=example,dc=com', [
      { type: 'constructor', vals: [Buffer.from('a')] },
      { type: 'valueOf', vals: [Buffer.from('b')] },
      { type: 'cn', vals: [Buffer.from('x')] },
      { type: 'CN', vals: [Buffer.from('y')] },
    ]);
    const attributes = entryAttributes(found, new Set());
    expect(attributes['constructor']).to.deep.equal(['a']);
    // Read as an own property: the record's type would show Object.prototype.valueOf here.
    expect(Object.getOwnPropertyDescriptor(attributes, 'valueOf')?.value).to.deep.equal(['b']);
    expect(attributes['cn']).to.deep.equal(['x', 'y']);
  });

  it('a sync state on a late entry after Cancel does not reach anyone', async () => {
    // the Cancel path keeps the handler until the server ends the search; a late entry must not be delivered
    let searchId = 0;
    server = await startFakeServer((request, session) => {
      const op = request.protocolOp;
      if (op.type === 'searchRequest') {
        searchId = request.messageId;
        session.send({ messageId: searchId, protocolOp: { type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: encodeSyncInfoValue({ type: 'refreshDelete', cookie: Buffer.from('c1'), refreshDone: true }) } });
      }
      if (op.type === 'extendedReq') {
        const state: Control = { type: 'syncState', oid: ControlOid.syncState, criticality: false, value: { state: 'add', entryUUID: syncUUIDFromString('00000000-0000-4000-8000-00000000000a') } };
        session.send(entry(searchId, 'late', [state]));
        session.send(done(searchId, 118));
        session.send(ok(request.messageId, 'extendedResp', 0));
      }
    });
    const client = new Client({ url: server.url });
    const events: string[] = [];
    const subscription = client.syncrepl('dc=example,dc=com').subscribe((event) => events.push(event.type));
    await until('refreshDone', () => events.includes('refreshDone'));
    subscription.unsubscribe();
    await until('the Cancel', () => server!.sessions[0]!.received.some((m) => m.protocolOp.type === 'extendedReq'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).to.deep.equal(['phaseEnd', 'cookie', 'refreshDone']);
    expect(server.sessions[0]!.received.map((m) => m.protocolOp.type)).to.deep.equal(['searchRequest', 'extendedReq']);
    await client.unbind();
  });
});
