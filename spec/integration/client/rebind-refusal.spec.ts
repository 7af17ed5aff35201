/**
 * A rebind on a new connection that the server answers with an error: only a refusal of the
 * credentials makes the client forget its identity (then every operation but a bind fails with
 * RebindError); a busy server does not, and unbind() during a rebind leaves a clean client.
 * The refusal with a changed password on slapd is in availability.spec.ts; these answers are a
 * fake server's, since no real server is busy or slow on demand.
 */
import { expect } from 'chai';
import { Client, RebindError } from '../../../lib';
import type { LdapMessage } from '../../../lib/protocol';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer, FakeSession } from '../../support/fake-server';

const OK = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
const outcome = (promise: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that answers binds with `bindResult(session index)` (after `delay` ms) and every search with success. */
const server = async (bindResult: (session: number) => { resultCode: number; diagnosticMessage: string }, delay = 0): Promise<FakeServer> => {
  const started: FakeServer = await startFakeServer((request: LdapMessage, session: FakeSession) => {
    const op = request.protocolOp;
    if (op.type === 'bindRequest') {
      const answer = (): void => session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', matchedDN: '', ...bindResult(started.sessions.indexOf(session)) } });
      if (delay > 0 && started.sessions.indexOf(session) > 0) setTimeout(answer, delay);
      else answer();
    } else if (op.type === 'searchRequest') {
      session.send({ messageId: request.messageId, protocolOp: { type: 'searchResDone', ...OK } });
    }
  });
  return started;
};

const binds = (fake: FakeServer): number => fake.sessions.reduce((count, session) => count + session.received.filter((message) => message.protocolOp.type === 'bindRequest').length, 0);

describe('Rebind answered with an error (fake server)', function () {
  this.timeout(20_000);

  it('a busy server (51) does not make the client forget its identity: the next connection binds again and works', async () => {
    const fake = await server((session) => (session === 1 ? { resultCode: 51, diagnosticMessage: 'busy, try later' } : OK));
    const client = new Client({ url: fake.url, reconnect: { initialDelay: 20 } });
    try {
      await client.bind('cn=app', 'secret');
      fake.sessions[0]?.socket.destroy();
      await sleep(50);
      expect(await outcome(client.search('', { scope: 'base' }))).to.be.instanceOf(RebindError);
      // Before, busy counted as a refusal: the password was wiped and this failed too, for good.
      expect(await outcome(client.search('', { scope: 'base' }))).to.deep.equal([]);
      expect(client.boundAs).to.deep.equal({ method: 'simple', dn: 'cn=app' });
      expect(binds(fake)).to.equal(3);
    } finally {
      await client.unbind();
      await fake.close();
    }
  });

  it('unbind() while a rebind that will be refused is in flight leaves a clean client, not a refused one', async () => {
    const fake = await server((session) => (session === 1 ? { resultCode: 49, diagnosticMessage: 'bad' } : OK), 200);
    const client = new Client({ url: fake.url, reconnect: { initialDelay: 20 } });
    try {
      await client.bind('cn=app', 'secret');
      fake.sessions[0]?.socket.destroy();
      await sleep(50);
      const pending = outcome(client.search('', { scope: 'base' }));
      await sleep(80);
      await client.unbind();
      expect(await pending).to.be.an.instanceOf(Error);
      await sleep(250); // the refusal arrives after the unbind
      // A client used again after unbind() starts anonymous, as a new one would.
      expect(await outcome(client.search('', { scope: 'base' }))).to.deep.equal([]);
      expect(client.boundAs).to.equal(undefined);
    } finally {
      await client.unbind();
      await fake.close();
    }
  });
});
