import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../../../lib';
import { BASE_DN, PEOPLE_DN, generatePeople, personDN, personUid, seededRandom } from '../../support/data';
import { startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import type { SyncChildConfig } from '../../support/sync-child';
import { DURABLE_STORES, durableStore, readStore } from '../../support/sync-stores';
import { comparable, ldapsearchState, setSessionLog } from './directory-state';

const STAFF_DN = `ou=staff,${BASE_DN}`;
const FILTER = '(objectClass=inetOrgPerson)';
const PEOPLE = 300;
const ROUNDS = 22;
/** Small enough that a long downtime overflows it (a present phase), large enough that a short one does not (a delete phase). */
const SESSION_LOG = 150;
const CHILD = join(__dirname, '../../support/sync-child.js');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A running sync-child: its stdout lines, and a promise of its exit. */
class Child {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';
  private listeners: Array<() => void> = [];
  private readonly process: ChildProcess;

  constructor(config: SyncChildConfig) {
    this.process = spawn(process.execPath, [CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.process.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      this.lines.push(...parts);
      for (const listener of this.listeners) listener();
    });
    this.process.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get failure(): string {
    return this.stderr;
  }

  /** Resolves once a line starting with `prefix` came; rejects if the child exits first. */
  waitFor(prefix: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.lines.some((line) => line.startsWith(prefix))) resolve();
      };
      this.listeners.push(check);
      check();
      void this.exited.then(({ code, signal }) => reject(new Error(`sync-child exited (${code ?? signal}) before '${prefix}': ${this.stderr}`)));
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }
}

/**
 * Changes the directory without pause (but for a few ms between writes) until stopped: modifies,
 * adds, deletes, renames and moves between ou=people and ou=staff, picked with a seeded PRNG.
 */
class Writer {
  operations = 0;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly dns: string[] = Array.from({ length: PEOPLE }, (_, i) => personDN(personUid(i + 1)));
  private nextUid = PEOPLE + 1;

  constructor(private readonly client: Client, private readonly random: () => number) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Resolves once `count` more operations are done. */
  async waitForOperations(count: number): Promise<void> {
    const target = this.operations + count;
    while (this.operations < target) await sleep(10);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.step();
      this.operations++;
      await sleep(4);
    }
  }

  private async step(): Promise<void> {
    const roll = this.random();
    const index = Math.floor(this.random() * this.dns.length);
    const dn = this.dns[index]!;
    if (roll < 0.5 || this.dns.length < 50) {
      const value = `v${this.operations}`;
      const changes = [
        { operation: 'replace', attribute: 'mail', values: `${value}@example.com` },
        { operation: 'replace', attribute: 'description', values: [value, `${value} again`] },
        { operation: 'replace', attribute: 'telephoneNumber', values: `+1 555 ${this.operations}` },
      ] as const;
      await this.client.modify(dn, [changes[Math.floor(this.random() * changes.length)]!]);
    } else if (roll < 0.7) {
      const uid = personUid(this.nextUid++);
      const newDn = personDN(uid);
      await this.client.add(newDn, { objectClass: ['inetOrgPerson'], uid, cn: `New ${uid}`, sn: 'New', mail: `${uid}@example.com` });
      this.dns.push(newDn);
    } else if (roll < 0.85) {
      await this.client.delete(dn);
      this.dns.splice(index, 1);
    } else if (roll < 0.95) {
      const uid = `r${this.operations}`;
      const parent = dn.slice(dn.indexOf(',') + 1);
      await this.client.modifyDN(dn, `uid=${uid}`);
      this.dns[index] = `uid=${uid},${parent}`;
    } else {
      const rdn = dn.slice(0, dn.indexOf(','));
      const parent = dn.endsWith(PEOPLE_DN) ? STAFF_DN : PEOPLE_DN;
      await this.client.modifyDN(dn, rdn, { newSuperior: parent });
      this.dns[index] = `${rdn},${parent}`;
    }
  }
}

