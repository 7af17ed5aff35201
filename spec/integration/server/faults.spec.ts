/**
 * Fault injection (server.faults), each kind seen through rxldap's Client as a user's test would
 * see it: the typed error, and what did or did not happen to the data.
 */
import { expect } from 'chai';
import { firstValueFrom, filter as keep } from 'rxjs';
import { connect } from 'node:net';
import { BusyError, Client, ConnectionError, InsufficientAccessRightsError, NoticeOfDisconnectionError, ProtocolError, TimeoutError, UnavailableError } from '../../../lib';
import { encodeMessage, MessageParser } from '../../../lib/wire';
import { startDirectory } from '../../../lib/server';
import type { DirectoryServer } from '../../../lib/server';
import { generatePeople, PEOPLE_DN, personDN, personUid } from '../../support/data';

const ADMIN_DN = 'cn=admin,dc=example,dc=com';
const PASSWORD = 'secret';
const outcome = (promise: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(promise).then((value) => value, (error: unknown) => error);

describe('in-memory directory: fault injection', function () {
  this.timeout(20_000);
  let server: DirectoryServer;
  let client: Client;

  beforeEach(async () => {
    server = await startDirectory({ ldif: generatePeople(10, { groupSize: 0 }), rootDN: ADMIN_DN, rootPassword: PASSWORD });
    client = new Client({ url: server.url, reconnect: false });
    await client.bind(ADMIN_DN, PASSWORD);
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  const mail = (i: number): string | undefined => server.directory.get(personDN(personUid(i)))?.get('mail');
  const setMail = (i: number, value: string, options: { timeout?: number } = {}) =>
    client.modify(personDN(personUid(i)), [{ operation: 'replace', attribute: 'mail', values: value }], options);

  it('delay: the operation runs and its answer comes late; a client timeout shorter than the delay is a TimeoutError', async () => {
    const fault = server.faults.inject({ operation: 'search', action: 'delay', ms: 2_000 });
    const late = await outcome(client.search(personDN(personUid(1)), { scope: 'base', timeout: 100 }));
    expect(late).to.be.instanceOf(TimeoutError);
    expect(fault.hits).to.equal(1);
    fault.remove();
    const delayed = server.faults.inject({ operation: 'search', action: 'delay', ms: 50 });
    expect(await client.search(personDN(personUid(1)), { scope: 'base', attributes: ['uid'] })).to.have.length(1);
    expect(delayed.hits).to.equal(1);
  });

  it('drop: a modify is applied but its answer never comes (TimeoutError), as when a response is lost', async () => {
    server.faults.inject({ operation: 'modify', action: 'drop' });
    const lost = await outcome(setMail(2, 'lost@example.com', { timeout: 200 }));
    expect(lost).to.be.instanceOf(TimeoutError);
    expect(mail(2)).to.equal('lost@example.com');
  });

  it('result: chosen codes by operation and DN (subtree or RegExp), typed errors, nothing applied, other operations untouched', async () => {
    server.faults.inject({ operation: 'modify', dn: personDN(personUid(3)), action: 'result', resultCode: 'busy', diagnosticMessage: 'try later' });
    server.faults.inject({ operation: ['add', 'delete'], dn: /^uid=user000[45],/, action: 'result', resultCode: 50 });
    const busy = await outcome(setMail(3, 'busy@example.com'));
    expect(busy).to.be.instanceOf(BusyError);
    expect((busy as BusyError).diagnosticMessage).to.equal('try later');
    expect(mail(3)).to.not.equal('busy@example.com');
    await setMail(6, 'fine@example.com');
    expect(mail(6)).to.equal('fine@example.com');
    expect(await outcome(client.delete(personDN(personUid(4))))).to.be.instanceOf(InsufficientAccessRightsError);
    expect(server.directory.get(personDN(personUid(4)))).to.not.equal(undefined);
    await client.delete(personDN(personUid(7)));
    expect(server.directory.get(personDN(personUid(7)))).to.equal(undefined);
  });

  it('result on an extended operation by OID, for a given number of requests (times)', async () => {
    const fault = server.faults.inject({ operation: 'extended', oid: '1.3.6.1.4.1.4203.1.11.3', times: 1, action: 'result', resultCode: 'unavailable' });
    expect(await outcome(client.whoami())).to.be.instanceOf(UnavailableError);
    expect(await client.whoami()).to.equal(`dn:${ADMIN_DN}`);
    expect(fault.hits).to.equal(1);
  });

  it('disconnect: the connection closes at once; the operation and every other pending one fail with ConnectionError', async () => {
    server.faults.inject({ operation: 'compare', action: 'disconnect' });
    const search = client.search(PEOPLE_DN, { scope: 'one', attributes: ['uid'] });
    const [compared, searched] = await Promise.all([outcome(client.compare(personDN(personUid(1)), 'uid', personUid(1))), outcome(search)]);
    expect(compared).to.be.instanceOf(ConnectionError);
    expect(Array.isArray(searched) || searched instanceof ConnectionError).to.equal(true);
    expect(server.connections).to.equal(0);
  });

  it('disconnect midPdu: half of the first response PDU, then the connection is cut; the client fails with ConnectionError', async () => {
    server.faults.inject({ operation: 'search', action: 'disconnect', midPdu: true });
    // On the wire (a bare socket and rxldap's parser): bytes arrive, and they end inside a PDU.
    const socket = connect(server.port!, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(encodeMessage({ messageId: 1, protocolOp: { type: 'searchRequest', baseObject: PEOPLE_DN, scope: 'singleLevel', derefAliases: 'neverDerefAliases', sizeLimit: 0, timeLimit: 0, typesOnly: false, filter: { type: 'present', attribute: 'objectClass' }, attributes: [] } }));
    await closed;
    const parser = new MessageParser();
    const received: unknown[] = [];
    parser.feed(Buffer.concat(chunks), (message) => received.push(message));
    expect(chunks.length).to.be.greaterThan(0);
    expect(received).to.have.length(0);
    expect(() => parser.end()).to.throw(ProtocolError, /inside a PDU/);
    // Through the client: the search fails with the connection.
    const cut = await outcome(client.search(PEOPLE_DN, { scope: 'one' }));
    expect(cut).to.be.instanceOf(ConnectionError);
  });

  it('notice: a Notice of Disconnection with the chosen code reaches client.notifications; pending operations fail with NoticeOfDisconnectionError', async () => {
    server.faults.inject({ operation: 'search', action: 'notice', resultCode: 'unavailable', diagnosticMessage: 'going down for maintenance' });
    const notice = firstValueFrom(client.notifications.pipe(keep((message) => message.messageId === 0)));
    const failed = await outcome(client.search(PEOPLE_DN, { scope: 'one' }));
    expect(failed).to.be.instanceOf(NoticeOfDisconnectionError);
    expect((failed as NoticeOfDisconnectionError).code).to.equal(52);
    const message = await notice;
    expect(message.protocolOp.type === 'extendedResp' ? message.protocolOp.diagnosticMessage : '').to.equal('going down for maintenance');
  });

  it('refuseConnections: new TCP and in-process connections fail with ConnectionError until acceptConnections; open ones go on', async () => {
    await server.faults.refuseConnections();
    expect(await client.whoami()).to.equal(`dn:${ADMIN_DN}`);
    const fresh = new Client({ url: server.url, reconnect: false });
    expect(await outcome(fresh.whoami())).to.be.instanceOf(ConnectionError);
    const inProcess = new Client({ url: server.url, connect: () => server.connect(), reconnect: false });
    expect(await outcome(inProcess.whoami())).to.be.instanceOf(ConnectionError);
    await server.faults.acceptConnections();
    const again = new Client({ url: server.url });
    expect(await again.whoami()).to.equal('');
    fresh.destroy();
    inProcess.destroy();
    await again.unbind();
  });

  it('clear(): every rule goes and connections are accepted again', async () => {
    server.faults.inject({ action: 'result', resultCode: 'busy' });
    await server.faults.refuseConnections();
    await server.faults.clear();
    expect(await client.whoami()).to.equal(`dn:${ADMIN_DN}`);
    const fresh = new Client({ url: server.url });
    expect(await fresh.whoami()).to.equal('');
    await fresh.unbind();
  });
});
