/**
 * The rig's server lives (issue 12): a slapd killed and restarted on the same ports with its
 * data, paused like a hung server, cleaned up after its owner dies even with a new pid; and two
 * providers in multi-provider replication that catch up after either was killed. Checked with
 * OpenLDAP's CLI tools (and rxldap's Client only for plain reads), so a failure points at the rig.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '../../lib';
import { generatePeople, PEOPLE_DN, personDN, personUid } from '../support/data';
import { isAlive, isStopped, startProviderPair, startSlapd } from '../support/slapd';
import type { ProviderPair, SlapdInstance } from '../support/slapd';

const CHILD = join(__dirname, '../support/slapd/restarted-child.js');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (what: string, condition: () => boolean, ms = 15_000): Promise<void> => {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
};
const values = (ldif: string, attribute: string): string[] =>
  ldif.split('\n').filter((line) => line.startsWith(`${attribute}: `)).map((line) => line.slice(attribute.length + 2));
const describeAs = (dn: string, text: string): string => `dn: ${dn}\nchangetype: modify\nreplace: description\ndescription: ${text}\n`;

/** What rxldap's Client reads as the rootdn: the description of `dn`. */
const descriptionVia = async (slapd: SlapdInstance, dn: string): Promise<string | undefined> => {
  const client = new Client({ url: slapd.url, timeout: 10_000 });
  try {
    await client.bind(slapd.adminDN, slapd.adminPassword);
    const [entry] = await client.search(dn, { scope: 'base', attributes: ['description'] });
    return entry?.get('description');
  } finally {
    await client.unbind();
  }
};

