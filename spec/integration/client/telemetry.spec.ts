import { createPrivateKey } from 'node:crypto';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { Client, InvalidCredentialsError, scramMechanism } from '../../support/all-of-lib';
import type { ClientEvent, ClientOptions, LevelLogger, Logger } from '../../support/all-of-lib';
import { PEOPLE_DN, generatePeople, personDN, personPassword, personUid } from '../../support/data';
import { startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

const PEOPLE = 20;
const WRONG_PASSWORD = 'not-the-Password-7f3a';

/** Every way a secret could show up in a log line: as text, hex and base64 (and base64url). */
const encodings = (secret: string | Buffer): string[] => {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  return [bytes.toString('utf8'), bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
};

/** The TLS key: its PEM file in every encoding, the PEM's base64 body (and stretches of it), the DER key in hex and base64. */
const keyForms = (pem: Buffer): string[] => {
  const text = pem.toString('utf8');
  const body = text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  // Any 40-character stretch of the body is enough to recognize the key.
  const stretches = Array.from({ length: Math.floor(body.length / 40) }, (_, i) => body.slice(i * 40, i * 40 + 40));
  return [...encodings(pem), body, ...stretches, der.toString('hex'), der.toString('base64')];
};

/** JSON.stringify writes a Buffer as an array of numbers: shown as text, hex and base64 instead, so a leak is seen. */
const bytesAsText = (_key: string, value: unknown): unknown => {
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'Buffer') return value;
  const bytes = Buffer.from((value as { data: number[] }).data);
  return { type: 'Buffer', text: bytes.toString('utf8'), hex: bytes.toString('hex'), base64: bytes.toString('base64') };
};

describe('Telemetry against slapd: counts that match what was done, logs that hold no secret', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  /** Every call the logger received, at level network, from every client below. */
  const captured: unknown[][] = [];
  const capture: Logger = (...args) => {
    captured.push(args);
  };
  /** The same capture, through a level-method logger (pino's shape). */
  const levelLogger: LevelLogger = {
    error: (...args) => captured.push(['error()', ...args]),
    info: (...args) => captured.push(['info()', ...args]),
    debug: (...args) => captured.push(['debug()', ...args]),
    trace: (...args) => captured.push(['trace()', ...args]),
  };
  const uid = personUid(1);
  const clients: Client[] = [];
  const events: ClientEvent[][] = [];

  const client = (options: Omit<ClientOptions, 'logLevel'>): Client => {
    const created = new Client({ timeout: 10_000, logLevel: 'network', ...options });
    const seen: ClientEvent[] = [];
    created.events.subscribe((event) => seen.push(event));
    clients.push(created);
    events.push(seen);
    return created;
  };
  /** The client's `connected` events: Client.metrics counts its sockets from them. */
  const connectedEvents = (of: Client): number => events[clients.indexOf(of)]!.filter((event) => event.type === 'connected').length;

  before(async () => {
    // Cleartext userPassword: what SCRAM needs, and what a search that asks for userPassword returns.
    slapd = await startSlapd({ sasl: true, ldif: generatePeople(PEOPLE, { passwords: 'plain', groupSize: 0 }) });
  });
  after(async () => {
    for (const each of clients) each.destroy();
    await slapd?.stop();
  });

  it('simple binds (one refused), a search and a modify: operations by type, entries and errors by code', async () => {
    const admin = client({ url: slapd.url, logger: capture });
    expect(await admin.bind(slapd.adminDN, WRONG_PASSWORD).then(() => 'bound', (error: unknown) => error)).to.be.instanceOf(InvalidCredentialsError);
    await admin.bind(slapd.adminDN, slapd.adminPassword);
    const people = await admin.search(PEOPLE_DN, { scope: 'one', filter: '(objectClass=inetOrgPerson)', attributes: ['cn', 'userPassword'] });
    expect(people).to.have.length(PEOPLE);
    expect(people[0]!.get('userPassword'), 'the entries do carry the passwords the log must not show').to.match(/^pass/);
    await admin.modify(personDN(uid), [{ operation: 'replace', attribute: 'description', values: ['logged'] }]);
    await admin.unbind();

    const metrics = admin.metrics;
    // The Unbind that unbind() writes counts too.
    expect(metrics.operations).to.deep.equal({ bind: 2, unbind: 1, search: 1, modify: 1, add: 0, delete: 0, modifyDN: 0, compare: 0, abandon: 0, extended: 0 });
    expect(metrics).to.include({ entries: PEOPLE, references: 0, messagesSent: 5, messagesReceived: 2 + PEOPLE + 1 + 1, socketsClosed: 1 });
    expect(metrics.errors).to.deep.equal({ invalidCredentials: 1 });
    expect(metrics.socketsOpened).to.equal(connectedEvents(admin));
    expect(metrics.bytesSent).to.be.greaterThan(0);
    expect(metrics.bytesReceived).to.be.greaterThan(metrics.bytesSent);
  });

  it('SASL EXTERNAL over ldapi', async () => {
    const external = client({ url: slapd.ldapiUrl, logger: levelLogger });
    await external.saslBind('EXTERNAL');
    expect(await external.whoami()).to.equal(`dn:${slapd.externalDN}`);
    await external.unbind();
    // slapd answers EXTERNAL's first round with saslBindInProgress, and the empty second with success.
    expect(external.metrics.operations).to.include({ bind: 2, extended: 1 });
    expect(external.metrics.errors).to.deep.equal({});
  });

  it('StartTLS, then a simple bind, with a client certificate and key in the options', async () => {
    const tls = client({ url: slapd.url, logger: capture, tls: { ca: slapd.caCert, cert: slapd.clientCert, key: slapd.clientKey } });
    await tls.startTLS();
    await tls.bind(personDN(uid), personPassword(uid));
    expect(await tls.whoami()).to.equal(`dn:${personDN(uid)}`);
    await tls.unbind();
    expect(tls.metrics.operations).to.include({ extended: 2, bind: 1 });
    expect(tls.metrics.errors).to.deep.equal({});
  });

  it('SCRAM-SHA-256: two bind rounds, and saslBindInProgress is not an error', async () => {
    const scram = client({ url: slapd.url, logger: levelLogger });
    await scram.saslBind(scramMechanism('SHA-256', { username: uid, password: personPassword(uid) }));
    expect(await scram.whoami()).to.equal(`dn:${personDN(uid)}`);
    const refused = client({ url: slapd.url, logger: capture });
    const failure = await refused.saslBind(scramMechanism('SHA-256', { username: uid, password: WRONG_PASSWORD })).then(() => 'bound', (error: unknown) => error);
    expect(failure).to.be.instanceOf(InvalidCredentialsError);
    await scram.unbind();
    await refused.unbind();
    expect(scram.metrics.operations).to.include({ bind: 2, extended: 1 });
    expect(scram.metrics.errors).to.deep.equal({});
    expect(refused.metrics.errors).to.deep.equal({ invalidCredentials: 1 });
  });

  it('a logger that throws breaks nothing', async () => {
    const broken = client({
      url: slapd.url,
      logger: () => {
        throw new Error('logger down');
      },
    });
    await broken.bind(slapd.adminDN, slapd.adminPassword);
    expect(await broken.search(PEOPLE_DN, { scope: 'one', attributes: ['1.1'] })).to.have.length(PEOPLE);
    await broken.unbind();
    const brokenMethods = client({ url: slapd.ldapiUrl, logger: { info: () => { throw new Error('down'); }, trace: () => { throw new Error('down'); } } });
    await brokenMethods.saslBind('EXTERNAL');
    expect(await brokenMethods.whoami()).to.equal(`dn:${slapd.externalDN}`);
    await brokenMethods.unbind();
    expect(broken.metrics.entries).to.equal(PEOPLE);
  });

  it('reconnects and rebinds (simple and SCRAM) after slapd is killed and restarted are logged and counted', async () => {
    const simple = client({ url: slapd.url, logger: capture, reconnect: { initialDelay: 20 } });
    const scramClient = client({ url: slapd.url, logger: levelLogger, reconnect: { initialDelay: 20 } });
    await simple.bind(personDN(uid), personPassword(uid));
    await scramClient.saslBind('SCRAM-SHA-256', { username: personUid(2), password: personPassword(personUid(2)) });
    await slapd.kill();
    await slapd.restart();
    expect(await simple.whoami()).to.equal(`dn:${personDN(uid)}`);
    expect(await scramClient.whoami()).to.equal(`dn:${personDN(personUid(2))}`);
    expect(simple.metrics.restarts).to.be.at.least(1);
    const log = captured.map((args) => JSON.stringify(args, bytesAsText)).join('\n');
    expect(log).to.match(/bound again|rebind/i);
    await simple.unbind();
    await scramClient.unbind();
  });

  it('the whole log, at network level, holds none of the secrets; neither do util.inspect of the metrics and of the clients', () => {
    const log = captured.map((args) => JSON.stringify(args, bytesAsText)).join('\n');
    // The log is there, and says what happened, by names and numbers.
    expect(log).to.include('sent bindRequest');
    expect(log).to.include('"type":"searchResEntry"');
    expect(log).to.include('"userPassword"');
    expect(log).to.include('"result":"invalidCredentials"');
    expect(log).to.match(/read \d+ bytes/);
    expect(log).to.include('debug()');
    expect(log, 'log fields are names and numbers, never bytes').not.to.include('"type":"Buffer"');
    const views = [log, ...clients.map((each) => inspect(each.metrics, { depth: Infinity })), ...clients.map((each) => inspect(each, { depth: Infinity }))].join('\n');
    const passwords = [slapd.adminPassword, WRONG_PASSWORD, ...Array.from({ length: PEOPLE }, (_, i) => personPassword(personUid(i + 1)))];
    for (const password of passwords) {
      for (const form of encodings(password)) expect(views, `a password (${password}) as ${form}`).not.to.include(form);
    }
    for (const form of keyForms(slapd.clientKey)) expect(views.includes(form), 'the TLS key').to.equal(false);
  });
});
