import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Client } from '../../../lib';
import { sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

interface TcpRow {
  localPort: number;
  /** /proc/net/tcp's `tr`: 0 no timer, 1 retransmit, 2 keepalive (sk_timer), 4 zero-window probe. */
  timer: number;
  /** Clock ticks (USER_HZ) until that timer fires. */
  ticks: number;
}

const USER_HZ = 100; // what /proc/net/tcp counts tm->when in, on every Linux architecture we run on

/** This machine's established IPv4 TCP connections to `port` (the kernel's view: /proc/net/tcp). */
const connectionsTo = (port: number): TcpRow[] =>
  readFileSync('/proc/net/tcp', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => Number.parseInt(fields[2]!.split(':')[1]!, 16) === port && fields[3] === '01')
    .map((fields) => {
      const [timer, ticks] = fields[5]!.split(':');
      return { localPort: Number.parseInt(fields[1]!.split(':')[1]!, 16), timer: Number.parseInt(timer!, 16), ticks: Number.parseInt(ticks!, 16) };
    });

/** The kernel's row for the one connection `client` opens to slapd. */
const rowOfNewConnection = async (client: Client, slapd: SlapdInstance): Promise<TcpRow> => {
  const before = new Set(connectionsTo(slapd.port).map((row) => row.localPort));
  await client.bind(slapd.adminDN, slapd.adminPassword);
  const added = connectionsTo(slapd.port).filter((row) => !before.has(row.localPort));
  expect(added, 'exactly one new connection').to.have.length(1);
  return added[0]!;
};

describe('TCP keepalive on the client connection (half-open connections end in an error, not a hang)', function () {
  this.timeout(30_000);
  let slapd: SlapdInstance;
  before(async () => {
    slapd = await sharedSlapd();
  });

  it('arms keepalive after 60 s of silence by default', async () => {
    const client = new Client({ url: slapd.url });
    try {
      const row = await rowOfNewConnection(client, slapd);
      expect(row.timer, 'keepalive timer armed').to.equal(2);
      expect(row.ticks / USER_HZ).to.be.within(5, 60);
    } finally {
      await client.unbind();
    }
  });

  it('keepAlive sets the idle time before the first probe, and 0 turns it off', async () => {
    const quick = new Client({ url: slapd.url, keepAlive: 3_000 });
    const off = new Client({ url: slapd.url, keepAlive: 0 });
    try {
      const quickRow = await rowOfNewConnection(quick, slapd);
      expect(quickRow.timer).to.equal(2);
      expect(quickRow.ticks / USER_HZ).to.be.at.most(3);
      const offRow = await rowOfNewConnection(off, slapd);
      expect(offRow.timer, 'no timer on an idle connection without keepalive').to.equal(0);
    } finally {
      await quick.unbind();
      await off.unbind();
    }
  });
});
