import { expect } from 'chai';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ndjson, runCli, spawnCli } from '../../support/cli';
import { BASE_DN, baseTreeLdif } from '../../support/data';
import { sharedDs389 } from '../../support/ds389';
import type { Ds389Instance } from '../../support/ds389';
import { requireSuccess, sharedSlapd, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

/** How long an awaited line may take: a bounded wait, never a sleep. */
const WAIT_MS = 10_000;

type WatchLine = {
  type: string;
  dn?: string;
  entryUUID?: string;
  entryUUIDs?: string[];
  phase?: string;
  previousDN?: string;
  attributes?: Record<string, string[]>;
};

/** A running `rxldap watch`: its NDJSON lines as they come, and its end. */
class Watcher {
  readonly lines: WatchLine[] = [];
  stderr = '';
  private partial = '';
  private waiters: Array<() => void> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const text = this.partial + chunk;
      const complete = text.split('\n');
      this.partial = complete.pop() ?? '';
      for (const line of complete) if (line !== '') this.lines.push(JSON.parse(line) as WatchLine);
      this.wake();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      this.wake();
      resolve({ code, signal });
    }));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The index of the first line from `from` on that matches, once it has come (bounded). */
  async waitFor(matches: (line: WatchLine) => boolean, from = 0): Promise<number> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const index = this.lines.findIndex((line, i) => i >= from && matches(line));
      if (index >= 0) return index;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the watch ended (${this.child.exitCode ?? this.child.signalCode}) before the line came; stderr: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such line within ${WAIT_MS} ms; lines: ${JSON.stringify(this.lines.slice(from))}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** entryUUID → DN and description: the content a consumer of the feed holds. */
type Content = Map<string, { dn: string; description: string[] }>;

/**
 * Replays watch output as RFC 4533 says a consumer must (add/modify store, delete removes, the
 * end of a present phase removes what the refresh did not name). One call per run of the
 * command: each run starts a refresh.
 */
const replay = (content: Content, lines: readonly WatchLine[]): void => {
  let named = new Set<string>();
  for (const line of lines) {
    switch (line.type) {
      case 'add':
      case 'modify':
        content.set(line.entryUUID!, { dn: line.dn!, description: [...(line.attributes?.description ?? [])].sort() });
        named.add(line.entryUUID!);
        break;
      case 'present':
        for (const uuid of line.entryUUIDs ?? [line.entryUUID!]) named.add(uuid);
        break;
      case 'delete':
        for (const uuid of line.entryUUIDs ?? [line.entryUUID!]) content.delete(uuid);
        break;
      case 'phaseEnd':
        if (line.phase === 'present') for (const uuid of [...content.keys()]) if (!named.has(uuid)) content.delete(uuid);
        break;
      case 'refreshDone':
        named = new Set();
        break;
      default:
        break;
    }
  }
};

/** The same content read by OpenLDAP's ldapsearch. */
const directoryContent = async (slapd: SlapdInstance, base: string): Promise<Content> => {
  const content: Content = new Map();
  for (const block of (await slapd.ldapsearch(['-LLL', '-b', base, 'entryUUID', 'description'])).split(/\n\n+/)) {
    const values: Record<string, string[]> = {};
    for (const line of block.split('\n')) {
      const match = /^([^:]+)(::?) ?(.*)$/.exec(line);
      if (match === null) continue;
      const [, name = '', colons, raw = ''] = match;
      (values[name.toLowerCase()] ??= []).push(colons === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw);
    }
    if (values.dn !== undefined) content.set(values.entryuuid![0]!, { dn: values.dn[0]!, description: (values.description ?? []).sort() });
  }
  return content;
};

const person = (dn: string, cn: string, description: string): string => `dn: ${dn}\nchangetype: add\nobjectClass: person\ncn: ${cn}\nsn: ${cn}\ndescription: ${description}\n`;
const redescribe = (dn: string, description: string): string => `dn: ${dn}\nchangetype: modify\nreplace: description\ndescription: ${description}\n`;

