import { expect } from 'chai';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { Client, ConnectionError, NoticeOfDisconnectionError, TimeoutError, sortControl } from '../../support/all-of-lib';
import type { Control, LdapMessage, SearchEntry } from '../../support/all-of-lib';
import { startFakeServer } from '../../support/fake-server';
import { sharedSlapd } from '../../support/slapd';
import { PEOPLE_DN } from '../../support/data';

const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };

describe('Client faults (scripted server)', function () {
  this.timeout(20_000);

  it('a Notice of Disconnection reaches client.notifications and fails every pending operation', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'bindRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', ...ok } });
      if (request.protocolOp.type === 'compareRequest') {
        session.send({ messageId: 0, protocolOp: { type: 'extendedResp', resultCode: 52, matchedDN: '', diagnosticMessage: 'going down', responseName: '1.3.6.1.4.1.1466.20036' } });
        setTimeout(() => session.socket.destroy(), 10);
      }
    });
    const client = new Client({ url: server.url });
    const notices: LdapMessage[] = [];
    client.notifications.subscribe((n) => notices.push(n));
    await client.bind('cn=x', 'y');
    const search = client.search('dc=x').then(() => 'finished', (e: unknown) => e);
    const compare = client.compare('cn=x', 'cn', 'x').then(() => 'finished', (e: unknown) => e);
    const [a, b] = await Promise.all([search, compare]);
    for (const outcome of [a, b]) {
      expect(outcome).to.be.instanceOf(NoticeOfDisconnectionError);
      expect((outcome as NoticeOfDisconnectionError).code).to.equal(52);
    }
    expect(notices).to.have.length(1);
    await server.close();
  });

  it('a connection cut mid-PDU fails a pending search with ConnectionError, after the entries before it', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type !== 'searchRequest') return;
      session.send({ messageId: request.messageId, protocolOp: { type: 'searchResEntry', objectName: 'cn=a,dc=x', attributes: [] } });
      const done = Buffer.from([0x30, 0x0c, 0x02, 0x01, request.messageId, 0x65, 0x07, 0x0a, 0x01]);
      session.sendRaw(done); // a searchResDone cut after 9 of its 14 bytes
      setTimeout(() => session.socket.destroy(), 20);
    });
    const client = new Client({ url: server.url });
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const entry of client.search('dc=x')) seen.push(entry.dn);
    } catch (error) {
      failure = error;
    }
    expect(seen).to.deep.equal(['cn=a,dc=x']);
    expect(failure).to.be.instanceOf(ConnectionError);
    await server.close();
  });

  it('a refused connection is a ConnectionError, and a connect that stalls is a TimeoutError', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await new Client({ url: `ldap://127.0.0.1:${port}` }).whoami().then(() => 'ok', (e: unknown) => e);
    expect(refused).to.be.instanceOf(ConnectionError);
    expect((refused as Error).message).to.match(/cannot connect to ldap:\/\/127\.0\.0\.1/);

    // Accepts TCP but never answers the TLS ClientHello.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const stalled = await new Client({ url: `ldaps://127.0.0.1:${silentPort}`, connectTimeout: 200 }).whoami().then(() => 'ok', (e: unknown) => e);
    expect(stalled).to.be.instanceOf(TimeoutError);
    expect(Date.now() - started).to.be.lessThan(5000);
    silent.close();
  });
});

describe('Client: abandon on the wire (scripted server)', function () {
  this.timeout(20_000);

  it('breaking out of for-await, unsubscribing and aborting each send Abandon with the search messageID', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type !== 'searchRequest') return;
      // Two entries and then nothing: the search stays open until the client gives up on it.
      for (const name of ['cn=a', 'cn=b']) session.send({ messageId: request.messageId, protocolOp: { type: 'searchResEntry', objectName: name, attributes: [] } });
    });
    const client = new Client({ url: server.url });
    for await (const entry of client.search('dc=x')) {
      expect(entry.dn).to.equal('cn=a');
      break;
    }
    const subscription = client.search('dc=x').subscribe({ next: () => subscription.unsubscribe() });
    const controller = new AbortController();
    const aborted = client.search('dc=x', { signal: controller.signal }).then(() => 'done', (e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    await aborted;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const received = server.sessions[0]!.received;
    const searchIds = received.filter((m) => m.protocolOp.type === 'searchRequest').map((m) => m.messageId);
    const abandoned = received.flatMap((m) => (m.protocolOp.type === 'abandonRequest' ? [m.protocolOp.idToAbandon] : []));
    expect(searchIds).to.have.length(3);
    expect(abandoned).to.deep.equal(searchIds);
    await client.unbind();
    await server.close();
  });
});

describe('Client faces against slapd', function () {
  this.timeout(30_000);

  it('toStream() gives a Readable of entries', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    const dns: string[] = [];
    for await (const entry of client.search(PEOPLE_DN, { scope: 'one', attributes: ['1.1'] }).toStream()) dns.push((entry as SearchEntry).dn);
    expect(dns).to.have.length(1000);
    await client.unbind();
  });

  it('sends request controls and reports response controls (server-side sort)', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    let doneControls: readonly Control[] = [];
    const entries = await client.search(PEOPLE_DN, {
      scope: 'one',
      filter: '(uid=user00*)',
      attributes: ['cn'],
      controls: [sortControl([{ attributeType: 'cn', orderingRule: 'caseIgnoreOrderingMatch', reverseOrder: true }])],
      onDone: (_result, controls) => (doneControls = controls),
    });
    const names = entries.map((e) => e.get('cn')!.toLowerCase());
    expect(names).to.deep.equal([...names].sort().reverse());
    expect(doneControls.map((c) => c.type)).to.deep.equal(['sortResponse']);
    const sortResult = doneControls[0]!.type === 'sortResponse' ? doneControls[0].value.sortResult : -1;
    expect(sortResult).to.equal(0);
    await client.unbind();
  });

  it('an Observable subscriber receives entries and completion', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    const dns = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      client.search(slapd.baseDN, { scope: 'one' }).subscribe({ next: (e) => seen.push(e.dn), error: reject, complete: () => resolve(seen) });
    });
    expect(dns.sort()).to.deep.equal([`ou=groups,${slapd.baseDN}`, `ou=people,${slapd.baseDN}`]);
    await client.unbind();
  });
});