for (const storeName of DURABLE_STORES) describe(`SyncReplConsumer killed at random points (real slapd, child processes, ${storeName} store)`, function () {
  this.timeout(90_000);
  let slapd: SlapdInstance;
  let dir: string;
  let client: Client;
  const children: Child[] = [];

  before(async () => {
    slapd = await startSlapd({ ldif: generatePeople(PEOPLE, { groupSize: 0 }) + `dn: ${STAFF_DN}\nobjectClass: organizationalUnit\nou: staff\n\n` });
    await setSessionLog(slapd, SESSION_LOG);
    dir = await mkdtemp(join(tmpdir(), 'rxldap-sync-crash-'));
    client = new Client({ url: slapd.url, timeout: 20_000 });
    await client.bind(slapd.adminDN, slapd.adminPassword);
  });
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    await client.unbind();
    await slapd.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it(`after ${ROUNDS} SIGKILLs under a stream of changes, the restarted consumer's store equals the directory`, async () => {
    const random = seededRandom(20_261_121);
    const config = (mode: SyncChildConfig['mode']): SyncChildConfig => ({
      url: slapd.url, bindDN: slapd.adminDN, password: slapd.adminPassword, base: BASE_DN, filter: FILTER, storeDir: dir, store: storeName, mode,
    });
    const start = (mode: SyncChildConfig['mode']): Child => {
      const child = new Child(config(mode));
      children.push(child);
      return child;
    };
    const writer = new Writer(client, random);
    writer.start();
    let killedWhileSyncing = 0;
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const child = start(random() < 0.3 ? 'refreshOnly' : 'refreshAndPersist');
        if (round > 1 && round % 5 === 1) {
          await child.waitFor('phase '); // after a long downtime: let this one see its present phase through
          await sleep(random() * 200);
          killedWhileSyncing++;
        } else if (round > 1 && random() < 0.2) {
          await sleep(random() * 150); // while it loads the store or connects
        } else {
          await child.waitFor('bound');
          await sleep(random() * 400);
          killedWhileSyncing++;
        }
        child.kill('SIGKILL');
        const { signal } = await child.exited;
        expect(signal, `round ${round} died of something else: ${child.failure}`).to.equal('SIGKILL');
        // Now and then stay down long enough for the session log to forget the stored cookie.
        if (round % 5 === 0) await writer.waitForOperations(SESSION_LOG * 2);
      }
    } finally {
      await writer.stop();
    }

    const final = start('refreshAndPersist');
    await final.waitFor('refreshDone');
    final.kill('SIGTERM');
    const exit = await final.exited;
    expect(exit.code, final.failure).to.equal(0);

    // Entry by entry against OpenLDAP's own ldapsearch, which owes nothing to rxldap.
    const stored = await readStore(durableStore(storeName, dir));
    const server = await ldapsearchState(slapd, BASE_DN, { scope: 'sub', filter: FILTER });
    expect(server.size).to.be.greaterThan(PEOPLE / 2);
    expect(comparable(stored.records)).to.deep.equal(comparable(server));

    // The kills landed where they mattered, and restarts met both kinds of refresh.
    expect(killedWhileSyncing).to.be.greaterThan(ROUNDS / 2);
    expect(writer.operations).to.be.greaterThan(ROUNDS * 10);
    const phases = children.flatMap((child) => {
      const resumed = child.lines.includes('bound resumed=yes');
      return child.lines.filter((line) => line.startsWith('phase ')).map((line) => `${line} ${resumed ? 'resumed' : 'initial'}`);
    });
    if (process.env.SYNC_STATS) console.log(JSON.stringify({ writes: writer.operations, killedWhileSyncing, phases: phases.reduce<Record<string, number>>((c, p) => ({ ...c, [p]: (c[p] ?? 0) + 1 }), {}), records: stored.records.size, refreshDones: children.map((c) => c.lines.filter((l) => l === 'refreshDone').length) }));
    expect(phases).to.include('phase present resumed');
    expect(phases).to.include('phase delete resumed');
  });
});
