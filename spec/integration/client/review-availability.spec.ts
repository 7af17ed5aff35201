/**
 * Review of issue 12 (availability): ways a bound client's reconnection could hang, outlive
 * the client, or run an operation under another identity. Fake servers, since each needs a
 * server that misbehaves on cue.
 */
import { expect } from 'chai';
import { Client, ConnectionError } from '../../../lib';
import type { ClientEvent } from '../../../lib';
import type { LdapMessage } from '../../../lib/protocol';
import { startFakeServer } from '../../support/fake-server';
import type { FakeSession } from '../../support/fake-server';

const outcome = (promise: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);

const bindOk = (request: LdapMessage, session: FakeSession): void =>
  session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });

/** Resolves with 'reconnecting' once `count` more reconnecting events have been emitted. */
const reconnectingEvents = (client: Client, count: number): Promise<'reconnecting'> =>
  new Promise((resolve) => {
    let seen = 0;
    const subscription = client.events.subscribe((event: ClientEvent) => {
      if (event.type === 'reconnecting' && ++seen >= count) {
        subscription.unsubscribe();
        resolve('reconnecting');
      }
    });
  });

describe('Availability review (issue 12)', function () {
  this.timeout(10_000);

  it('a rebind the new server never answers is bounded (connectTimeout): the waiting operation fails instead of hanging', async () => {
    // The first connection answers the bind, then dies; every later one accepts and stays silent
    // (an overloaded or SIGSTOPped server: the kernel still accepts the TCP connection).
    const server = await startFakeServer((request, session) => {
      if (server.sessions.indexOf(session) === 0 && request.protocolOp.type === 'bindRequest') bindOk(request, session);
    });
    try {
      const client = new Client({ url: server.url, connectTimeout: 200, reconnect: { initialDelay: 10, maxDelay: 10, maxTime: 500 } });
      await client.bind('cn=a,dc=x', 'secret-a');
      server.sessions[0]!.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      // No timeout of its own: only the reconnect limits bound it.
      const error = await outcome(client.whoami());
      expect(error).to.be.instanceOf(ConnectionError);
      client.destroy();
    } finally {
      await server.close();
    }
  });

  it('unbind() during a reconnect backoff, the server gone for good: the reconnection stops at once and the waiting operation fails', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'bindRequest') bindOk(request, session);
    });
    const client = new Client({ url: server.url, reconnect: { initialDelay: 20, maxDelay: 20, maxTime: 3_600_000 } });
    await client.bind('cn=a,dc=x', 'secret-a');
    await server.close(); // refused from now on
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = outcome(client.whoami());
    await reconnectingEvents(client, 1);
    const winner = await Promise.race([client.unbind().then(() => 'unbind' as const), reconnectingEvents(client, 3)]);
    expect(winner).to.equal('unbind');
    const error = await Promise.race([waiting, reconnectingEvents(client, 3)]);
    expect(error).to.be.instanceOf(ConnectionError);
  });

  it('destroy() during a reconnect backoff fails the waiting operation and stops reconnecting', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'bindRequest') bindOk(request, session);
    });
    const client = new Client({ url: server.url, reconnect: { initialDelay: 20, maxDelay: 20, maxTime: 3_600_000 } });
    await client.bind('cn=a,dc=x', 'secret-a');
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = outcome(client.whoami());
    await reconnectingEvents(client, 1);
    client.destroy();
    const error = await Promise.race([waiting, reconnectingEvents(client, 3)]);
    expect(error).to.be.instanceOf(ConnectionError);
  });

  it('an operation queued while a bound client reconnects is never sent anonymously when unbind() comes meanwhile', async () => {
    const server = await startFakeServer((request, session) => {
      const index = server.sessions.indexOf(session);
      if (request.protocolOp.type === 'bindRequest') {
        if (index === 1) session.socket.destroy(); // the first rebind is cut: the client backs off
        else bindOk(request, session);
      }
    });
    try {
      const client = new Client({ url: server.url, reconnect: { initialDelay: 50, maxDelay: 50, maxTime: 3_600_000 } });
      await client.bind('cn=a,dc=x', 'secret-a');
      server.sessions[0]!.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const waiting = outcome(client.whoami());
      await reconnectingEvents(client, 1); // in the backoff after the first failed rebind
      await client.unbind();
      await waiting;
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Every connection after the lost one: nothing but binds and unbinds, or a bind first.
      for (const session of server.sessions.slice(1)) {
        const types = session.received.map((message) => message.protocolOp.type);
        const firstOther = types.findIndex((type) => type !== 'unbindRequest');
        if (firstOther !== -1) expect(types[firstOther], `requests on connection ${server.sessions.indexOf(session)}: ${types.join(', ')}`).to.equal('bindRequest');
      }
    } finally {
      await server.close();
    }
  });
});
