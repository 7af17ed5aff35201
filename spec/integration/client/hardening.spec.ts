/**
 * Regression specs for issue 10 (hardening): each one failed on the code before the fix. A fake
 * server plays the hostile or broken peer where no real server misbehaves on demand; slapd is
 * used where a real server shows the defect.
 */
import { expect } from 'chai';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import {
  AbandonedError,
  BufferOverflowError,
  CleartextCredentialsError,
  Client,
  ConnectionError,
  TimeoutError,
} from '../../support/all-of-lib';
import type { LdapMessage, SaslMechanism, SearchEntry } from '../../support/all-of-lib';
import { encodeMessage } from '../../../lib/protocol';
import { MessageParser } from '../../../lib/transport/message-parser';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer, FakeSession } from '../../support/fake-server';
import { sharedSlapd, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { PEOPLE_DN } from '../../support/data';

const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (what: string, condition: () => boolean, ms = 5_000): Promise<void> => {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(10);
  }
};
const allThreadsStopped = (pid: number): boolean =>
  readdirSync(`/proc/${pid}/task`).every((task) => {
    const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  });
const outcome = <T>(promise: PromiseLike<T>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);
const types = (session: FakeSession): string[] => session.received.map((m) => m.protocolOp.type);
const answerBind = (request: LdapMessage, session: FakeSession): void => {
  if (request.protocolOp.type === 'bindRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', ...ok } });
};

