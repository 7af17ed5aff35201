import { expect } from 'chai';
import { Client, DigestMd5Mechanism, SaslError, ScramMechanism, createSaslMechanism, scramMechanism } from '../../../lib';
import type { SaslMechanism, SaslMechanismName } from '../../../lib';
import type { LdapMessage } from '../../../lib/protocol';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer } from '../../support/fake-server';

// RFC 5802 §5, as a scripted server plays it.
const NONCE = 'fyko+d2lbbFgONRv9qkxdawL';
const CLIENT_FIRST = 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL';
const SERVER_FIRST = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
const CLIENT_FINAL = 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=';
const SERVER_FINAL = 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=';

type FinalDelivery = 'in-progress' | 'success' | 'none';

/**
 * A server that plays RFC 5802's exchange: it checks every client message byte for byte and
 * sends its final message in a saslBindInProgress, in the success, or not at all.
 */
const scramServer = (delivery: FinalDelivery, serverFinal = SERVER_FINAL): Promise<FakeServer> =>
  startFakeServer((request, session) => {
    const op = request.protocolOp;
    if (op.type !== 'bindRequest' || op.authentication.type !== 'sasl') return;
    const creds = op.authentication.credentials?.toString() ?? '';
    const reply = (resultCode: number, serverSaslCreds?: string, diagnosticMessage = ''): void => {
      const response: LdapMessage = {
        messageId: request.messageId,
        protocolOp: { type: 'bindResponse', resultCode, matchedDN: '', diagnosticMessage, ...(serverSaslCreds === undefined ? {} : { serverSaslCreds: Buffer.from(serverSaslCreds) }) },
      };
      session.send(response);
    };
    if (op.authentication.mechanism !== 'SCRAM-SHA-1') return reply(7, undefined, 'authMethodNotSupported');
    if (creds === CLIENT_FIRST) return reply(14, SERVER_FIRST);
    if (creds === CLIENT_FINAL) {
      if (delivery === 'in-progress') return reply(14, serverFinal);
      return reply(0, delivery === 'success' ? serverFinal : undefined);
    }
    if (creds === '' && delivery === 'in-progress') return reply(0);
    return reply(49, undefined, 'unexpected client message');
  });

/** Wraps a mechanism to record whether Client.saslBind called complete(). */
const recording = (inner: ScramMechanism): SaslMechanism & { completeCalls: number } => {
  const wrapper = {
    name: inner.name,
    completeCalls: 0,
    initial: () => inner.initial(),
    respond: (challenge: Buffer) => inner.respond(challenge),
    complete: (creds: Buffer | undefined) => {
      wrapper.completeCalls++;
      inner.complete(creds);
    },
  };
  return wrapper;
};

/** Whether this build's Client.saslBind calls SaslMechanism.complete() on success. */
const clientCallsComplete = async (): Promise<boolean> => {
  const server = await scramServer('success');
  const client = new Client({ url: server.url, timeout: 5_000 });
  try {
    const mech = recording(scramMechanism('SHA-1', { username: 'user', password: 'pencil' }, { nonce: NONCE }));
    await client.saslBind(mech);
    return mech.completeCalls > 0;
  } finally {
    await client.unbind().catch(() => undefined);
    await server.close();
  }
};

