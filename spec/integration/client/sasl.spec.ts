import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { expect } from 'chai';
import { Client, Connection, InsufficientAccessRightsError, InvalidCredentialsError, LdapError, digestMd5Mechanism, scramMechanism } from '../../support/all-of-lib';
import type { DigestMd5Mechanism, LdapMessage, RequestOp, SaslCredentials, ScramMechanism } from '../../support/all-of-lib';
import { ExtendedOid } from '../../../lib/protocol/extended/oids';
import { ResultCode } from '../../../lib/errors';
import { generatePeople, personDN, personPassword, personUid } from '../../support/data';
import { startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { SASL_HOST } from '../../support/slapd/instance';

type Name = 'DIGEST-MD5' | 'SCRAM-SHA-1' | 'SCRAM-SHA-256';
const MECHANISMS: readonly Name[] = ['DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'];

/** A fresh mechanism object (Client.saslBind takes objects whatever names it knows). */
const mechanism = (name: Name, credentials: SaslCredentials): DigestMd5Mechanism | ScramMechanism =>
  name === 'DIGEST-MD5' ? digestMd5Mechanism({ ...credentials, host: SASL_HOST }) : scramMechanism(name === 'SCRAM-SHA-1' ? 'SHA-1' : 'SHA-256', credentials);

/** One request, its one response, over a bare Connection. */
const ask = (connection: Connection, op: RequestOp): Promise<LdapMessage> =>
  new Promise((resolve, reject) => {
    connection.request(op, undefined, { onMessage: (message) => (resolve(message), true), onError: reject });
  });

/**
 * The SASL bind loop with the server proof checked on success: what Client.saslBind does once
 * it calls SaslMechanism.complete(). Done here over a bare Connection so that the check against
 * slapd's real server-final runs whatever client.ts does. Reports where the proof arrived.
 */
const bindWithProof = async (connection: Connection, mech: DigestMd5Mechanism | ScramMechanism): Promise<'in-progress' | 'success'> => {
  let credentials = mech.initial();
  for (let round = 0; round < 8; round++) {
    const { protocolOp: response } = await ask(connection, {
      type: 'bindRequest', version: 3, name: '',
      authentication: credentials === undefined ? { type: 'sasl', mechanism: mech.name } : { type: 'sasl', mechanism: mech.name, credentials },
    });
    if (response.type !== 'bindResponse') throw new Error(`unexpected ${response.type}`);
    if (response.resultCode === ResultCode.success) {
      const before = mech.serverAuthenticated;
      mech.complete(response.serverSaslCreds);
      return before ? 'in-progress' : 'success';
    }
    if (response.resultCode !== ResultCode.saslBindInProgress) throw new Error(`bind failed: ${response.resultCode} ${response.diagnosticMessage}`);
    credentials = await mech.respond(response.serverSaslCreds ?? Buffer.alloc(0));
  }
  throw new Error('too many rounds');
};

describe('SASL DIGEST-MD5 and SCRAM against slapd', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  const uid = personUid(1);
  const good = (): SaslCredentials => ({ username: uid, password: personPassword(uid) });

  before(async () => {
    // Cleartext passwords: slapd's auxprop hands userPassword to Cyrus SASL as the secret.
    slapd = await startSlapd({ sasl: true, ldif: generatePeople(20, { passwords: 'plain', groupSize: 0 }) });
  });
  after(async () => {
    await slapd?.stop();
  });

  it('the root DSE lists DIGEST-MD5, SCRAM-SHA-1 and SCRAM-SHA-256', async () => {
    const client = new Client({ url: slapd.url, timeout: 10_000 });
    const [rootDse] = await client.search('', { scope: 'base', attributes: ['supportedSASLMechanisms'] });
    expect(rootDse!.getAll('supportedSASLMechanisms')).to.include.members([...MECHANISMS]);
    await client.unbind();
  });

  for (const name of MECHANISMS) {
    describe(name, () => {
      it('binds with Client.saslBind, and whoami answers the mapped entry', async () => {
        const client = new Client({ url: slapd.url, timeout: 10_000 });
        await client.saslBind(mechanism(name, good()));
        expect(await client.whoami()).to.equal(`dn:${personDN(uid)}`);
        await client.unbind();
      });

      it("verifies slapd's server proof (mutual authentication)", async () => {
        const socket: Socket = connect(slapd.port, '127.0.0.1');
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
        const connection = new Connection(socket);
        try {
          const mech = mechanism(name, good());
          const where = await bindWithProof(connection, mech);
          expect(mech.serverAuthenticated).to.equal(true);
          // Cyrus SASL finishes with SASL_OK plus data, which slapd sends in the success.
          expect(where).to.equal('success');
          const whoami = await ask(connection, { type: 'extendedReq', requestName: ExtendedOid.whoAmI });
          expect(whoami.protocolOp.type === 'extendedResp' ? whoami.protocolOp.responseValue?.toString() : undefined).to.equal(`dn:${personDN(uid)}`);
        } finally {
          void connection.close();
        }
      });

      it('a wrong password is an InvalidCredentialsError', async () => {
        const client = new Client({ url: slapd.url, timeout: 10_000 });
        const outcome = await client.saslBind(mechanism(name, { username: uid, password: 'wrong' })).then(() => 'bound', (e: unknown) => e);
        expect(outcome).to.be.instanceOf(InvalidCredentialsError);
        expect(await client.whoami()).to.equal(''); // still anonymous
        await client.unbind();
      });

      it('an unknown user is refused with an LdapError', async () => {
        const client = new Client({ url: slapd.url, timeout: 10_000 });
        const outcome = await client.saslBind(mechanism(name, { username: 'nobody', password: 'x' })).then(() => 'bound', (e: unknown) => e);
        // slapd 2.5 answers other (80) "unable to canonify user and get auxprops" when the
        // authz-regexp maps the name to no entry; the client only has to pass it on.
        expect(outcome).to.be.instanceOf(LdapError);
        expect(await client.whoami()).to.equal('');
        await client.unbind();
      });

      it('an authzid reaches slapd, which refuses it without an authz policy', async () => {
        const client = new Client({ url: slapd.url, timeout: 10_000 });
        const other = `dn:${personDN(personUid(2))}`;
        const outcome = await client.saslBind(mechanism(name, { ...good(), authzId: other })).then(() => 'bound', (e: unknown) => e);
        expect(outcome).to.be.instanceOf(InsufficientAccessRightsError);
        await client.unbind();
      });
    });
  }
});

describe('SASL PLAIN against slapd (offered only over a protected connection)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  before(async () => {
    slapd = await startSlapd({ sasl: true, ldif: generatePeople(5, { passwords: 'plain', groupSize: 0 }) });
  });
  after(async () => {
    await slapd?.stop();
  });

  it('binds over ldaps:// and whoami answers the mapped entry', async () => {
    const client = new Client({ url: slapd.ldapsUrl, tls: { ca: slapd.caCert } });
    await client.saslBind('PLAIN', { username: 'user0001', password: 'pass0001' });
    expect(await client.whoami()).to.equal('dn:uid=user0001,ou=people,dc=example,dc=com');
    await client.unbind();
  });

  it('a wrong password is an InvalidCredentialsError', async () => {
    const client = new Client({ url: slapd.ldapsUrl, tls: { ca: slapd.caCert } });
    const outcome = await client.saslBind('PLAIN', { username: 'user0001', password: 'wrong' }).then(() => 'bound', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(InvalidCredentialsError);
    await client.unbind();
  });
});
