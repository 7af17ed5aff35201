/**
 * Issue 12: a client outlives its connections and its servers. slapd is killed with SIGKILL and
 * restarted on the same port and data; the same Client must come back as the same identity, or
 * fail with a typed error — never run anything as anonymous.
 */
import { expect } from 'chai';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { Client, ConnectionError, RebindError, ServerPoolExhaustedError } from '../../../lib';
import type { ClientEvent } from '../../../lib';
import { encodeMessage } from '../../../lib/protocol';
import { MessageParser } from '../../../lib/transport/message-parser';
import { generatePeople, personDN, personPassword, personUid } from '../../support/data';
import { startFakeServer } from '../../support/fake-server';
import { startProviderPair, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

const outcome = (promise: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);
const types = (events: readonly ClientEvent[]): string[] => events.map((event) => event.type);

interface BindKind {
  name: string;
  options: (slapd: SlapdInstance) => { url: string; tls?: { ca: Buffer } };
  bind: (client: Client, slapd: SlapdInstance) => PromiseLike<unknown>;
  identity: (slapd: SlapdInstance) => string;
}

const uid = personUid(5);
const KINDS: readonly BindKind[] = [
  { name: 'simple', options: (s) => ({ url: s.url }), bind: (c, s) => c.bind(s.adminDN, s.adminPassword), identity: (s) => `dn:${s.adminDN}` },
  { name: 'SASL EXTERNAL over ldapi', options: (s) => ({ url: s.ldapiUrl }), bind: (c) => c.saslBind('EXTERNAL'), identity: (s) => `dn:${s.externalDN}` },
  {
    name: 'SASL SCRAM-SHA-256',
    options: (s) => ({ url: s.url }),
    bind: (c) => c.saslBind('SCRAM-SHA-256', { username: uid, password: personPassword(uid) }),
    identity: () => `dn:${personDN(uid)}`,
  },
  {
    name: 'StartTLS, then simple',
    options: (s) => ({ url: s.url, tls: { ca: s.caCert } }),
    bind: async (c) => {
      await c.startTLS();
      await c.bind(personDN(uid), personPassword(uid));
    },
    identity: () => `dn:${personDN(uid)}`,
  },
];

describe('Availability (issue 12)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  before(async () => {
    slapd = await startSlapd({ sasl: true, ldif: generatePeople(20, { passwords: 'plain', groupSize: 0 }) });
  });
  after(async () => {
    await slapd.stop();
  });

  for (const kind of KINDS) {
    it(`${kind.name}: after slapd is SIGKILLed and restarted, whoami() on the same Client answers the original identity`, async () => {
      const client = new Client({ ...kind.options(slapd), reconnect: { initialDelay: 20, maxDelay: 200 } });
      const events: ClientEvent[] = [];
      client.events.subscribe((event) => events.push(event));
      await kind.bind(client, slapd);
      expect(await client.whoami()).to.equal(kind.identity(slapd));
      await slapd.kill();
      await slapd.restart();
      expect(await client.whoami(), 'never anonymous after the restart').to.equal(kind.identity(slapd));
      expect(types(events)).to.include.members(['connected', 'disconnected', 'bound']);
      const rebound = events.find((event) => event.type === 'bound' && event.rebind);
      expect(rebound, 'a rebind was announced').to.not.equal(undefined);
      if (kind.name.startsWith('StartTLS')) expect(client.isSecure, 'StartTLS was redone').to.equal(true);
      await client.unbind();
    });
  }

  it('with the server down longer than the reconnect limit, operations fail with ServerPoolExhaustedError, never as anonymous; later ones rebind', async () => {
    const client = new Client({ url: slapd.url, reconnect: { initialDelay: 20, maxDelay: 100, maxTime: 400 } });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    await slapd.kill();
    try {
      const failure = await outcome(client.whoami());
      expect(failure).to.be.instanceOf(ServerPoolExhaustedError);
      expect((failure as ServerPoolExhaustedError).attempts).to.be.above(1);
    } finally {
      await slapd.restart();
    }
    expect(await client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    await client.unbind();
  });

  /**
   * A Client bound as `user`, then slapd SIGKILLed, restarted, and the user's password changed
   * meanwhile ('changed-meanwhile'): `body` sees the client reconnect with the old one.
   */
  const afterPasswordChange = async (user: string, body: (client: Client) => Promise<void>): Promise<void> => {
    const client = new Client({ url: slapd.url, reconnect: { initialDelay: 20 } });
    await client.bind(personDN(user), personPassword(user));
    await slapd.kill();
    await slapd.restart();
    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDN, slapd.adminPassword);
    await admin.modify(personDN(user), [{ operation: 'replace', attribute: 'userPassword', values: ['changed-meanwhile'] }]);
    try {
      await body(client);
    } finally {
      await admin.modify(personDN(user), [{ operation: 'replace', attribute: 'userPassword', values: [personPassword(user)] }]);
      await admin.unbind();
      await client.unbind();
    }
  };

  it('a rebind the server refuses fails the waiting operations with RebindError (cause: the refusal); nothing runs as anonymous', () =>
    afterPasswordChange(personUid(7), async (client) => {
      const failure = await outcome(client.whoami());
      expect(failure).to.be.instanceOf(RebindError);
      expect(((failure as RebindError).cause as Error).name).to.equal('InvalidCredentialsError');
      expect(client.boundAs).to.equal(undefined);
    }));

  it('after a refused rebind, every operation but a bind fails with RebindError (never anonymous), and binding again with the new password works', () =>
    afterPasswordChange(personUid(8), async (client) => {
      const user = personUid(8);
      expect(await outcome(client.whoami())).to.be.instanceOf(RebindError);
      // The old password is not tried again, and nothing goes out anonymously in its place.
      const again = await outcome(client.search(personDN(user), { scope: 'base' }));
      expect(again).to.be.instanceOf(RebindError);
      expect(((again as RebindError).cause as Error).name).to.equal('InvalidCredentialsError');
      // Before, the remembered old password was sent first on every new connection, so this bind failed too.
      await client.bind(personDN(user), 'changed-meanwhile');
      expect(await client.whoami()).to.equal(`dn:${personDN(user)}`);
    }));

  it('a read marked retry that lost its connection is sent again after the reconnect; a write is not', async () => {
    const client = new Client({ url: slapd.url, reconnect: { initialDelay: 20 } });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    await slapd.pause(); // the requests reach the socket and wait unanswered
    const read = outcome(client.search(personDN(uid), { scope: 'base', retry: true }));
    const write = outcome(client.modify(personDN(uid), [{ operation: 'replace', attribute: 'description', values: ['maybe'] }]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await slapd.kill();
    await slapd.restart();
    const [entries, lost] = await Promise.all([read, write]);
    expect(entries).to.be.an('array').with.length(1);
    expect(lost).to.be.instanceOf(ConnectionError);
    await client.unbind();
  });
});