const whoamiAsAdmin = (slapd: SlapdInstance, url = slapd.url): ReturnType<SlapdInstance['run']> =>
  slapd.run('ldapwhoami', ['-x', '-H', url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-o', 'nettimeout=5']);

describe('slapd rig: kill, restart, pause, replication (issue 12)', function () {
  this.timeout(60_000);

  describe('one instance', () => {
    it('SIGKILL ends it (its port refuses); restart() answers on the same ports with its data and a new pid; stop() ends the new one', async () => {
      const slapd = await startSlapd({ ldif: generatePeople(50, { groupSize: 0 }) });
      const dn = personDN(personUid(1));
      const before = { url: slapd.url, ldapsUrl: slapd.ldapsUrl, ldapiUrl: slapd.ldapiUrl, port: slapd.port };
      const firstPid = slapd.pid;
      try {
        await slapd.ldapmodify(describeAs(dn, 'written before the crash'));
        await slapd.kill();
        expect(isAlive(firstPid), `slapd ${firstPid} still running`).to.equal(false);
        expect(existsSync(join(slapd.dir, 'slapd.pid')), 'stale pid file').to.equal(false);
        const refused = await whoamiAsAdmin(slapd);
        expect(refused.code, refused.stderr).to.equal(255); // Can't contact LDAP server

        await slapd.restart();
        expect(slapd.pid).to.not.equal(firstPid);
        expect(isAlive(slapd.pid)).to.equal(true);
        expect({ url: slapd.url, ldapsUrl: slapd.ldapsUrl, ldapiUrl: slapd.ldapiUrl, port: slapd.port }).to.deep.equal(before);
        expect(await descriptionVia(slapd, dn)).to.equal('written before the crash');
        const ldaps = await whoamiAsAdmin(slapd, slapd.ldapsUrl);
        expect(ldaps.code, ldaps.stderr).to.equal(0);
        const external = await slapd.run('ldapwhoami', ['-Q', '-Y', 'EXTERNAL', '-H', slapd.ldapiUrl]);
        expect(external.stdout.trim(), external.stderr).to.equal(`dn:${slapd.externalDN}`);
      } finally {
        await slapd.stop();
      }
      expect(isAlive(slapd.pid), `restarted slapd ${slapd.pid} still running`).to.equal(false);
      expect(existsSync(slapd.dir), `${slapd.dir} still exists`).to.equal(false);
      const late = await slapd.restart().then(() => 'restarted', (error: Error) => error.message);
      expect(late).to.match(/stopped for good/);
    });

    it('restart() of a running slapd is a clean restart on the same port; kill() refuses signals that do not end it', async () => {
      const slapd = await startSlapd({ ldif: generatePeople(5, { groupSize: 0 }) });
      try {
        const firstPid = slapd.pid;
        await slapd.restart();
        expect(isAlive(firstPid)).to.equal(false);
        expect(slapd.pid).to.not.equal(firstPid);
        expect((await whoamiAsAdmin(slapd)).stdout.trim()).to.equal(`dn:${slapd.adminDN}`);
        const refused = await slapd.kill('SIGSTOP').then(() => 'killed', (error: Error) => error.message);
        expect(refused).to.match(/use pause\(\)/);
        expect(isAlive(slapd.pid)).to.equal(true);
      } finally {
        await slapd.stop();
      }
    });

    it('pause() stops every thread: a bind gets no answer until resume(); stop() ends a paused slapd', async () => {
      const slapd = await startSlapd({ ldif: generatePeople(5, { groupSize: 0 }) });
      try {
        await slapd.pause();
        expect(isStopped(slapd.pid)).to.equal(true);
        let settled = false;
        const whoami = whoamiAsAdmin(slapd).finally(() => {
          settled = true;
        });
        // A stopped process cannot answer: if this ever sees an answer, pause() did not hold.
        await sleep(300);
        expect(settled, 'answered while paused').to.equal(false);
        await slapd.resume();
        expect(isStopped(slapd.pid)).to.equal(false);
        const answer = await whoami;
        expect(answer.code, answer.stderr).to.equal(0);
        await slapd.pause();
      } finally {
        await slapd.stop();
      }
      expect(isAlive(slapd.pid)).to.equal(false);
    });

    for (const [how, signal, path] of [['SIGKILL', 'SIGKILL', 'the watchdog'], ['SIGTERM', 'SIGTERM', 'the exit sweep']] as const) {
      it(`a restarted slapd is ended when its owner dies of ${how} (${path}), and its dir removed`, async () => {
        const child = spawn(process.execPath, [CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        const exited = once(child, 'exit');
        await until('the child reported its restarted slapd', () => out.includes('\n') || child.exitCode !== null, 30_000);
        expect(err).to.equal('');
        const { pid, firstPid, dir } = JSON.parse(out) as { pid: number; firstPid: number; dir: string };
        expect(pid).to.not.equal(firstPid);
        expect(isAlive(pid)).to.equal(true);
        child.kill(signal);
        await exited;
        await until(`slapd ${pid} ended`, () => !isAlive(pid));
        await until(`${dir} removed`, () => !existsSync(dir));
      });
    }
  });

  describe('two providers in multi-provider replication', () => {
    let pair: ProviderPair;
    const PEOPLE = 2_000;

    before(async () => {
      pair = await startProviderPair({ ldif: generatePeople(PEOPLE) });
    });
    after(async () => {
      await pair?.stop();
    });

    it('start in sync: B holds A\'s entries with the same entryUUID, and both the same contextCSN', async () => {
      const dn = personDN(personUid(PEOPLE));
      const [onA, onB] = await Promise.all([pair.a, pair.b].map((p) => p.ldapsearch(['-LLL', '-s', 'base', '-b', dn, 'entryUUID', 'entryCSN'])));
      expect(values(onA!, 'entryUUID')).to.have.length(1);
      expect(onB).to.equal(onA);
      expect(await pair.contextCSN(pair.b)).to.deep.equal(await pair.contextCSN(pair.a));
      expect(pair.a.port).to.not.equal(pair.b.port);
    });

    it('a change on A reaches B and a change on B reaches A, each stamped with its own server ID', async () => {
      await pair.a.ldapmodify(describeAs(personDN(personUid(1)), 'changed on A'));
      await pair.b.ldapmodify(describeAs(personDN(personUid(2)), 'changed on B'));
      const csn = await pair.waitInSync();
      expect(await descriptionVia(pair.b, personDN(personUid(1)))).to.equal('changed on A');
      expect(await descriptionVia(pair.a, personDN(personUid(2)))).to.equal('changed on B');
      expect(csn.map((value) => value.split('#')[2])).to.include.members(['001', '002']);
    });

    for (const [down, up] of [['a', 'b'], ['b', 'a']] as const) {
      it(`${down.toUpperCase()} killed, writes on ${up.toUpperCase()}, ${down.toUpperCase()} restarted: it catches up, and its own writes reach ${up.toUpperCase()} again`, async () => {
        const dead = pair[down];
        const alive = pair[up];
        const added = `uid=while-${down}-down,${PEOPLE_DN}`;
        const changed = personDN(personUid(down === 'a' ? 10 : 20));
        const deadPid = dead.pid;
        await dead.kill();
        expect(isAlive(deadPid)).to.equal(false);
        await alive.ldapmodify(`dn: ${added}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: while-${down}-down\ncn: While Down\nsn: Down\n`);
        await alive.ldapmodify(describeAs(changed, `changed on ${up} while ${down} was down`));
        await dead.restart();
        await pair.waitInSync();
        expect(await dead.ldapsearch(['-LLL', '-s', 'base', '-b', added, 'uid'])).to.contain(`uid: while-${down}-down`);
        expect(await descriptionVia(dead, changed)).to.equal(`changed on ${up} while ${down} was down`);
        // The survivor's consumer of the restarted one reconnects by itself (retry every second).
        await dead.ldapmodify(describeAs(added, `written on ${down} after its restart`));
        await pair.waitInSync();
        expect(await descriptionVia(alive, added)).to.equal(`written on ${down} after its restart`);
      });
    }
  });
});