describe('SASL mechanisms by name, and in Client.saslBind', () => {
  describe('createSaslMechanism', () => {
    it('builds each named mechanism', () => {
      const credentials = { username: 'u', password: 'p' };
      const names: SaslMechanismName[] = ['EXTERNAL', 'PLAIN', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'];
      for (const name of names) expect(createSaslMechanism(name, credentials).name).to.equal(name);
      expect(createSaslMechanism('SCRAM-SHA-256', credentials)).to.be.instanceOf(ScramMechanism);
      expect(createSaslMechanism('DIGEST-MD5', credentials)).to.be.instanceOf(DigestMd5Mechanism);
    });

    it('gives a new state machine, with a new nonce, each time', () => {
      const a = createSaslMechanism('SCRAM-SHA-1', { username: 'u', password: 'p' }).initial()!.toString();
      const b = createSaslMechanism('SCRAM-SHA-1', { username: 'u', password: 'p' }).initial()!.toString();
      expect(a).not.to.equal(b);
    });

    it('passes host and realm to DIGEST-MD5', async () => {
      const mech = createSaslMechanism('DIGEST-MD5', { username: 'u', password: 'p', host: 'ldap.example.com', realm: 'R' });
      const response = (await mech.respond(Buffer.from('realm="other",nonce="n",algorithm=md5-sess,charset=utf-8')))!.toString();
      expect(response).to.include('digest-uri="ldap/ldap.example.com"');
      expect(response).to.include('realm="R"');
    });

    it('refuses an unknown name and missing credentials', () => {
      expect(() => createSaslMechanism('GSSAPI' as SaslMechanismName)).to.throw(TypeError, /unknown SASL mechanism "GSSAPI"/);
      expect(() => createSaslMechanism('SCRAM-SHA-256')).to.throw(TypeError, /username/);
      expect(() => createSaslMechanism('DIGEST-MD5', { username: 'u' })).to.throw(TypeError, /password/);
    });

    it('SaslError is an RxLdapError that names the mechanism', () => {
      const error = new SaslError('SCRAM-SHA-1', 'boom');
      expect(error.name).to.equal('SaslError');
      expect(error.message).to.equal('SASL SCRAM-SHA-1: boom');
      expect(error.mechanism).to.equal('SCRAM-SHA-1');
    });
  });

  describe('SCRAM through Client.saslBind against a scripted server', function () {
    this.timeout(10_000);

    it('server-final in a saslBindInProgress: the client verifies it and sends empty credentials', async () => {
      const server = await scramServer('in-progress');
      const client = new Client({ url: server.url, timeout: 5_000 });
      const mech = scramMechanism('SHA-1', { username: 'user', password: 'pencil' }, { nonce: NONCE });
      await client.saslBind(mech);
      expect(mech.serverAuthenticated).to.equal(true);
      const sent = server.sessions[0]!.received.flatMap((m) => (m.protocolOp.type === 'bindRequest' && m.protocolOp.authentication.type === 'sasl' ? [m.protocolOp.authentication.credentials?.toString() ?? '<none>'] : []));
      expect(sent).to.deep.equal([CLIENT_FIRST, CLIENT_FINAL, '']);
      await client.unbind();
      await server.close();
    });

    it('a wrong server-final in a saslBindInProgress fails the bind with SaslError', async () => {
      const server = await scramServer('in-progress', 'v=rmF9pqV8S7suAoZWja4dJRkFsKA=');
      const client = new Client({ url: server.url, timeout: 5_000 });
      const outcome = await client.saslBind(scramMechanism('SHA-1', { username: 'user', password: 'pencil' }, { nonce: NONCE })).then(() => 'bound', (e: unknown) => e);
      expect(outcome).to.be.instanceOf(SaslError);
      expect((outcome as SaslError).message).to.match(/server signature is wrong/);
      await client.unbind();
      await server.close();
    });

    describe('server-final in the success BindResponse (where slapd sends it)', () => {
      it('Client.saslBind hands the success serverSaslCreds to complete()', async () => {
        expect(await clientCallsComplete()).to.equal(true);
      });

      it('a right server-final binds', async function () {
        const server = await scramServer('success');
        const client = new Client({ url: server.url, timeout: 5_000 });
        const mech = scramMechanism('SHA-1', { username: 'user', password: 'pencil' }, { nonce: NONCE });
        await client.saslBind(mech);
        expect(mech.serverAuthenticated).to.equal(true);
        await client.unbind();
        await server.close();
      });

      for (const [what, delivery, final] of [
        ['a wrong server-final', 'success', 'v=rmF9pqV8S7suAoZWja4dJRkFsKA='],
        ['no server-final at all', 'none', SERVER_FINAL],
      ] as const) {
        it(`${what} fails the bind with SaslError`, async function () {
          const server = await scramServer(delivery, final);
          const client = new Client({ url: server.url, timeout: 5_000 });
          const outcome = await client.saslBind(scramMechanism('SHA-1', { username: 'user', password: 'pencil' }, { nonce: NONCE })).then(() => 'bound', (e: unknown) => e);
          expect(outcome).to.be.instanceOf(SaslError);
          await client.unbind();
          await server.close();
        });
      }
    });
  });
});