describe('Failover between two providers (issue 12)', function () {
  this.timeout(60_000);

  it('a client on both providers fails over when the first is killed, says so, and stays bound as the same identity', async () => {
    const pair = await startProviderPair({ ldif: generatePeople(50) });
    try {
      const client = new Client({ servers: [pair.a.url, pair.b.url], reconnect: { initialDelay: 20, maxDelay: 100 } });
      const events: ClientEvent[] = [];
      client.events.subscribe((event) => events.push(event));
      await client.bind(pair.a.adminDN, pair.a.adminPassword);
      expect(await client.whoami()).to.equal(`dn:${pair.a.adminDN}`);
      await pair.a.kill();
      expect(await client.whoami()).to.equal(`dn:${pair.b.adminDN}`);
      const failover = events.find((event): event is Extract<ClientEvent, { type: 'failover' }> => event.type === 'failover');
      expect(failover).to.deep.include({ from: client.servers[0], to: client.servers[1] });
      expect(client.url.port).to.equal(new URL(pair.b.url).port === '' ? 389 : Number(new URL(pair.b.url).port));
      await client.unbind();
    } finally {
      await pair.stop();
    }
  });
});

describe('A persistent search across a lost connection (issue 12)', function () {
  this.timeout(30_000);

  it('with resume: true it searches again on the new connection and says so; without, it fails with ConnectionError', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type !== 'searchRequest') return;
      const index = server.sessions.indexOf(session);
      session.send({ messageId: request.messageId, protocolOp: { type: 'searchResEntry', objectName: `cn=change${index},dc=x`, attributes: [] } });
      if (index === 0) setTimeout(() => session.socket.destroy(), 20); // the first connection dies
    });
    try {
      const client = new Client({ url: server.url, reconnect: { initialDelay: 10 } });
      const seen: string[] = [];
      const feed = client.persistentSearch('dc=x', { resume: true }).subscribe({
        next: (event) => seen.push(event.type === 'resumed' ? `resumed (${event.reason.name})` : event.entry.dn),
      });
      for (let waited = 0; seen.length < 3 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).to.deep.equal(['cn=change0,dc=x', 'resumed (ConnectionError)', 'cn=change1,dc=x']);
      feed.unsubscribe();
      const plain = new Promise<unknown>((resolve) => client.persistentSearch('dc=x').subscribe({ next: () => undefined, error: resolve }));
      const second = server.sessions[1]!;
      for (let waited = 0; second.received.filter((m) => m.protocolOp.type === 'searchRequest').length < 2 && waited < 5_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      second.socket.destroy();
      expect(await plain).to.be.instanceOf(ConnectionError);
      await client.unbind();
    } finally {
      await server.close();
    }
  });
});

