/**
 * The change-feed benchmark of issue 15: the SyncReplConsumer with each store against a
 * throw-away slapd of N generated entries (slapadd), beside OpenLDAP's `ldapsearch -E sync=ro`
 * and python-ldap's SyncreplConsumer: initial sync, resume with nothing changed, resume after
 * 1,000 modifies and 100 deletes, live changes (lag from the write to the durable commit), peak
 * RSS of each process; and a scale step that builds a store of millions of entries without a
 * server and reads it back. Prints a table and the targets; writes bench/results/sync.json.
 * See bench/README.md.
 *
 *   node dist/bench/sync.js [--entries 100000,1000000] [--stores memory,file,sqlite,sqlite-thread] [--scale 3000000]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '../lib';
import { personDN, personUid, seededRandom } from '../spec/support/data';
import { exitWithUsageOnHelp, integerOptions } from './support/cli';
import { findRepoRoot } from './support/decoders';
import { startBenchDirectory } from './support/directory';
import type { BenchDirectory } from './support/directory';
import { hasGnuTime, measure } from './support/measure';
import type { Measured } from './support/measure';
import { changeDirectory, consumerRun, ldapsearchRun, pickPeople, pipelined, pythonRun, pythonWithLdap, restorePeople } from './sync/contenders';
import type { StoreKind, SyncJobResult } from './sync/job';
import { printReport } from './sync/report';
import type { Row, ScaleRow, SizeReport } from './sync/report';
import { runScale } from './sync/scale';

const STORES: readonly StoreKind[] = ['memory', 'file', 'sqlite', 'sqlite-thread'];
/** What runs without --stores (sqlite-thread on request). */
const DEFAULT_STORES: readonly StoreKind[] = ['memory', 'file', 'sqlite'];
const MODIFIES = 1000;
const DELETES = 100;

const USAGE = 'usage: node dist/bench/sync.js [--entries N[,N...]] [--stores memory,file,sqlite,sqlite-thread] [--live-changes N] [--live-in-flight N] [--scale N (0: skip)]';

