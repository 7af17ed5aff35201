/** Regression specs for defects found in review: each failed (hung, leaked or crashed) before its fix. */
import { expect } from 'chai';
import { Client, ConnectionError, TimeoutError } from '../../../lib';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer } from '../../support/fake-server';
import { sharedSlapd } from '../../support/slapd';
import { PEOPLE_DN, personDN, personUid } from '../../support/data';

const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms))]);

describe('Client regressions', function () {
  this.timeout(30_000);
  let fake: FakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('a for-await loop that awaits another operation on the same connection does not deadlock', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    let count = 0;
    const loop = (async () => {
      for await (const entry of client.search(PEOPLE_DN, { scope: 'one', attributes: ['uid'], highWaterMark: 4 })) {
        expect(await client.compare(entry.dn, 'uid', entry.get('uid')!)).to.equal(true);
        count++;
      }
    })();
    await within(loop, 20_000, 'the loop');
    expect(count).to.equal(1000);
    await client.unbind();
  });

  it('requests made while StartTLS runs wait and go out over TLS', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url, tls: { ca: slapd.caCert } });
    await client.connect();
    const upgrade = client.startTLS();
    const bind = client.bind(slapd.adminDN, slapd.adminPassword).then(() => 'bound');
    await upgrade;
    expect(await bind).to.equal('bound'); // cleartext in the handshake would have killed the connection
    expect(await client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    await client.unbind();
  });

  it('StartTLS with an operation outstanding is refused (RFC 4511 §4.14.1)', async () => {
    fake = await startFakeServer(() => undefined); // never answers
    const client = new Client({ url: fake.url });
    const search = client.search('dc=x').then(() => 'done', (e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcome = await client.startTLS().then(() => 'upgraded', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(ConnectionError);
    expect((outcome as Error).message).to.match(/no outstanding operations/);
    await client.unbind();
    expect(await search).to.be.instanceOf(ConnectionError);
  });

  it('a TLS handshake that never completes after StartTLS is a TimeoutError, and the connection is closed', async () => {
    fake = await startFakeServer((request, session) => {
      if (request.protocolOp.type !== 'extendedReq') return;
      session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', ...ok } });
      session.silent = true; // the ClientHello that follows is never answered
    });
    const client = new Client({ url: fake.url, connectTimeout: 200 });
    const outcome = await within(client.startTLS().then(() => 'upgraded', (e: unknown) => e), 5_000, 'startTLS');
    expect(outcome).to.be.instanceOf(TimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.sessions[0]!.socket.destroyed || fake.sessions[0]!.socket.readableEnded).to.equal(true);
  });

  it('an iterator whose search ended while the socket was paused does not keep it paused', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    const iterator = client.search(PEOPLE_DN, { scope: 'one', attributes: ['1.1'], highWaterMark: 4 })[Symbol.asyncIterator]();
    await iterator.next(); // take one entry and walk away without return()
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await within(Promise.resolve(client.compare(personDN(personUid(1)), 'uid', personUid(1))), 5_000, 'compare')).to.equal(true);
    await iterator.return?.();
    await client.unbind();
  });

  it('a throwing onDone fails the search with that error instead of crashing', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    const boom = new Error('boom from onDone');
    const outcome = await client.search(PEOPLE_DN, { scope: 'base', onDone: () => { throw boom; } }).then(() => 'resolved', (e: unknown) => e);
    expect(outcome).to.equal(boom);
    await client.unbind();
  });

  it('unbind() while the connection is still being opened closes it once open', async () => {
    fake = await startFakeServer(() => undefined);
    const client = new Client({ url: fake.url });
    const pending = client.whoami().then(() => 'answered', (e: unknown) => e);
    await client.unbind();
    expect(await within(pending, 5_000, 'the pending whoami')).to.be.instanceOf(ConnectionError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.sessions.every((s) => s.socket.destroyed || s.socket.readableEnded)).to.equal(true);
  });

  it('return() settles a pending next(), and next() after return() is done', async () => {
    fake = await startFakeServer(() => undefined); // the search never answers
    const client = new Client({ url: fake.url });
    const iterator = client.search('dc=x')[Symbol.asyncIterator]();
    const pendingNext = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await iterator.return?.();
    expect(await within(pendingNext, 1_000, 'the pending next()')).to.deep.equal({ value: undefined, done: true });
    expect(await within(iterator.next(), 1_000, 'next() after return()')).to.deep.equal({ value: undefined, done: true });
    await client.unbind();
  });
});
