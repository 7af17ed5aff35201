import { expect } from 'chai';
import { Client, ConnectionError, TimeoutError } from '../../../lib';
import type { SearchEntry } from '../../../lib';
import { CLIENT_CERT_DN, sharedSlapd, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { PEOPLE_DN, generatePeople, personDN, personUid } from '../../support/data';

describe('Client: TLS', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  before(async () => {
    slapd = await sharedSlapd();
  });

  it('ldaps:// with the run CA binds, and whoami answers', async () => {
    const client = new Client({ url: slapd.ldapsUrl, tls: { ca: slapd.caCert } });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    expect(await client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    await client.unbind();
  });

  it('ldaps:// without the CA fails with a ConnectionError that says why', async () => {
    const client = new Client({ url: slapd.ldapsUrl });
    try {
      await client.whoami();
      expect.fail('an untrusted certificate was accepted');
    } catch (error) {
      expect(error).to.be.instanceOf(ConnectionError);
      expect((error as Error).message).to.match(/certificate/i);
    }
  });

  it('StartTLS with the run CA upgrades the live connection', async () => {
    const client = new Client({ url: slapd.url, tls: { ca: slapd.caCert } });
    await client.startTLS();
    await client.bind(slapd.adminDN, slapd.adminPassword);
    expect(await client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    await client.unbind();
  });

  it('StartTLS without the CA fails with a clear ConnectionError', async () => {
    const client = new Client({ url: slapd.url });
    try {
      await client.startTLS();
      expect.fail('an untrusted certificate was accepted');
    } catch (error) {
      expect(error).to.be.instanceOf(ConnectionError);
      expect((error as Error).message).to.match(/TLS negotiation after StartTLS failed: .*certificate/i);
    }
  });
});

describe('Client: many operations on one connection', function () {
  this.timeout(120_000);
  let slapd: SlapdInstance;
  before(async () => {
    slapd = await sharedSlapd();
  });

  it('10,000 mixed operations in flight each get their own answer, with abandoned and timed-out ones among them', async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    const checks: Array<Promise<void>> = [];
    for (let i = 0; i < 10_000; i++) {
      const n = (i % 1000) + 1;
      const uid = personUid(n);
      switch (i % 4) {
        case 0:
          checks.push(client.search(personDN(uid), { scope: 'base', attributes: ['uid'] }).then((entries) => {
            expect(entries.map((e) => e.get('uid'))).to.deep.equal([uid]);
          }));
          break;
        case 1:
          checks.push(client.compare(personDN(uid), 'uid', uid).then((same) => {
            expect(same).to.equal(true);
          }));
          break;
        case 2:
          checks.push(client.compare(personDN(uid), 'uid', `not-${uid}`).then((same) => {
            expect(same).to.equal(false);
          }));
          break;
        default:
          checks.push(client.whoami().then((id) => {
            expect(id).to.equal(`dn:${slapd.adminDN}`);
          }));
      }
    }
    // Mixed in: searches abandoned right after they are sent, and searches timed out at once.
    let abandoned = 0;
    let timedOut = 0;
    for (let i = 0; i < 200; i++) {
      const subscription = client.search(slapd.baseDN, { attributes: ['1.1'] }).subscribe({ error: () => undefined });
      setImmediate(() => {
        subscription.unsubscribe();
        abandoned++;
      });
      checks.push(client.search(slapd.baseDN, { attributes: ['1.1'], timeout: 1 }).then(() => undefined, (error: unknown) => {
        expect(error).to.be.instanceOf(TimeoutError);
        timedOut++;
      }));
    }
    await Promise.all(checks);
    expect(abandoned).to.equal(200);
    expect(timedOut).to.be.greaterThan(0);
    // The connection is still sound afterwards.
    expect(await client.compare(personDN(personUid(5)), 'uid', personUid(5))).to.equal(true);
    await client.unbind();
  });
});

describe('Client: backpressure', function () {
  this.timeout(300_000);
  let big: SlapdInstance;
  before(async () => {
    big = await startSlapd({ ldif: generatePeople(50_000, { passwords: 'none', groupSize: 0 }) });
  });
  after(async () => {
    await big?.stop();
  });

  it('a slow for-await consumer of 50,000 entries pauses the socket and holds at most the high-water mark plus one read', async () => {
    const client = new Client({ url: big.url });
    await client.bind(big.adminDN, big.adminPassword);
    const highWaterMark = 200;
    const search = client.search(PEOPLE_DN, { scope: 'one', attributes: ['uid'], highWaterMark });
    let count = 0;
    let last: SearchEntry | undefined;
    for await (const entry of search) {
      count++;
      last = entry;
      // ~1 ms per entry for the first 2,000, then as fast as possible to keep the run short
      if (count <= 2000) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(count).to.equal(50_000);
    expect(last!.dn).to.match(/^uid=user\d+,ou=people/);
    // One socket read (64 KiB) holds at most ~64 KiB / 60 B = ~1,100 of these small entries.
    expect(search.peakBuffered).to.be.at.least(highWaterMark);
    expect(search.peakBuffered).to.be.at.most(highWaterMark + 1200);
    await client.unbind();
  });
});

describe('Client: SASL EXTERNAL with a TLS client certificate', function () {
  this.timeout(30_000);

  it('binds as the certificate subject over ldaps://', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.ldapsUrl, tls: { ca: slapd.caCert, cert: slapd.clientCert, key: slapd.clientKey } });
    await client.saslBind('EXTERNAL');
    expect(await client.whoami()).to.equal(`dn:${CLIENT_CERT_DN}`);
    await client.unbind();
  });

  it('binds as the certificate subject after StartTLS', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.url, tls: { ca: slapd.caCert, cert: slapd.clientCert, key: slapd.clientKey } });
    await client.startTLS();
    await client.saslBind('EXTERNAL');
    expect(await client.whoami()).to.equal(`dn:${CLIENT_CERT_DN}`);
    await client.unbind();
  });

  it('without a certificate, EXTERNAL over TLS is refused with a typed error', async () => {
    const slapd = await sharedSlapd();
    const client = new Client({ url: slapd.ldapsUrl, tls: { ca: slapd.caCert } });
    const outcome = await client.saslBind('EXTERNAL').then(() => 'bound', (e: unknown) => e);
    expect(outcome).to.have.property('code').that.is.a('number').and.not.equal(0);
    await client.unbind();
  });
});
