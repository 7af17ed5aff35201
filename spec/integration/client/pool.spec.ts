import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ConnectionError,
  ConnectionPool,
  ConnectionPoolAbortedError,
  ConnectionPoolClosedError,
  type Client,
  type ConnectionPoolOptions,
} from '../../../lib';
import { sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { personDN, personPassword, personUid } from '../../support/data';

const POOL_OU = 'ou=pool-spec,dc=example,dc=com';
const poolEntryDN = (i: number): string => `cn=pool${i},${POOL_OU}`;
const POOL_ENTRIES = 20;

/** Waits, a turn of the event loop at a time, until `condition` holds (the spec's own timeout bounds it). */
const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** The TCP sockets this process holds open. */
const tcpSockets = (): number => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

const settledYet = (promise: Promise<unknown>): { readonly settled: boolean } => {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
};

describe('ConnectionPool against a real slapd', function () {
  this.timeout(120_000);
  let slapd: SlapdInstance;
  let pools: ConnectionPool[] = [];

  const poolOf = (options: Omit<ConnectionPoolOptions, 'client'>): ConnectionPool => {
    const pool = new ConnectionPool({
      client: { url: slapd.url, timeout: 30_000 },
      bind: (client) => client.bind(slapd.adminDN, slapd.adminPassword),
      ...options,
    });
    pools.push(pool);
    return pool;
  };

  before(async () => {
    slapd = await sharedSlapd();
    const entries = Array.from({ length: POOL_ENTRIES }, (_, i) => `dn: ${poolEntryDN(i)}\nobjectClass: device\ncn: pool${i}\ndescription: 0\n`);
    await slapd.ldapmodify([`dn: ${POOL_OU}\nobjectClass: organizationalUnit\nou: pool-spec\n`, ...entries].join('\n'), ['-a']);
  });
  afterEach(() => {
    for (const pool of pools) pool.destroy();
    pools = [];
  });
  after(async () => {
    await slapd.ldapmodify(Array.from({ length: POOL_ENTRIES }, (_, i) => `dn: ${poolEntryDN(i)}\nchangetype: delete\n`).join('\n') + `\ndn: ${POOL_OU}\nchangetype: delete\n`);
  });

  it('runs 10,000 mixed operations, 200 at a time, on 8 members bound as the admin, spreading the load', async () => {
    const pool = poolOf({ size: 8 });
    const served = new Map<Client, number>();
    let widestSpread = 0;
    let started = 0;
    let succeeded = 0;
    const sample = (): void => {
      const pending = pool.clients.map((client) => client.pendingOperations);
      widestSpread = Math.max(widestSpread, Math.max(...pending) - Math.min(...pending));
      for (const client of pool.clients) if (client.pendingOperations > 0) served.set(client, (served.get(client) ?? 0) + 1);
    };
    const one = async (i: number): Promise<void> => {
      const uid = personUid(1 + (i % 500));
      switch (i % 3) {
        case 0: {
          const entries = await pool.search(personDN(uid), { scope: 'base', attributes: ['uid'] });
          expect(entries.map((entry) => entry.get('uid'))).to.deep.equal([uid]);
          break;
        }
        case 1:
          expect(await pool.compare(personDN(uid), 'uid', uid)).to.equal(true);
          break;
        default:
          await pool.modify(poolEntryDN(i % POOL_ENTRIES), [{ operation: 'replace', attribute: 'description', values: [String(i)] }]);
      }
      succeeded++;
    };
    const worker = async (): Promise<void> => {
      while (started < 10_000) {
        const running = one(started++);
        // From the thousandth on: before that, the first member to connect had taken what waited for it.
        if (succeeded >= 1000) sample();
        await running;
      }
    };
    await Promise.all(Array.from({ length: 200 }, worker));

    expect(succeeded).to.equal(10_000);
    expect(pool.size).to.equal(8);
    expect(pool.stats.created, 'no member was replaced').to.equal(8);
    expect(pool.stats.dispatched).to.equal(10_000);
    expect(served.size, 'members that had work in flight').to.equal(8);
    // 200 operations over 8 members is 25 each: least-busy dispatch keeps every member near that.
    expect(widestSpread, 'widest gap between two members’ pending operations').to.be.at.most(25);

    const leases = await Promise.all(Array.from({ length: 8 }, () => pool.acquire()));
    expect(new Set(leases.map((lease) => lease.client)).size).to.equal(8);
    for (const lease of leases) expect(await lease.client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    await Promise.all(leases.map((lease) => lease.release()));
    await pool.drain();
  });

  it('acquire() gives up with ConnectionPoolAbortedError when its signal aborts while it waits', async () => {
    const pool = poolOf({ size: 1 });
    const lease = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire({ signal: controller.signal });
    const reason = new Error('the caller lost interest');
    controller.abort(reason);
    const failure = await waiting.then(() => undefined, (error: unknown) => error);
    expect(failure).to.be.instanceOf(ConnectionPoolAbortedError);
    expect((failure as Error).cause).to.equal(reason);
    expect(pool.stats.waiting).to.equal(0);
    await lease.release();
    const again = await pool.acquire();
    expect(again.client).to.equal(lease.client);
    await again.release();
  });

  it('a leased member takes no dispatched work until it is released', async () => {
    const pool = poolOf({ size: 2 });
    await pool.whoami();
    const lease = await pool.acquire();
    const others = async (): Promise<void> => {
      const ops = Array.from({ length: 100 }, () => pool.whoami());
      expect(lease.client.pendingOperations).to.equal(0);
      expect(await Promise.all(ops)).to.deep.equal(Array.from({ length: 100 }, () => `dn:${slapd.adminDN}`));
    };
    await others();
    expect(pool.clients.filter((client) => client !== lease.client).some((client) => client.isConnected)).to.equal(true);

    // With the only member leased, an operation waits for it.
    const single = poolOf({ size: 1 });
    const only = await single.acquire();
    const waiting = single.whoami().then((identity) => identity);
    const state = settledYet(waiting);
    expect(await only.client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    expect(state.settled).to.equal(false);
    await only.release();
    expect(await waiting).to.equal(`dn:${slapd.adminDN}`);
    await lease.release();
  });

  it('a lease that bound as a user is re-bound as the pool identity before the member serves again', async () => {
    const pool = poolOf({ size: 1 });
    const lease = await pool.acquire();
    const uid = personUid(3);
    await lease.client.bind(personDN(uid), personPassword(uid));
    expect(await lease.client.whoami()).to.equal(`dn:${personDN(uid)}`);
    await lease.release();
    expect(await pool.whoami()).to.equal(`dn:${slapd.adminDN}`);
    expect(pool.stats.created).to.equal(1);
  });

  it('operations on a member whose connection fails get ConnectionError, and the member is replaced', async () => {
    const pool = poolOf({ size: 1 });
    await pool.whoami();
    const [doomed] = pool.clients;
    const running = pool.search(personDN(personUid(1)), { scope: 'base' }).then(() => undefined, (error: unknown) => error);
    doomed!.destroy();
    expect(await running).to.be.instanceOf(ConnectionError);
    expect(await pool.whoami()).to.equal(`dn:${slapd.adminDN}`);
    expect(pool.clients).to.have.length(1);
    expect(pool.clients[0]).to.not.equal(doomed);
  });

  it('a lease whose client was destroyed is replaced on release', async () => {
    const pool = poolOf({ size: 2 });
    const lease = await pool.acquire();
    lease.client.destroy();
    await lease.release();
    expect(pool.clients).to.not.include(lease.client);
    const identities = await Promise.all(Array.from({ length: 20 }, () => pool.whoami()));
    expect(new Set(identities)).to.deep.equal(new Set([`dn:${slapd.adminDN}`]));
    await until(() => pool.size === 2);
  });

  it('maxLifetime closes members once idle and opens fresh ones', async () => {
    const pool = poolOf({ size: 2, maxLifetime: 200 });
    await Promise.all([pool.whoami(), pool.whoami()]);
    const first = [...pool.clients];
    await until(() => pool.stats.closed >= 2 && pool.size === 2);
    expect(first.some((client) => pool.clients.includes(client))).to.equal(false);
    expect(first.every((client) => !client.isConnected)).to.equal(true);
    expect(await pool.whoami()).to.equal(`dn:${slapd.adminDN}`);
  });

  it('idleTimeout closes members above min once they idle', async () => {
    const pool = poolOf({ size: { min: 1, max: 4 }, idleTimeout: 100 });
    for (let wave = 0; wave < 5 && pool.size < 2; wave++) await Promise.all(Array.from({ length: 200 }, () => pool.whoami()));
    expect(pool.size).to.be.greaterThan(1);
    const grown = pool.size;
    await until(() => pool.size === 1);
    expect(pool.stats.closed).to.equal(grown - 1);
    expect(await pool.whoami()).to.equal(`dn:${slapd.adminDN}`);
  });

  it('the health check replaces a member whose connection was killed, and one that fails its check', async () => {
    const failing = new Set<Client>();
    const pool = poolOf({
      size: 2,
      healthCheck: { interval: 50, check: (client) => (failing.has(client) ? Promise.reject(new Error('unhealthy')) : client.search('', { scope: 'base', attributes: ['1.1'] })) },
    });
    await Promise.all(Array.from({ length: 10 }, () => pool.whoami()));
    await until(() => pool.size === 2);
    const [killed, flaky] = pool.clients;
    killed!.destroy();
    await until(() => !pool.clients.includes(killed!) && pool.size === 2);
    failing.add(flaky!);
    await until(() => !pool.clients.includes(flaky!) && pool.size === 2);
    expect(pool.stats.failedHealthChecks).to.be.at.least(1);
    expect(flaky!.isConnected).to.equal(false);
    const leases = [await pool.acquire(), await pool.acquire()];
    for (const lease of leases) expect(await lease.client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    await Promise.all(leases.map((lease) => lease.release()));
  });

  it('drain waits for operations under way and leases, refuses new work, and closes every socket', async () => {
    const baseline = tcpSockets();
    const pool = poolOf({ size: 4 });
    const lease = await pool.acquire();
    const running = Array.from({ length: 100 }, (_, i) => pool.compare(personDN(personUid(1 + i)), 'uid', personUid(1 + i)).then((same) => same));
    const draining = pool.drain();
    const drained = settledYet(draining);
    const refused = await pool.whoami().then(() => undefined, (error: unknown) => error);
    expect(refused).to.be.instanceOf(ConnectionPoolClosedError);
    expect(await Promise.all(running)).to.deep.equal(Array.from({ length: 100 }, () => true));
    expect(await lease.client.whoami()).to.equal(`dn:${slapd.adminDN}`);
    expect(drained.settled, 'drain resolved while a lease was held').to.equal(false);
    await lease.release();
    await draining;
    expect(pool.size).to.equal(0);
    await until(() => tcpSockets() <= baseline);
    expect(tcpSockets()).to.equal(baseline);
  });

  it('await pool.drain() resolves in a process that has nothing else alive (the code after it runs)', async () => {
    const lib = join(__dirname, '..', '..', '..', 'lib');
    const script = `
      const { ConnectionPool } = require(${JSON.stringify(lib)});
      const [url, dn, password] = process.argv.slice(1);
      (async () => {
        const pool = new ConnectionPool({ client: { url }, size: 2, bind: (client) => client.bind(dn, password) });
        await Promise.all([pool.whoami(), pool.whoami()]);
        await pool.drain();
        process.stdout.write('drained ' + pool.size);
      })();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, slapd.url, slapd.adminDN, slapd.adminPassword]);
    expect(stdout).to.equal('drained 0');
  });

  it('destroy settles every waiter: acquire() calls and operations waiting for a member', async () => {
    const pool = poolOf({ size: 1 });
    const lease = await pool.acquire();
    const acquiring = pool.acquire().then(() => undefined, (error: unknown) => error);
    const operation = pool.whoami().then(() => undefined, (error: unknown) => error);
    expect(pool.stats.waiting).to.equal(2);
    pool.destroy();
    expect(await acquiring).to.be.instanceOf(ConnectionPoolClosedError);
    expect(await operation).to.be.instanceOf(ConnectionPoolClosedError);
    expect(lease.client.isConnected).to.equal(false);
    await lease.release();
  });
});