describe('Hardening (issue 10)', function () {
  this.timeout(30_000);

  describe('2. a bind that does not finish in time closes the connection and is never abandoned', () => {
    it('fake server: a timed-out bind sends no Abandon (RFC 4511 §4.11), closes the socket, and the next operation uses a new connection', async () => {
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'extendedReq') session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', ...ok } });
      });
      const client = new Client({ url: server.url });
      const failure = await outcome(client.bind('cn=admin,dc=x', 'secret', { timeout: 200 }));
      expect(failure).to.be.instanceOf(TimeoutError);
      await until('the client closed the bind connection', () => server.sessions[0]!.socket.readableEnded || server.sessions[0]!.socket.destroyed);
      expect(types(server.sessions[0]!)).to.not.include('abandonRequest');
      await client.whoami();
      expect(server.sessions).to.have.length(2);
      await client.unbind();
      await server.close();
    });

    it('fake server: aborting a bind in flight also closes the connection instead of abandoning it, and says why', async () => {
      const server = await startFakeServer(() => undefined);
      const client = new Client({ url: server.url });
      const controller = new AbortController();
      const bind = outcome(client.bind('cn=admin,dc=x', 'secret', { signal: controller.signal }));
      const search = outcome(client.search('dc=x'));
      await until('the bind reached the server', () => server.sessions[0]?.received.length === 1);
      controller.abort(new Error('user gave up'));
      const [bindFailure, searchFailure] = await Promise.all([bind, search]);
      expect(bindFailure).to.be.instanceOf(AbandonedError);
      expect((bindFailure as Error).cause).to.have.property('message', 'user gave up');
      expect(searchFailure, 'the operation queued behind the bind').to.be.instanceOf(ConnectionError);
      expect(((searchFailure as Error).cause as Error).message).to.equal((bindFailure as Error).message);
      await sleep(50);
      expect(types(server.sessions[0]!)).to.deep.equal(['bindRequest']);
      await server.close();
    });

    it('slapd: a bind that timed out while slapd was stopped does not take effect on the connection afterwards', async () => {
      const slapd = await startSlapd();
      try {
        const client = new Client({ url: slapd.url });
        expect(await client.whoami()).to.equal(''); // connected, anonymous
        process.kill(slapd.pid, 'SIGSTOP');
        // kill() returns before every thread has stopped: wait until the kernel says they all have.
        await until('every slapd thread stopped', () => allThreadsStopped(slapd.pid));
        let failure: unknown;
        try {
          failure = await outcome(client.bind(slapd.adminDN, slapd.adminPassword, { timeout: 300 }));
        } finally {
          process.kill(slapd.pid, 'SIGCONT');
        }
        expect(failure).to.be.instanceOf(TimeoutError);
        expect(await client.whoami(), 'the caller was told the bind failed: never bound as admin').to.equal('');
        await client.unbind();
      } finally {
        await slapd.stop();
      }
    });

    it('no PDU is written while a bind is in progress (RFC 4511 §4.2.1): a compare started with the bind waits for the BindResponse', async () => {
      let bindAnswered = false;
      let compareArrivedAfterBind: boolean | undefined;
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'bindRequest') {
          setTimeout(() => {
            bindAnswered = true;
            answerBind(request, session);
          }, 150);
        }
        if (request.protocolOp.type === 'compareRequest') {
          compareArrivedAfterBind = bindAnswered;
          session.send({ messageId: request.messageId, protocolOp: { type: 'compareResponse', resultCode: 6, matchedDN: '', diagnosticMessage: '' } });
        }
      });
      const client = new Client({ url: server.url });
      const [, same] = await Promise.all([client.bind('cn=x', 'y'), client.compare('cn=x', 'cn', 'x')]);
      expect(same).to.equal(true);
      expect(compareArrivedAfterBind).to.equal(true);
      await client.unbind();
      await server.close();
    });
  });

  describe('SASL binds in several rounds', () => {
    const twoRounds = (respond: () => Buffer): SaslMechanism => ({ name: 'X-TWO-ROUNDS', initial: () => Buffer.from('one'), respond });
    const twoRoundServer = (log: string[]): Promise<FakeServer> =>
      startFakeServer((request, session) => {
        const op = request.protocolOp;
        if (op.type === 'bindRequest' && op.authentication.type === 'sasl') {
          const round = op.authentication.credentials?.toString() ?? '';
          log.push(`bind ${round}`);
          const resultCode = round === 'one' ? 14 : 0;
          setTimeout(() => {
            log.push(`answered ${round}`);
            session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', resultCode, matchedDN: '', diagnosticMessage: '' } });
          }, 50);
        }
        if (op.type === 'compareRequest') {
          log.push('compare');
          session.send({ messageId: request.messageId, protocolOp: { type: 'compareResponse', resultCode: 6, matchedDN: '', diagnosticMessage: '' } });
        }
      });

    it('nothing else is written between the rounds: a compare started with the bind goes out after the last BindResponse', async () => {
      const log: string[] = [];
      const server = await twoRoundServer(log);
      const client = new Client({ url: server.url });
      await client.connect();
      const [, same] = await Promise.all([client.saslBind(twoRounds(() => Buffer.from('two'))), client.compare('cn=x', 'cn', 'x')]);
      expect(same).to.equal(true);
      expect(log).to.deep.equal(['bind one', 'answered one', 'bind two', 'answered two', 'compare']);
      await client.unbind();
      await server.close();
    });

    it('a mechanism that fails between rounds closes the connection rather than leave it half-bound', async () => {
      const log: string[] = [];
      const server = await twoRoundServer(log);
      const client = new Client({ url: server.url });
      await client.connect();
      const [bind, compare] = await Promise.all([
        outcome(client.saslBind(twoRounds(() => { throw new TypeError('bad challenge'); }))),
        outcome(client.compare('cn=x', 'cn', 'x')),
      ]);
      expect(bind).to.be.instanceOf(TypeError);
      expect(compare).to.be.instanceOf(ConnectionError);
      expect(log).to.deep.equal(['bind one', 'answered one']);
      await until('the connection was closed', () => server.sessions[0]!.socket.readableEnded || server.sessions[0]!.socket.destroyed);
      await server.close();
    });
  });

  describe('3. memory stays bounded by the consumer in every mix of pending operations', () => {
    it('fake server flooding 50,000 entries while a compare waits: a stalled iterator holds at most maxBuffered, then fails with BufferOverflowError', async () => {
      let abandoned = false;
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'abandonRequest') abandoned = true;
        if (request.protocolOp.type !== 'searchRequest') return; // the compare is never answered
        const id = request.messageId;
        let sent = 0;
        const flood = (): void => {
          while (sent < 50_000 && !abandoned && !session.socket.destroyed) {
            sent++;
            const more = session.socket.write(encodeMessage({ messageId: id, protocolOp: { type: 'searchResEntry', objectName: `cn=e${sent},dc=x`, attributes: [{ type: 'cn', vals: [Buffer.from(`e${sent}`)] }] } }));
            if (!more) {
              session.socket.once('drain', flood);
              return;
            }
          }
        };
        flood();
      });
      const client = new Client({ url: server.url });
      const compare = outcome(client.compare('cn=x', 'cn', 'x', { timeout: 20_000 }));
      const search = client.search('dc=x', { highWaterMark: 100, maxBuffered: 2_000 });
      const iterator = search[Symbol.asyncIterator]();
      await iterator.next(); // one entry taken, then the consumer stalls
      await until('the search was abandoned', () => abandoned);
      expect(search.peakBuffered).to.be.at.most(2_000);
      let taken = 0;
      let failure: unknown;
      try {
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) taken++;
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(BufferOverflowError);
      expect(taken, 'what was buffered is still delivered before the error').to.equal((failure as BufferOverflowError).buffered);
      await client.unbind();
      expect(await compare).to.be.instanceOf(ConnectionError);
      await server.close();
    });

    it('slapd: a stalled for-await beside a syncrepl feed on the same client stops at maxBuffered instead of buffering the whole search', async () => {
      const slapd = await sharedSlapd();
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.adminDN, slapd.adminPassword);
      const events: string[] = [];
      const feed = client.syncrepl(PEOPLE_DN, { mode: 'refreshAndPersist' }).subscribe({ next: (event) => events.push(event.type), error: () => undefined });
      await until('the feed refreshed', () => events.includes('refreshDone') || events.length > 1000);
      const search = client.search(PEOPLE_DN, { scope: 'one', highWaterMark: 20, maxBuffered: 200 });
      const seen: SearchEntry[] = [];
      let failure: unknown;
      try {
        for await (const entry of search) {
          seen.push(entry);
          if (seen.length === 1) await sleep(500); // stalled while the syncrepl feed keeps the socket reading
        }
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(BufferOverflowError);
      expect(search.peakBuffered).to.be.at.most(200);
      expect(seen.length).to.be.below(1000);
      feed.unsubscribe();
      await client.unbind();
    });
  });

  describe('4. StartTLS is bounded', () => {
    it('a silent server: startTLS() fails with TimeoutError after connectTimeout, closes that connection, and later requests are answered on a new one', async () => {
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'extendedReq' && request.protocolOp.requestName === '1.3.6.1.4.1.1466.20037') return; // silence
        if (request.protocolOp.type === 'compareRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'compareResponse', resultCode: 6, matchedDN: '', diagnosticMessage: '' } });
      });
      const client = new Client({ url: server.url, connectTimeout: 300, timeout: 5_000 });
      await client.connect();
      const failure = await outcome(client.startTLS());
      expect(failure).to.be.instanceOf(TimeoutError);
      expect(await client.compare('cn=x', 'cn', 'x')).to.equal(true);
      expect(server.sessions).to.have.length(2);
      expect(types(server.sessions[0]!)).to.deep.equal(['extendedReq']);
      await client.unbind();
      await server.close();
    });
  });

  describe('7. requests that time out before they are written never go out', () => {
    it('100 one-MiB adds to a server that is not reading all fail, and once it reads again it sees only the few that had reached the socket', async () => {
      const sockets: Socket[] = [];
      const server = createServer((socket) => {
        socket.pause(); // reads nothing until told
        sockets.push(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `ldap://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = new Client({ url });
      const value = Buffer.alloc(1024 * 1024, 0x61);
      const adds = Array.from({ length: 100 }, (_, i) => outcome(client.add(`cn=big${i},dc=x`, { objectClass: ['device'], description: value }, { timeout: 300 })));
      const results = await Promise.all(adds);
      expect(results.every((r) => r instanceof TimeoutError)).to.equal(true);
      // The server reads again: count what reaches it.
      const received: string[] = [];
      const parser = new MessageParser({ maxPduSize: 4 * 1024 * 1024 });
      const socket = sockets[0]!;
      socket.on('data', (chunk: Buffer) => parser.feed(chunk, (m) => received.push(m.protocolOp.type)));
      socket.resume();
      await sleep(500);
      const addsSeen = received.filter((t) => t === 'addRequest').length;
      expect(addsSeen, `adds that reached the server (${addsSeen}): only those on the wire before the timeouts`).to.be.at.most(8);
      expect(received.filter((t) => t === 'abandonRequest').length, 'an Abandon only for a request that went out').to.be.at.most(addsSeen);
      await client.unbind();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  });

  describe('8. credentials never go in clear text without a word', () => {
    it('allowCleartextCredentials: false refuses a simple bind and SASL PLAIN on loopback with a typed error that says how to fix it; nothing is sent', async () => {
      const server = await startFakeServer(answerBind);
      const client = new Client({ url: server.url, allowCleartextCredentials: false });
      const simple = await outcome(client.bind('cn=admin,dc=x', 'secret'));
      expect(simple).to.be.instanceOf(CleartextCredentialsError);
      expect((simple as Error).message).to.match(/ldaps:\/\/.*startTLS\(\).*allowCleartextCredentials: true/);
      const plain = await outcome(client.saslBind('PLAIN', { username: 'admin', password: 'secret' }));
      expect(plain).to.be.instanceOf(CleartextCredentialsError);
      await client.anonymousBind(); // no credentials: allowed
      expect(server.sessions.flatMap(types)).to.deep.equal(['bindRequest']);
      expect((server.sessions[0]!.received[0]!.protocolOp as { name: string }).name).to.equal('');
      await client.unbind();
      await server.close();
    });

    it('a bind queued behind a StartTLS the server refuses fails instead of going out in clear', async () => {
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'extendedReq') session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', resultCode: 52, matchedDN: '', diagnosticMessage: 'no TLS here' } });
        answerBind(request, session);
      });
      const client = new Client({ url: server.url, allowCleartextCredentials: false });
      await client.connect();
      const [tls, bind] = await Promise.all([outcome(client.startTLS()), outcome(client.bind('cn=admin,dc=x', 'secret'))]);
      expect(tls).to.be.instanceOf(Error);
      expect(bind).to.be.instanceOf(CleartextCredentialsError);
      expect(types(server.sessions[0]!)).to.deep.equal(['extendedReq']);
      await client.unbind();
      await server.close();
    });

    it('slapd: the same strict client binds after StartTLS and over ldapi', async () => {
      const slapd: SlapdInstance = await sharedSlapd();
      const overTls = new Client({ url: slapd.url, allowCleartextCredentials: false, tls: { ca: slapd.caCert } });
      await overTls.startTLS();
      await overTls.bind(slapd.adminDN, slapd.adminPassword);
      expect(await overTls.whoami()).to.equal(`dn:${slapd.adminDN}`);
      await overTls.unbind();
      const overLdapi = new Client({ url: slapd.ldapiUrl, allowCleartextCredentials: false });
      await overLdapi.bind(slapd.adminDN, slapd.adminPassword);
      expect(await overLdapi.whoami()).to.equal(`dn:${slapd.adminDN}`);
      await overLdapi.unbind();
    });
  });

  describe('9. no secret in util.inspect, JSON or errors', () => {
    it('the password (text, hex, base64) and TLS key material appear in no representation of the client, its operations or their errors', async () => {
      const password = 'S3cr3t-Pa55word!';
      const tlsSecrets = ['tls-passphrase-77', '-----BEGIN PRIVATE KEY-----MIIEvQ'];
      let answer: (() => void) | undefined;
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'bindRequest') {
          answer = () => session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', resultCode: 49, matchedDN: '', diagnosticMessage: '' } });
        }
      });
      const client = new Client({ url: server.url, tls: { passphrase: tlsSecrets[0]!, key: tlsSecrets[1]! } });
      const needles = [password, Buffer.from(password).toString('hex'), Buffer.from(password).toString('base64'), ...tlsSecrets];
      const views: string[] = [];
      const look = (value: unknown): void => {
        views.push(inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value) ?? '');
      };
      const bind = client.bind('cn=admin,dc=x', password);
      const settled = outcome(bind);
      look(client); // the BindRequest encoded and queued, not yet written
      look(bind);
      await until('the bind reached the server', () => answer !== undefined);
      look(client); // in flight
      answer!();
      const failure = (await settled) as Error;
      look(client);
      views.push(String(failure), failure.stack ?? '', inspect(failure, { depth: Infinity, showHidden: true }));
      for (const view of views) for (const needle of needles) expect(view.includes(needle), `found ${needle} in ${view.slice(0, 200)}`).to.equal(false);
      expect(inspect(client)).to.include('[redacted]');
      await client.unbind();
      await server.close();
    });
  });

  describe('11. one AbortSignal shared by many operations costs one listener', () => {
    it('20,000 compares in flight on one signal register one abort listener, warn nothing, and all fail with the reason as cause when it aborts', async () => {
      const server = await startFakeServer(() => undefined); // never answers
      const client = new Client({ url: server.url });
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => void warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const controller = new AbortController();
        const compares = Array.from({ length: 20_000 }, (_, i) => outcome(client.compare(`cn=${i}`, 'cn', 'x', { signal: controller.signal })));
        await until('every compare reached the server', () => (server.sessions[0]?.received.length ?? 0) === 20_000, 20_000);
        expect(getEventListeners(controller.signal, 'abort')).to.have.length(1);
        const reason = new Error('shutting down');
        controller.abort(reason);
        const results = await Promise.all(compares);
        expect(results.every((r) => r instanceof AbandonedError && r.cause === reason)).to.equal(true);
        await sleep(10);
        expect(warnings.map((w) => w.name)).to.not.include('MaxListenersExceededWarning');
      } finally {
        process.off('warning', onWarning);
        await client.unbind();
        await server.close();
      }
    });

    it('AbortSignal.timeout() surfaces as a TimeoutError whose cause is the signal reason', async () => {
      const server = await startFakeServer(() => undefined);
      const client = new Client({ url: server.url });
      const failure = await outcome(client.compare('cn=x', 'cn', 'x', { signal: AbortSignal.timeout(100) }));
      expect(failure).to.be.instanceOf(TimeoutError);
      expect(((failure as Error).cause as Error).name).to.equal('TimeoutError');
      await client.unbind();
      await server.close();
    });
  });

  describe('extended operations with an IntermediateResponse', () => {
    it('extended() resolves with the final response, not a ProtocolError on the intermediate one before it', async () => {
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type !== 'extendedReq') return;
        session.send({ messageId: request.messageId, protocolOp: { type: 'intermediateResponse', responseName: '1.2.3.4' } });
        session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', ...ok, responseName: '1.2.3.4' } });
      });
      const client = new Client({ url: server.url });
      const response = await client.extended('1.2.3.4');
      expect(response.resultCode).to.equal(0);
      expect(response.responseName).to.equal('1.2.3.4');
      await client.unbind();
      await server.close();
    });
  });
});