describe('rxldap watch (the built command, in real processes)', function () {
  this.timeout(90_000);
  let slapd: SlapdInstance;
  let work: string;
  let base: string;
  let asAdmin: Record<string, string>;
  let runs = 0;
  const watchers: Watcher[] = [];

  const start = (args: readonly string[], env: Record<string, string> = asAdmin): Watcher => {
    const watcher = new Watcher(spawnCli(['watch', ...args], env));
    watchers.push(watcher);
    return watcher;
  };

  before(async () => {
    slapd = await sharedSlapd();
    work = mkdtempSync(join(tmpdir(), 'rxldap-watch-'));
    writeFileSync(join(work, 'password'), slapd.adminPassword);
    asAdmin = { RXLDAP_URL: slapd.url, RXLDAP_BINDDN: slapd.adminDN, RXLDAP_PASSWORD_FILE: join(work, 'password') };
  });
  beforeEach(async () => {
    base = `ou=cli-watch-${process.pid}-${++runs},${BASE_DN}`;
    await slapd.ldapmodify(`dn: ${base}\nchangetype: add\nobjectClass: organizationalUnit\nou: cli-watch-${process.pid}-${runs}\n`);
  });
  afterEach(async () => {
    for (const watcher of watchers.splice(0)) {
      watcher.child.kill('SIGKILL');
      await watcher.exited;
    }
    requireSuccess(await slapd.run('ldapdelete', ['-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-r', base]));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('--state: killed with SIGKILL, changes made while it is down, restarted: it resumes from its cookie and misses no change', async () => {
    const state = join(work, `state-${runs}.json`);
    await slapd.ldapmodify([person(`cn=a,${base}`, 'a', 'a1'), person(`cn=b,${base}`, 'b', 'b1'), person(`cn=c,${base}`, 'c', 'c1'), person(`cn=untouched,${base}`, 'untouched', 'u1')].join('\n'));

    const first = start(['-b', base, '--state', state]);
    await first.waitFor((line) => line.type === 'refreshDone');
    await slapd.ldapmodify([person(`cn=d,${base}`, 'd', 'd1'), redescribe(`cn=a,${base}`, 'a2')].join('\n'));
    await first.waitFor((line) => line.type === 'modify' && line.dn === `cn=a,${base}` && line.attributes?.description?.[0] === 'a2');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).to.equal('SIGKILL');
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { version: number; cookie: string; search: { base: string } };
    expect([saved.version, saved.search.base, typeof saved.cookie]).to.deep.equal([1, base, 'string']);

    // while it is down: an add, a modify, a rename, a delete, and a modify of the renamed entry
    await slapd.ldapmodify(
      [
        person(`cn=e,${base}`, 'e', 'e1'),
        redescribe(`cn=b,${base}`, 'b2'),
        `dn: cn=c,${base}\nchangetype: modrdn\nnewrdn: cn=c2\ndeleteoldrdn: 1\n`,
        `dn: cn=d,${base}\nchangetype: delete\n`,
        redescribe(`cn=c2,${base}`, 'c2'),
      ].join('\n'),
    );

    const second = start(['-b', base, '--state', state]);
    const caughtUp = await second.waitFor((line) => line.type === 'refreshDone');
    const resumed = second.lines.slice(0, caughtUp);
    // a resume, not a reload: what did not change since the first run's cookie is not sent again
    // (cn=a may be: the first run may have been killed between writing its change and saving
    // the cookie after it, and a change is written at least once)
    const sent = resumed.filter((line) => line.type === 'add' || line.type === 'modify').map((line) => line.dn);
    expect(sent).to.not.include(`cn=untouched,${base}`).and.not.include(base);
    expect(sent).to.include.members([`cn=e,${base}`, `cn=b,${base}`, `cn=c2,${base}`]);

    // and live again
    await slapd.ldapmodify(redescribe(`cn=e,${base}`, 'e2'));
    await second.waitFor((line) => line.type === 'modify' && line.dn === `cn=e,${base}` && line.attributes?.description?.[0] === 'e2', caughtUp);
    second.child.kill('SIGTERM');
    expect(await second.exited).to.deep.equal({ code: 0, signal: null });
    expect(second.stderr).to.equal('');

    // what the two runs wrote, replayed, is what the directory holds
    const content: Content = new Map();
    replay(content, first.lines);
    replay(content, second.lines);
    const directory = await directoryContent(slapd, base);
    expect(directory.size).to.equal(6); // the ou, a, b, c2, e, untouched
    expect(new Map([...content].sort())).to.deep.equal(new Map([...directory].sort()));
  });

  it('--ldif --state: the change records of two runs (SIGKILL between, changes made meanwhile), applied by rxldap apply to an empty server, rebuild the subtree', async () => {
    const state = join(work, `state-ldif-${runs}.json`);
    await slapd.ldapmodify([person(`cn=a,${base}`, 'a', 'a1'), person(`cn=b,${base}`, 'b', 'b1'), person(`cn=c,${base}`, 'c', 'c1')].join('\n'));
    const output: string[] = [];
    const run = (): { child: ChildProcessWithoutNullStreams; text: () => string; exited: Promise<unknown> } => {
      const child = spawnCli(['watch', '--ldif', '-b', base, '--state', state], asAdmin);
      let text = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (text += chunk));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      return { child, text: () => text, exited };
    };
    const until = async (what: string, probe: () => boolean): Promise<void> => {
      const deadline = Date.now() + WAIT_MS;
      while (!probe()) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const first = run();
    await until('the first refresh', () => first.text().includes(`dn: cn=c,${base}\nchangetype: add\n`));
    await slapd.ldapmodify(redescribe(`cn=a,${base}`, 'a2'));
    await until('the modify of a', () => first.text().includes('description: a2'));
    first.child.kill('SIGKILL');
    await first.exited;
    output.push(first.text());

    await slapd.ldapmodify(
      [person(`cn=d,${base}`, 'd', 'd1'), `dn: cn=b,${base}\nchangetype: modrdn\nnewrdn: cn=b2\ndeleteoldrdn: 1\n`, `dn: cn=c,${base}\nchangetype: delete\n`, redescribe(`cn=b2,${base}`, 'b2')].join('\n'),
    );
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { format: string; known: Record<string, string> };
    expect(saved.format).to.equal('ldif');
    expect(Object.values(saved.known)).to.include(`cn=c,${base}`); // what the delete of c will need, by entryUUID

    const second = run();
    // Every change made meanwhile, d's add included: slapd sends a refresh's entries in entry-ID
    // order, so d (the newest entry) may come after c's delete and b2 (the spec was flaky without it).
    await until('the resumed refresh', () =>
      second.text().includes(`dn: cn=c,${base}\nchangetype: delete\n`) && second.text().includes('description: b2') && second.text().includes(`dn: cn=d,${base}\nchangetype: add\n`));
    second.child.kill('SIGTERM');
    await second.exited;
    output.push(second.text());

    // replay everything on a server that holds only the suffix
    const replica = await startSlapd({ ldif: baseTreeLdif() });
    try {
      writeFileSync(join(work, 'replica-password'), replica.adminPassword);
      const applied = await runCli(['apply', '-c'], { env: { RXLDAP_URL: replica.url, RXLDAP_BINDDN: replica.adminDN, RXLDAP_PASSWORD_FILE: join(work, 'replica-password') }, input: output.join('\n') });
      // a change written twice (killed before its cookie was saved) may fail the second time; nothing else may
      for (const line of ndjson<{ ok: boolean; code?: number; changetype: string }>(applied.stdout)) {
        if (!line.ok) expect([68, 32], JSON.stringify(line)).to.include(line.code);
      }
      const strip = (content: Content): Array<[string, string[]]> => [...content.values()].map((entry): [string, string[]] => [entry.dn, entry.description]).sort();
      expect(strip(await directoryContent(replica, base))).to.deep.equal(strip(await directoryContent(slapd, base)));
      expect(strip(await directoryContent(slapd, base)).map(([dn]) => dn)).to.deep.equal([`cn=a,${base}`, `cn=b2,${base}`, `cn=d,${base}`, base].sort());
    } finally {
      await replica.stop();
    }
  });

  it('--changes-only skips what is there; Ctrl-C (SIGINT) ends it with 0 and nothing on stderr', async () => {
    await slapd.ldapmodify(person(`cn=old,${base}`, 'old', 'there before'));
    const watcher = start(['-b', base, '--changes-only', '(objectClass=person)', 'description']);
    const ready = await watcher.waitFor((line) => line.type === 'refreshDone');
    expect(ready).to.equal(0);
    await slapd.ldapmodify(person(`cn=new,${base}`, 'new', 'arrived'));
    const added = watcher.lines[await watcher.waitFor((line) => line.type === 'add')]!;
    expect(added).to.deep.include({ type: 'add', dn: `cn=new,${base}`, attributes: { description: ['arrived'] } });
    expect(added.entryUUID).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    watcher.child.kill('SIGINT');
    expect(await watcher.exited).to.deep.equal({ code: 0, signal: null });
    expect(watcher.stderr).to.equal('');
  });

  it('refuses a state file kept for another search (exit 1), as a cookie is only good for its own search', async () => {
    const state = join(work, `state-other-${runs}.json`);
    const watcher = start(['-b', base, '--state', state]);
    await watcher.waitFor((line) => line.type === 'refreshDone');
    await slapd.ldapmodify(person(`cn=x,${base}`, 'x', 'x'));
    await watcher.waitFor((line) => line.type === 'add' && line.dn === `cn=x,${base}`);
    watcher.child.kill('SIGTERM');
    await watcher.exited;
    const other = await runCli(['watch', '-b', base, '--state', state, '(cn=x)'], { env: asAdmin });
    expect(other.code).to.equal(1);
    expect(other.stderr).to.include(`follows another search (base ${JSON.stringify(base)}, scope sub, filter (objectClass=*))`);
    writeFileSync(state, 'not json');
    const corrupt = await runCli(['watch', '-b', base, '--state', state], { env: asAdmin });
    expect([corrupt.code, corrupt.stderr]).to.deep.equal([1, `rxldap: ${state} is not a state file of rxldap watch\n(see rxldap watch --help)\n`]);
  });

  describe('on 389 Directory Server (persistent search, no syncrepl)', () => {
    let ds: Ds389Instance;
    let home: string;
    before(async function () {
      this.timeout(240_000); // the first to ask creates the instance (dscreate)
      ds = await sharedDs389();
      home = `ou=cli-psearch-${process.pid},${ds.peopleDN}`;
      requireSuccess(await ds.run('ldapadd', ['-x', '-H', ds.url, '-D', ds.rootDN, '-w', ds.rootPassword], { input: `dn: ${home}\nobjectClass: organizationalUnit\nou: cli-psearch-${process.pid}\n` }));
    });
    after(async () => {
      await ds?.run('ldapdelete', ['-x', '-H', ds.url, '-D', ds.rootDN, '-w', ds.rootPassword, '-r', home]);
    });

    it('falls back to persistent search and reports changes; --state is refused there (exit 1)', async () => {
      writeFileSync(join(work, 'ds-password'), ds.rootPassword);
      const env = { RXLDAP_URL: ds.url, RXLDAP_BINDDN: ds.rootDN, RXLDAP_PASSWORD_FILE: join(work, 'ds-password') };
      const refused = await runCli(['watch', '-b', home, '--state', join(work, 'ds-state.json')], { env });
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.match(/--state needs syncrepl/);

      const watcher = start(['-b', home, '--changes-only', '(objectClass=person)', 'sn'], env);
      // A persistent search says nothing when it is registered: add markers until one is reported.
      let marker = 0;
      for (; marker < 20; marker++) {
        requireSuccess(await ds.run('ldapadd', ['-x', '-H', ds.url, '-D', ds.rootDN, '-w', ds.rootPassword], { input: `dn: cn=m${marker},${home}\nobjectClass: person\ncn: m${marker}\nsn: marker\n` }));
        const seen = await Promise.race([watcher.waitFor((line) => line.dn === `cn=m${marker},${home}`).then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300))]);
        if (seen) break;
      }
      expect(marker).to.be.lessThan(20);
      const from = watcher.lines.length;
      requireSuccess(await ds.run('ldapmodify', ['-x', '-H', ds.url, '-D', ds.rootDN, '-w', ds.rootPassword], { input: `dn: cn=m${marker},${home}\nchangetype: modrdn\nnewrdn: cn=renamed\ndeleteoldrdn: 1\n` }));
      const moved = watcher.lines[await watcher.waitFor((line) => line.type === 'modDN', from)]!;
      expect(moved).to.deep.equal({ type: 'modDN', dn: `cn=renamed,${home}`, previousDN: `cn=m${marker},${home}`, attributes: { sn: ['marker'] } });
      watcher.child.kill('SIGTERM');
      expect(await watcher.exited).to.deep.equal({ code: 0, signal: null });
    });
  });
});
