/**
 * Issue 12: a pool of 8 connections under 10,000 mixed operations, with one of two providers
 * killed midway. Every operation succeeds or fails with a typed error, none hangs, none is lost,
 * and the pool ends with 8 healthy connections to the survivor.
 */
import { expect } from 'chai';
import { ConnectionPool, RxLdapError } from '../../../lib';
import { generatePeople, personDN, personUid } from '../../support/data';
import { startProviderPair } from '../../support/slapd';
import type { ProviderPair } from '../../support/slapd';

const OPERATIONS = 10_000;
const CONCURRENCY = 200;
const PEOPLE = 200;

describe('ConnectionPool across the loss of a server (issue 12)', function () {
  this.timeout(180_000);
  let pair: ProviderPair;
  before(async () => {
    pair = await startProviderPair({ ldif: generatePeople(PEOPLE, { groupSize: 0 }) });
  });
  after(async () => {
    await pair?.stop();
  });

  it('8 members, 10,000 mixed operations, the first provider killed midway: all settle, typed failures only, 8 members on the survivor at the end', async () => {
    const pool = new ConnectionPool({
      client: { servers: [pair.a.url, pair.b.url], timeout: 20_000, reconnect: { initialDelay: 20, maxDelay: 200 }, exhaust: 120 },
      size: 8,
      bind: (client) => client.bind(pair.a.adminDN, pair.a.adminPassword),
    });
    let started = 0;
    let succeeded = 0;
    const untyped: unknown[] = [];
    let typed = 0;
    const one = async (i: number): Promise<void> => {
      const uid = personUid((i % PEOPLE) + 1);
      try {
        if (i % 3 === 0) await pool.search(personDN(uid), { scope: 'base', attributes: ['cn'] });
        else if (i % 3 === 1) await pool.compare(personDN(uid), 'uid', uid);
        else await pool.modify(personDN(uid), [{ operation: 'replace', attribute: 'description', values: [`op ${i}`] }]);
        succeeded++;
      } catch (error) {
        if (error instanceof RxLdapError) typed++;
        else untyped.push(error);
      }
    };
    const worker = async (): Promise<void> => {
      while (started < OPERATIONS) {
        const i = started++;
        if (i === OPERATIONS / 2) await pair.a.kill();
        await one(i);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(succeeded + typed + untyped.length, 'every operation settled, none lost').to.equal(OPERATIONS);
    expect(untyped, 'failures are typed').to.deep.equal([]);
    expect(succeeded, 'most operations succeed').to.be.above(OPERATIONS * 0.9);

    // The pool heals onto the survivor: 8 bound members, every one on B.
    for (let i = 0; i < 8; i++) await Promise.all(Array.from({ length: 16 }, (_, j) => pool.whoami().catch(() => `retry ${j}`)));
    const whoamis = await Promise.all(Array.from({ length: 64 }, () => pool.whoami()));
    expect(new Set(whoamis)).to.deep.equal(new Set([`dn:${pair.b.adminDN}`]));
    expect(pool.size).to.equal(8);
    const portOfB = Number(new URL(pair.b.url).port);
    expect(pool.clients.map((client) => client.url.port)).to.deep.equal(Array.from({ length: 8 }, () => portOfB));
    await pool.drain();
  });
});
