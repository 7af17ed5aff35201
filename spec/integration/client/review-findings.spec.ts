/**
 * Review of the issue 10 hardening (write queue, barriers, SASL hold, StartTLS in Connection):
 * each spec here is a hole a hostile peer or a careless caller could still open, found by
 * attacking the change with a fake server.
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import { Client, ProtocolError } from '../../../lib';
import { encodeMessage } from '../../../lib/protocol';
import { startFakeServer } from '../../support/fake-server';
import type { FakeSession } from '../../support/fake-server';

const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
const START_TLS_OID = '1.3.6.1.4.1.1466.20037';
const outcome = <T>(promise: PromiseLike<T>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);
const types = (session: FakeSession): string[] => session.received.map((m) => m.protocolOp.type);

describe('Review findings (issue 10 hardening)', function () {
  this.timeout(30_000);

  describe('StartTLS response injection', () => {
    it('a plaintext answer appended after the StartTLS success response is not taken as the answer to a request queued behind the StartTLS', async () => {
      // A network attacker appends a forged compareTrue for messageID 2 to the server's StartTLS
      // response, in clear. The compare was queued behind the StartTLS: the caller expects its
      // answer to come over TLS.
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'extendedReq' && request.protocolOp.requestName === START_TLS_OID) {
          const startTls = encodeMessage({ messageId: request.messageId, protocolOp: { type: 'extendedResp', ...ok } });
          const forged = encodeMessage({ messageId: request.messageId + 1, protocolOp: { type: 'compareResponse', ...ok, resultCode: 6 } });
          session.silent = true; // what follows is the ClientHello; the handshake then times out
          session.sendRaw(Buffer.concat([startTls, forged]));
        }
      });
      const client = new Client({ url: server.url, connectTimeout: 500 });
      try {
        await client.connect();
        const tls = outcome(client.startTLS());
        const compare = outcome(client.compare('cn=admin,dc=x', 'userPassword', 'guess'));
        const [tlsFailure, compared] = await Promise.all([tls, compare]);
        expect(tlsFailure).to.be.instanceOf(ProtocolError);
        // Before: the compare resolved true, from the attacker's plaintext bytes.
        expect(compared, 'the forged plaintext compareTrue').to.not.equal(true);
        expect(compared).to.be.instanceOf(ProtocolError);
      } finally {
        await client.unbind();
        await server.close();
      }
    });

    it('bytes after the StartTLS success response, before the handshake, close the connection with a ProtocolError', async () => {
      const server = await startFakeServer((request, session) => {
        if (request.protocolOp.type === 'extendedReq' && request.protocolOp.requestName === START_TLS_OID) {
          const startTls = encodeMessage({ messageId: request.messageId, protocolOp: { type: 'extendedResp', ...ok } });
          session.silent = true;
          // A partial PDU: it would sit in the parser and be completed by the first decrypted bytes.
          session.sendRaw(Buffer.concat([startTls, Buffer.from([0x30, 0x84, 0x00])]));
        }
      });
      const client = new Client({ url: server.url, connectTimeout: 2_000 });
      try {
        await client.connect();
        const failure = await outcome(client.startTLS());
        // Before: the bytes stayed in the parser, to be completed by the first decrypted ones (here: TimeoutError of the handshake).
        expect(failure).to.be.instanceOf(ProtocolError);
      } finally {
        await client.unbind();
        await server.close();
      }
    });
  });

  describe('saslBindInProgress outside a SASL exchange', () => {
    it('a simple bind answered with saslBindInProgress fails, and the connection still carries the next operation', async () => {
      const server = await startFakeServer((request, session) => {
        const op = request.protocolOp;
        if (op.type === 'bindRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', ...ok, resultCode: 14 } });
        if (op.type === 'extendedReq') session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', ...ok, responseValue: Buffer.from('dn:cn=x') } });
      });
      const client = new Client({ url: server.url, timeout: 2_000 });
      try {
        const bind = await outcome(client.bind('cn=admin,dc=x', 'secret'));
        expect(bind).to.be.instanceOf(Error);
        const whoami = await outcome(client.whoami());
        // Before: the whoami was never written (the connection waited for a next SASL round that
        // no one would send) and failed with TimeoutError; without a timeout it hung forever.
        expect(types(server.sessions.at(-1)!)).to.include('extendedReq');
        expect(whoami).to.equal('dn:cn=x');
      } finally {
        await client.unbind();
        await server.close();
      }
    });
  });

  describe('maxBuffered, the opt-out BufferOverflowError names', () => {
    it('pagedSearch honours maxBuffered as search, syncrepl and persistentSearch do (a page larger than 10,000 entries beside another operation had no way out)', () => {
      const client = new Client({ url: 'ldap://127.0.0.1:1' });
      expect(client.pagedSearch('dc=x', { pageSize: 50_000, maxBuffered: Infinity }).maxBuffered).to.equal(Infinity);
      expect(client.search('dc=x', { maxBuffered: Infinity }).maxBuffered).to.equal(Infinity);
    });
  });

  describe('secrets outside util.inspect and toJSON', () => {
    it('the TLS passphrase is not an own property a spread or customInspect: false can reach', () => {
      const client = new Client({ url: 'ldap://127.0.0.1:1', tls: { passphrase: 'tls-passphrase-x', key: Buffer.from('private-key-bytes') } });
      // Logging helpers copy an object's own properties; inspect's customInspect: false skips [inspect.custom].
      const views = [inspect({ ...client }, { depth: Infinity }), inspect(client, { depth: Infinity, showHidden: true, customInspect: false })];
      for (const view of views) expect(view).to.not.include('tls-passphrase-x');
    });
  });

  describe('a bind answered with another PDU type', () => {
    it('closes the connection (the bind may have taken effect) instead of carrying the next operation under an unknown identity', async () => {
      const server = await startFakeServer((request, session) => {
        const op = request.protocolOp.type;
        if (op === 'bindRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'compareResponse', ...ok, resultCode: 6 } });
        if (op === 'compareRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'compareResponse', ...ok, resultCode: 6 } });
      });
      const client = new Client({ url: server.url });
      try {
        const [bind, compare] = await Promise.all([outcome(client.bind('cn=admin,dc=x', 'secret')), outcome(client.compare('cn=a,dc=x', 'cn', 'a'))]);
        expect(bind).to.be.instanceOf(ProtocolError);
        // Before: the compare queued behind the bind went out on the same connection and resolved true.
        expect(compare).to.be.instanceOf(ProtocolError);
        expect(types(server.sessions[0]!)).to.deep.equal(['bindRequest']);
      } finally {
        await client.unbind();
        await server.close();
      }
    });
  });
});