const parseOptions = (argv: string[]): { entries: number[]; stores: StoreKind[]; liveChanges: number; liveInFlight: number; scale: number } => {
  const { values } = parseArgs({
    args: argv,
    options: { entries: { type: 'string' }, stores: { type: 'string' }, 'live-changes': { type: 'string' }, 'live-in-flight': { type: 'string' }, scale: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  exitWithUsageOnHelp(values.help, USAGE);
  const integer = integerOptions(USAGE);
  const stores = (values.stores ?? DEFAULT_STORES.join(',')).split(',').map((s) => s.trim());
  for (const store of stores) if (!(STORES as readonly string[]).includes(store)) throw new Error(`--stores: unknown store '${store}'\n${USAGE}`);
  return {
    entries: (values.entries ?? '100000').split(',').map((text) => integer('entries', text, 100_000, 1)),
    stores: stores as StoreKind[],
    liveChanges: integer('live-changes', values['live-changes'], 10_000, 1),
    liveInFlight: integer('live-in-flight', values['live-in-flight'], 16, 1),
    scale: integer('scale', values.scale, 0, 0),
  };
};

const parse = (run: Measured): SyncJobResult => JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as SyncJobResult;

const diskBytes = (path: string): number => {
  try {
    const stat = statSync(path);
    if (!stat.isDirectory()) {
      // SQLite: the file and its -wal beside it.
      return [path, `${path}-wal`].reduce((sum, file) => sum + (statSync(file, { throwIfNoEntry: false })?.size ?? 0), 0);
    }
    return readdirSync(path).reduce((sum, name) => sum + statSync(join(path, name)).size, 0);
  } catch {
    return 0;
  }
};

/** Live changes: a consumer in refreshAndPersist (after it resumed) and the writer at full speed. */
const runLive = async (directory: BenchDirectory, writer: Client, store: StoreKind, storePath: string, changes: number, inFlight: number): Promise<NonNullable<Row['live']>> => {
  const { spawn } = await import('node:child_process');
  const spec = consumerRun(directory, store, storePath, 'live', changes);
  const child = spawn(spec.command, [...spec.args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`live consumer exited (${code}) before it was ready`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await ready;
  const random = seededRandom(99);
  const people = pickPeople(directory.entries, Math.min(changes, directory.entries), random);
  // When slapd answered each write: the lag the consumer is judged by runs from there (the change
  // exists on the server) to the commit; from the request it also counts the writes queued in
  // slapd behind the writer's others, which no consumer can shorten. Both are reported.
  const answeredAt = new Map<number, number>();
  const writeMs = await pipelined(changes, inFlight, async (k) => {
    const i = people[k % people.length]!;
    const stamp = performance.timeOrigin + performance.now();
    await writer.modify(personDN(personUid(i, directory.uidWidth)), [{ operation: 'replace', attribute: 'description', values: `t=${stamp}` }]);
    answeredAt.set(stamp, performance.timeOrigin + performance.now());
  });
  const code = await exited;
  if (code !== 0) throw new Error(`live consumer failed (exit ${code})`);
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as SyncJobResult;
  // A change can be committed before the writer has read slapd's answer to it: no lag then.
  const fromAnswer = (result.commits ?? []).map(([stamp, committedAt]) => Math.max(0, committedAt - (answeredAt.get(stamp) ?? stamp))).sort((a, b) => a - b);
  const at = (p: number): number => fromAnswer[Math.min(fromAnswer.length - 1, Math.floor((p / 100) * fromAnswer.length))] ?? 0;
  return { writesPerSecond: (changes * 1000) / writeMs, ...result.lag!, fromAnswer: { p50: at(50), p99: at(99), max: fromAnswer[fromAnswer.length - 1] ?? 0 } };
};

const runSize = async (repoRoot: string, entries: number, options: ReturnType<typeof parseOptions>, gnuTime: boolean, python: string | undefined): Promise<SizeReport> => {
  console.log(`\n== ${entries.toLocaleString('en')} entries: starting slapd (slapadd of the generated LDIF)`);
  const directory = await startBenchDirectory(repoRoot, entries);
  const writer = new Client({ url: directory.slapd.url, timeout: 600_000 });
  await writer.bind(directory.slapd.adminDN, directory.slapd.adminPassword);
  const scratch = mkdtempSync(join(tmpdir(), 'rxldap-bench-sync-'));
  const rows: Row[] = [];
  const pid = directory.slapd.pid;
  try {
    const ldapsearch = await measure(ldapsearchRun(directory), gnuTime, pid);
    console.log(`ldapsearch -E sync=ro: ${(ldapsearch.wallMs / 1000).toFixed(2)} s`);
    let pythonRunResult: Measured | undefined;
    if (python !== undefined) {
      pythonRunResult = await measure(pythonRun(directory, python), gnuTime, pid);
      const counted = (JSON.parse(pythonRunResult.stdout.trim()) as { entries: number }).entries;
      if (counted !== entries) throw new Error(`python-ldap counted ${counted} entries, not ${entries}`);
      console.log(`python-ldap SyncreplConsumer: ${(pythonRunResult.wallMs / 1000).toFixed(2)} s`);
    } else {
      console.log('python-ldap: not available (Debian: apt-get install python3-ldap); its column stays empty');
    }
    for (const store of options.stores) {
      const storePath = join(scratch, store.startsWith('sqlite') ? `${store}.sqlite` : store);
      const initial = await measure(consumerRun(directory, store, storePath, 'refreshOnly'), gnuTime, pid);
      const first = parse(initial);
      if (first.adds !== entries || first.size !== entries) throw new Error(`${store}: initial sync added ${first.adds}, holds ${first.size}; expected ${entries}`);
      const row: Row = { store, initial, progressEvents: first.progress };
      console.log(`${store}: initial ${(initial.wallMs / 1000).toFixed(2)} s`);
      if (store !== 'memory') {
        row.resume = await measure(consumerRun(directory, store, storePath, 'refreshOnly'), gnuTime, pid);
        const unchanged = parse(row.resume);
        if (unchanged.adds + unchanged.changes + unchanged.deletes !== 0) throw new Error(`${store}: resume with nothing changed reported changes`);
        const people = pickPeople(entries, MODIFIES + DELETES, seededRandom(entries));
        await changeDirectory(writer, directory, people, MODIFIES, store);
        row.changed = await measure(consumerRun(directory, store, storePath, 'refreshOnly'), gnuTime, pid);
        const after = parse(row.changed);
        if (after.changes !== MODIFIES || after.deletes !== DELETES) throw new Error(`${store}: resume after changes saw ${after.changes} changes and ${after.deletes} deletes`);
        await restorePeople(directory, people.slice(MODIFIES));
        row.diskBytes = diskBytes(storePath);
        row.live = await runLive(directory, writer, store, storePath, options.liveChanges, options.liveInFlight);
        console.log(`${store}: resume ${(row.resume.wallMs / 1000).toFixed(2)} s, after changes ${(row.changed.wallMs / 1000).toFixed(2)} s, live lag p99 ${row.live?.p99.toFixed(1)} ms`);
      }
      rows.push(row);
      rmSync(storePath, { recursive: true, force: true });
      rmSync(`${storePath}-wal`, { force: true });
      rmSync(`${storePath}-shm`, { force: true });
    }
    return { entries, ldapsearch, python: pythonRunResult, rows };
  } finally {
    await writer.unbind().catch(() => undefined);
    await directory.slapd.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
};

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = findRepoRoot();
  const gnuTime = hasGnuTime();
  if (!gnuTime) console.warn('GNU time (/usr/bin/time) not found: peak RSS is n/a (Debian: apt-get install time)');
  const python = pythonWithLdap();
  console.log(`sync bench: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, stores ${options.stores.join(',')}`);
  const sizes: SizeReport[] = [];
  const resultsDir = join(repoRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const save = (scale: readonly ScaleRow[], report: string[]): void =>
    writeFileSync(join(resultsDir, 'sync.json'), JSON.stringify({ when: new Date().toISOString(), cpus: cpus().length, load: loadavg(), options, sizes, scale, report }, null, 2));
  for (const entries of options.entries) {
    sizes.push(await runSize(repoRoot, entries, options, gnuTime, python));
    save([], printReport(sizes, [])); // what is measured so far, in case a later size fails
  }
  const scale: ScaleRow[] = options.scale > 0 ? await runScale(options.scale, gnuTime) : [];
  console.log(`\n== all sizes (load now ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  save(scale, printReport(sizes, scale));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
