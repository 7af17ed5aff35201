/**
 * Issue 11, "one consistent face" and "results carry what the server said": each spec failed (or
 * did not compile) against the client before.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import {
  Client,
  ConnectionError,
  InvalidFilterError,
  InvalidCredentialsError,
  SizeLimitExceededError,
  dn,
  parseDN,
  passwordPolicyControl,
  postReadControl,
} from '../../../lib';
import type { PasswordPolicyResponseControl, PostReadResponseControl } from '../../../lib';
import { encodeMessage } from '../../../lib/protocol';
import { MessageParser } from '../../../lib/transport/message-parser';
import { startFakeServer } from '../../support/fake-server';
import { sharedSlapd, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const outcome = <T>(promise: PromiseLike<T>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);
const tcpSockets = (): number => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

describe('The client face (issue 11)', function () {
  this.timeout(30_000);
  let slapd: SlapdInstance;
  before(async () => {
    slapd = await sharedSlapd();
  });

  it('every method that takes a DN takes a DN object too, and the dn template puts a parsed base in place', async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(parseDN(slapd.adminDN), slapd.adminPassword);
    const uid = personUid(7);
    const target = dn`uid=${uid},${parseDN(PEOPLE_DN)}`;
    const [entry] = await client.search(target, { scope: 'base', attributes: ['uid'] });
    expect(entry?.get('uid')).to.equal(uid);
    expect(await client.compare(target, 'uid', uid)).to.equal(true);
    await client.modify(target, [{ operation: 'replace', attribute: 'description', values: ['set through a DN object'] }]);
    const [changed] = await client.search(parseDN(personDN(uid)), { scope: 'base', attributes: ['description'] });
    expect(changed?.get('description')).to.equal('set through a DN object');
    await client.unbind();
  });

  it('the dn template says to wrap a string base in parseDN() when one stands where a DN fits', () => {
    expect(() => dn`uid=x,${PEOPLE_DN}`).to.throw(TypeError, /parseDN/);
  });

  it('argument errors fail the Operation like server errors instead of throwing', async () => {
    const client = new Client({ url: slapd.url });
    let search: PromiseLike<unknown> | undefined;
    expect(() => (search = client.search(PEOPLE_DN, { filter: '(uid=' }))).to.not.throw();
    expect(await outcome(search!)).to.be.instanceOf(InvalidFilterError);
    const bind = client.bind(slapd.adminDN, '');
    expect(await outcome(bind)).to.be.instanceOf(TypeError);
    await client.unbind();
  });

  it('saslBind returns an Operation: nothing is sent until it is awaited or subscribed', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'bindRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });
    });
    const client = new Client({ url: server.url });
    const bind = client.saslBind('EXTERNAL');
    await sleep(50);
    expect(server.sessions).to.have.length(0);
    await bind;
    expect(server.sessions[0]!.received.map((m) => m.protocolOp.type)).to.deep.equal(['bindRequest']);
    expect(client.boundAs).to.deep.equal({ method: 'sasl', mechanism: 'EXTERNAL' });
    await client.unbind();
    await server.close();
  });

  it('timeout is the longest silence of a stream, not a deadline: a slow for-await over 1,000 entries outlives a 300 ms timeout; deadline still bounds the whole', async () => {
    const client = new Client({ url: slapd.url, timeout: 300 });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    let seen = 0;
    const started = Date.now();
    for await (const entry of client.search(PEOPLE_DN, { scope: 'one', attributes: ['uid'], highWaterMark: 10 })) {
      if (entry.dn !== '') seen++;
      if (seen % 100 === 0) await sleep(60); // about 600 ms of consumer time in all
    }
    expect(seen).to.equal(1000);
    expect(Date.now() - started, 'the loop did outlast the timeout').to.be.above(300);
    const bounded = await outcome(client.search(PEOPLE_DN, { scope: 'one', deadline: 1 }));
    expect(bounded).to.have.property('name', 'TimeoutError');
    await client.unbind();
  });

  it('unbind() resolves once the socket is closed, even when the server never closes its side, and leaves no socket alive', async () => {
    const held: Socket[] = [];
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      held.push(socket);
      const parser = new MessageParser();
      socket.on('data', (chunk: Buffer) =>
        parser.feed(chunk, (request) => {
          if (request.protocolOp.type === 'extendedReq') {
            socket.write(encodeMessage({ messageId: request.messageId, protocolOp: { type: 'extendedResp', resultCode: 0, matchedDN: '', diagnosticMessage: '' } }));
          }
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseline = tcpSockets();
      const client = new Client({ url: `ldap://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await client.whoami();
      expect(tcpSockets()).to.equal(baseline + 2); // the client's and the server's ends
      await client.unbind();
      expect(tcpSockets(), "only the server's half-open end is left").to.equal(baseline + 1);
      expect(client.isConnected).to.equal(false);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('code after `await client.unbind()` runs in a process with nothing else to do', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'extendedReq') session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });
    });
    const script = `const { Client } = require(${JSON.stringify(require.resolve('../../../lib'))});
      (async () => { const client = new Client({ url: ${JSON.stringify(server.url)} }); await client.whoami(); await client.unbind(); console.log('after unbind'); })();`;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { timeout: 20_000 }, (error, stdout) => { if (error === null) resolve(stdout); else reject(new Error(`the child failed: ${error.message}`)); }),
    );
    expect(output.trim()).to.equal('after unbind');
    await server.close();
  });

  it('destroy() closes at once: pending operations fail with ConnectionError and no Unbind is sent', async () => {
    const server = await startFakeServer(() => undefined);
    const client = new Client({ url: server.url });
    const pending = outcome(client.whoami());
    while (server.sessions[0]?.received.length !== 1) await sleep(5);
    client.destroy();
    expect(await pending).to.be.instanceOf(ConnectionError);
    await sleep(30);
    expect(server.sessions[0].received.map((m) => m.protocolOp.type)).to.deep.equal(['extendedReq']);
    await server.close();
  });

  it('await using unbinds at the end of the scope', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'extendedReq') session.send({ messageId: request.messageId, protocolOp: { type: 'extendedResp', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });
    });
    {
      await using client = new Client({ url: server.url });
      await client.whoami();
    }
    await sleep(30);
    expect(server.sessions[0]!.received.map((m) => m.protocolOp.type)).to.deep.equal(['extendedReq', 'unbindRequest']);
    await server.close();
  });

  it('isConnected, isSecure and boundAs follow the connection', async () => {
    const client = new Client({ url: slapd.url, tls: { ca: slapd.caCert } });
    expect([client.isConnected, client.isSecure, client.boundAs, client.state]).to.deep.equal([false, false, undefined, 'idle']);
    const connecting = client.connect();
    expect(client.state).to.equal('connecting');
    await connecting;
    expect(client.state).to.equal('open');
    expect([client.isConnected, client.isSecure]).to.deep.equal([true, false]);
    await client.startTLS();
    expect(client.isSecure).to.equal(true);
    await client.bind(slapd.adminDN, slapd.adminPassword);
    expect(client.boundAs).to.deep.equal({ method: 'simple', dn: slapd.adminDN });
    expect(await outcome(client.bind(slapd.adminDN, 'wrong'))).to.be.instanceOf(InvalidCredentialsError);
    expect(client.boundAs, 'a failed bind leaves the connection anonymous').to.equal(undefined);
    await client.unbind();
    expect([client.isConnected, client.isSecure, client.boundAs, client.state]).to.deep.equal([false, false, undefined, 'idle']);
  });

  it('a size limit error says to use pagedSearch()', async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(personDN(personUid(1)), personPassword(personUid(1)));
    const failure = await outcome(client.search(PEOPLE_DN, { scope: 'one' })); // users get 500 of 1,000
    expect(failure).to.be.instanceOf(SizeLimitExceededError);
    expect((failure as Error).message).to.include('pagedSearch()');
    await client.unbind();
  });

  describe('results carry what the server said', () => {
    it('result() gives the outcome and response controls: post-read on modify returns the modified entry', async () => {
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.adminDN, slapd.adminPassword);
      const target = personDN(personUid(9));
      const result = await client.modify(target, [{ operation: 'replace', attribute: 'description', values: ['read back'] }], { controls: [postReadControl(['description'])] }).result();
      expect(result.resultCode).to.equal(0);
      expect(result.messageId).to.be.above(0);
      const postRead = result.controls.find((c): c is PostReadResponseControl => c.type === 'postReadResponse');
      expect(postRead?.value.objectName).to.equal(target);
      expect(postRead?.value.attributes.map((a) => [a.type, a.vals.map(String)])).to.deep.equal([['description', ['read back']]]);
      const search = await client.search(target, { scope: 'base' }).result();
      expect(search.value).to.have.length(1);
      expect(search.resultCode).to.equal(0);
      await client.unbind();
    });

    it('ppolicy: a bind with an expiring password shows the warning control, and a refused bind carries its controls on the error', async () => {
      const withPolicy = await startSlapd({ ppolicy: { maxAge: 3600, expireWarning: 3600 } });
      try {
        const uid = personUid(3);
        const admin = new Client({ url: withPolicy.url });
        await admin.bind(withPolicy.adminDN, withPolicy.adminPassword);
        // A change through the overlay stamps pwdChangedTime, from which the hour counts down.
        await admin.modify(personDN(uid), [{ operation: 'replace', attribute: 'userPassword', values: [personPassword(uid)] }]);
        await admin.unbind();
        // slapd counts whole seconds and warns only once fewer than pwdExpireWarning are left.
        await sleep(1_100);
        const user = new Client({ url: withPolicy.url });
        const bound = await user.bind(personDN(uid), personPassword(uid), { controls: [passwordPolicyControl()] }).result();
        const warning = bound.controls.find((c): c is PasswordPolicyResponseControl => c.type === 'passwordPolicyResponse');
        expect(warning?.value.timeBeforeExpiration).to.be.within(1, 3600);
        const refused = await outcome(user.bind(personDN(uid), 'wrong', { controls: [passwordPolicyControl()] }));
        expect(refused).to.be.instanceOf(InvalidCredentialsError);
        expect((refused as InvalidCredentialsError).controls.map((c) => c.type)).to.include('passwordPolicyResponse');
        await user.unbind();
      } finally {
        await withPolicy.stop();
      }
    });
  });
});