describe('Server health check (issue 12)', function () {
  this.timeout(30_000);

  /** A scripted server on a port that survives close() and listen() again, with a root DSE that answers `rootDSE`. */
  const scriptedServer = async (): Promise<{ url: string; log: string[]; rootDSE: { code: number }; stop(): Promise<void>; start(): Promise<void>; dropAll(): void }> => {
    const log: string[] = [];
    const rootDSE = { code: 0 };
    const sockets = new Set<Socket>();
    let server = createServer();
    const attach = (): void => {
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        const parser = new MessageParser();
        socket.on('data', (chunk: Buffer) =>
          parser.feed(chunk, (request) => {
            const op = request.protocolOp;
            const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
            if (op.type === 'searchRequest' && op.baseObject === '') {
              log.push('health check');
              socket.write(encodeMessage({ messageId: request.messageId, protocolOp: { type: 'searchResDone', ...ok, resultCode: rootDSE.code } }));
            } else if (op.type === 'extendedReq') {
              log.push('whoami');
              socket.write(encodeMessage({ messageId: request.messageId, protocolOp: { type: 'extendedResp', ...ok } }));
            }
          }),
        );
      });
    };
    attach();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return {
      url: `ldap://127.0.0.1:${port}`,
      log,
      rootDSE,
      dropAll: () => {
        for (const socket of sockets) socket.destroy();
      },
      stop: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
      start: async () => {
        server = createServer();
        attach();
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      },
    };
  };

  it('a server that failed is used again only once its root DSE answers; a busy one is skipped', async () => {
    const [a, b] = await Promise.all([scriptedServer(), scriptedServer()]);
    try {
      await a.stop(); // A refuses: the first connect goes to B and marks A failed
      const client = new Client({ servers: [a.url, b.url], exhaust: 0, healthCheck: true, reconnect: { initialDelay: 10, maxDelay: 20 } });
      await client.whoami();
      expect(b.log).to.deep.equal(['whoami']);
      await a.start();
      a.rootDSE.code = 51; // busy: A accepts connections but cannot serve
      b.dropAll();
      await client.whoami({ retry: true }); // a read: sent again if it raced the drop
      expect(a.log, 'A was checked and not used').to.deep.equal(['health check']);
      expect(b.log.filter((line) => line === 'whoami').length).to.be.at.least(2);
      a.rootDSE.code = 0; // A is back
      b.dropAll();
      await b.stop();
      await client.whoami({ retry: true });
      expect(a.log.slice(-2)).to.deep.equal(['health check', 'whoami']);
      await client.unbind();
    } finally {
      await Promise.allSettled([a.stop(), b.stop()]);
    }
  });
});
