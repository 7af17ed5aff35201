/**
 * SCRAM against a server that asks for a huge PBKDF2 iteration count (issue 10, point 5).
 * Computed inline, 10,000,000 iterations froze the event loop for about 2 s per bind: no timer,
 * socket or other operation of the process could run meanwhile.
 */
import { createHmac, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Client, SaslError, scramMechanism } from '../../../lib';
import type { LdapMessage } from '../../../lib/protocol';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer, FakeSession } from '../../support/fake-server';

const PASSWORD = 'pencil';
const SALT = Buffer.from('hostile-server-salt');
/** Within a raised cap, and big enough that computing it takes hundreds of milliseconds. */
const HUGE = 2_000_000;
const TICK_MS = 10;

const reply = (session: FakeSession, request: LdapMessage, resultCode: number, serverSaslCreds?: string): void =>
  session.send({
    messageId: request.messageId,
    protocolOp: { type: 'bindResponse', resultCode, matchedDN: '', diagnosticMessage: '', ...(serverSaslCreds === undefined ? {} : { serverSaslCreds: Buffer.from(serverSaslCreds) }) },
  });

interface Script {
  /** When the server-first went out and when the client-final came in (performance.now()). */
  serverFirstSentAt?: number;
  clientFinalAt?: number;
}

/**
 * A SCRAM-SHA-256 server (RFC 5802 §3, RFC 7677) that asks for `iterations`; `salted` is the
 * salted password it precomputed, so that it can sign the success without computing during the bind.
 */
const scramServer = (iterations: number, salted: Buffer | undefined, script: Script): Promise<FakeServer> => {
  let clientFirstBare = '';
  let serverFirst = '';
  return startFakeServer((request, session) => {
    const op = request.protocolOp;
    if (op.type !== 'bindRequest' || op.authentication.type !== 'sasl') return;
    const creds = op.authentication.credentials?.toString() ?? '';
    if (creds.startsWith('n,,')) {
      clientFirstBare = creds.slice(3);
      serverFirst = `r=${/r=([^,]*)/.exec(clientFirstBare)![1]}srv,s=${SALT.toString('base64')},i=${iterations}`;
      reply(session, request, 14, serverFirst);
      script.serverFirstSentAt = performance.now();
      return;
    }
    script.clientFinalAt = performance.now();
    if (salted === undefined) return reply(session, request, 49);
    const withoutProof = creds.slice(0, creds.lastIndexOf(',p='));
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const serverKey = createHmac('sha256', salted).update('Server Key').digest();
    reply(session, request, 0, `v=${createHmac('sha256', serverKey).update(authMessage).digest('base64')}`);
  });
};

describe('SCRAM against a server asking for a huge iteration count', function () {
  this.timeout(60_000);
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it(`${HUGE.toLocaleString('en')} PBKDF2 iterations (cap raised) run off the event loop: timers keep firing while the key is derived`, async () => {
    const salted = await promisify(pbkdf2)(PASSWORD, SALT, HUGE, 32, 'sha256');
    const script: Script = {};
    server = await scramServer(HUGE, salted, script);
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), TICK_MS);
    const client = new Client({ url: server.url, timeout: 30_000 });
    try {
      const mech = scramMechanism('SHA-256', { username: 'user', password: PASSWORD }, { maxIterations: HUGE });
      await client.saslBind(mech);
      expect(mech.serverAuthenticated).to.equal(true);
    } finally {
      clearInterval(timer);
      await client.unbind();
    }
    const { serverFirstSentAt, clientFinalAt } = script;
    expect(serverFirstSentAt).to.be.a('number');
    expect(clientFinalAt).to.be.a('number');
    // Between the server-first going out and the client-final coming in, the client only derives
    // the key. Computed inline, that window spans two or three turns of the event loop, and an
    // interval fires at most once per turn; computed on the thread pool, the loop idles and the
    // interval fires every 10 ms for the hundreds of milliseconds the derivation takes.
    const during = ticks.filter((t) => t > serverFirstSentAt! && t < clientFinalAt!).length;
    const windowMs = Math.round(clientFinalAt! - serverFirstSentAt!);
    expect(during, `${during} ticks of a ${TICK_MS} ms interval in the ${windowMs} ms between server-first and client-final`).to.be.at.least(5);
  });

  it('by default a server asking for 1,000,000 iterations is refused with SaslError before any key is derived', async () => {
    const script: Script = {};
    server = await scramServer(1_000_000, undefined, script);
    const client = new Client({ url: server.url, timeout: 30_000 });
    const outcome = await client.saslBind('SCRAM-SHA-256', { username: 'user', password: PASSWORD }).then(() => 'bound', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(SaslError);
    expect((outcome as SaslError).message).to.match(/1000000 iterations, more than the limit of 100000/);
    // Only the client-first reached the server: no client-final, so no derivation was paid for.
    expect(server.sessions[0]!.received.filter((m) => m.protocolOp.type === 'bindRequest')).to.have.length(1);
    expect(script.clientFinalAt).to.equal(undefined);
    await client.unbind();
  });

  it('saslBind by name reads maxIterations from the credentials to raise the cap', async () => {
    const iterations = 200_000;
    const salted = await promisify(pbkdf2)(PASSWORD, SALT, iterations, 32, 'sha256');
    server = await scramServer(iterations, salted, {});
    const client = new Client({ url: server.url, timeout: 30_000 });
    await client.saslBind('SCRAM-SHA-256', { username: 'user', password: PASSWORD, maxIterations: iterations });
    await client.unbind();
  });
});
