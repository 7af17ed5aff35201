/**
 * The performance suite of issue 5: rxldap next to ldapts, ldapjs and OpenLDAP's ldapsearch,
 * against a throw-away slapd, each client in a process of its own, taking turns round after
 * round; then the decode benchmark and the import-time probe. Prints one line per target and
 * writes everything to bench/results/latest.json. See bench/README.md.
 *
 *   node dist/bench/run.js [--entries 100000] [--rounds 5] [--warmup 1] [--only stream,paged,...]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Scenario } from './clients/job';
import { contender, ldifOutFile, otherBuild, SCENARIO_CONTENDERS } from './support/contenders';
import { esmPackageEntry, packageEntry } from './support/package-entry';
import type { Contender, OtherBuild, ScenarioSettings } from './support/contenders';
import { findRepoRoot } from './support/decoders';
import { startBenchDirectory } from './support/directory';
import type { BenchDirectory } from './support/directory';
import { hasGnuTime, measure } from './support/measure';
import { startMemoryServer } from './support/memory-directory';
import type { RunSpec } from './support/measure';
import { summarize } from './support/stats';
import type { ContenderSummary, ProcessRun } from './support/stats';
import { addedTime, describe, peakRss, peakRssRatio, throughputRatio, wallTimeRatio } from './support/targets';
import type { Verdict } from './support/targets';
import { exitWithUsageOnHelp, integerOptions } from './support/cli';

const PARTS = ['stream', 'paged', 'base-searches', 'compares', 'pool', 'ldif', 'server', 'decode', 'ldif-parse', 'import', 'sync'] as const;
type Part = (typeof PARTS)[number];
const SCENARIOS: readonly Scenario[] = ['stream', 'paged', 'base-searches', 'compares', 'pool', 'ldif'];
/** The pool scenario runs once per size: rxldap's ConnectionPool of N members against N ldapts clients. */
const POOL_SIZES = [1, 2, 4, 8] as const;

interface Options extends ScenarioSettings {
  entries: number;
  rounds: number;
  warmup: number;
  importRounds: number;
  only: Part[];
  /** Other rxldap builds that take part beside this one (A/B of a change). */
  builds: OtherBuild[];
}

const USAGE =
  'usage: node dist/bench/run.js [--entries N] [--rounds N] [--warmup N] [--page-size N] [--operations N] ' +
  `[--in-flight N] [--import-rounds N] [--only ${PARTS.join(',')}] [--build NAME=OUTDIR ...]`;

const parseOptions = (argv: string[]): Options => {
  const { values } = parseArgs({
    args: argv,
    options: {
      entries: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      'page-size': { type: 'string' },
      operations: { type: 'string' },
      'in-flight': { type: 'string' },
      'import-rounds': { type: 'string' },
      only: { type: 'string' },
      build: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  exitWithUsageOnHelp(values.help, USAGE);
  const integer = integerOptions(USAGE);
  const only = values.only === undefined ? [...PARTS] : values.only.split(',').map((part) => part.trim());
  for (const part of only) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only: unknown part '${part}'\n${USAGE}`);
  return {
    entries: integer('entries', values.entries, 100_000, 1),
    rounds: integer('rounds', values.rounds, 5, 1),
    warmup: integer('warmup', values.warmup, 1, 0),
    pageSize: integer('page-size', values['page-size'], 1000, 1),
    operations: integer('operations', values.operations, 10_000, 1),
    inFlight: integer('in-flight', values['in-flight'], 100, 1),
    connections: 1,
    importRounds: integer('import-rounds', values['import-rounds'], 21, 1),
    only: only as Part[],
    builds: (values.build ?? []).map((text) => {
      const match = /^([\w.@-]+)=(.+)$/.exec(text);
      if (match === null) throw new Error(`--build takes NAME=OUTDIR (an outDir holding bench/ and lib/), not '${text}'\n${USAGE}`);
      return { name: match[1]!, outDir: resolve(match[2]!) };
    }),
  };
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
const rssText = (kib: number | undefined): string => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);

/** One timed process; node clients' result lines are parsed and checked. */
const runOnce = async (entrant: Contender, round: number, gnuTime: boolean, settings: ScenarioSettings, serverPid: number): Promise<ProcessRun> => {
  const measured = await measure(entrant.spec, gnuTime, serverPid);
  const run: ProcessRun = { round, wallMs: measured.wallMs, maxRssKiB: measured.maxRssKiB, cpuMs: measured.cpuMs, serverCpuMs: measured.serverCpuMs };
  if (entrant.reportsResult) {
    const line = measured.stdout.trim().split('\n').pop() ?? '';
    run.result = JSON.parse(line) as NonNullable<ProcessRun['result']>;
    if (run.result.operationsMs !== undefined) run.opsPerSecond = settings.operations / (run.result.operationsMs / 1000);
  }
  return run;
};

const describeRun = (name: string, run: ProcessRun): string =>
  `${name} ${seconds(run.wallMs)} ${rssText(run.maxRssKiB)}${run.opsPerSecond === undefined ? '' : ` ${Math.round(run.opsPerSecond)} ops/s`}`;

/**
 * Every contender takes its turn in every round (A B C, A B C, …), so drift from heat or from
 * other work on the machine hits all of them alike; the warm-up rounds are not counted.
 */
/** The 'ldif' scenario's extra entrant: rxldap's plain 'stream' job, the memory baseline. */
const LDIF_BASELINE = 'rxldap (plain search)';

const runScenario = async (scenario: Scenario, directory: BenchDirectory, options: Options, gnuTime: boolean, suffix = ''): Promise<ContenderSummary[]> => {
  const entrants = [
    ...SCENARIO_CONTENDERS[scenario].map((name) => contender(name, scenario, directory, options)),
    ...options.builds.map((build) => otherBuild(build, scenario, directory, options)),
    // The plain search beside the LDIF one, in the same rounds: "memory bounded as for the plain search" compares the two.
    ...(scenario === 'ldif' ? [{ ...contender('rxldap', 'stream', directory, options), name: LDIF_BASELINE }] : []),
  ].map((entrant) => ({ ...entrant, name: `${entrant.name}${suffix}` }));
  console.log(`\n== ${scenario}: ${entrants.map((entrant) => entrant.name).join(', ')}`);
  for (let round = 0; round < options.warmup; round++) {
    for (const entrant of entrants) await runOnce(entrant, -1, gnuTime, options, directory.slapd.pid);
  }
  const runs: ProcessRun[][] = entrants.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const line: string[] = [];
    for (const [index, entrant] of entrants.entries()) {
      const run = await runOnce(entrant, round, gnuTime, options, directory.slapd.pid);
      runs[index]!.push(run);
      line.push(describeRun(entrant.name, run));
    }
    console.log(`  round ${round + 1}: ${line.join(' | ')}`);
  }
  return entrants.map((entrant, index) => summarize(entrant.name, runs[index]!));
};

/**
 * rxldap/server's in-memory directory beside slapd: the same 100,000-entry subtree search, by the
 * same rxldap client process, served by each in turn (each server in a process of its own, its
 * CPU measured). The ratio says where the in-memory directory stands: the issue calls one 20×
 * slower than slapd still useful.
 */
const runServer = async (directory: BenchDirectory, options: Options, gnuTime: boolean): Promise<{ summaries: ContenderSummary[]; loadMs: number }> => {
  const startedAt = performance.now();
  const memory = await startMemoryServer(directory.ldifPath);
  console.log(
    `\n== server: rxldap searching slapd, then the in-memory directory (${memory.url}, ${memory.entries.toLocaleString('en-US')} entries loaded in ` +
    `${(memory.loadMs / 1000).toFixed(1)} s, ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s)`,
  );
  try {
    const onSlapd = contender('rxldap', 'stream', directory, options);
    const onMemory = contender('rxldap', 'stream', { ...directory, slapd: { ...directory.slapd, url: memory.url } }, options);
    const entrants = [
      { name: 'rxldap <- slapd', spec: onSlapd.spec, serverPid: directory.slapd.pid },
      { name: 'rxldap <- memory', spec: onMemory.spec, serverPid: memory.pid },
    ];
    const once = (entrant: (typeof entrants)[number], round: number): Promise<ProcessRun> =>
      runOnce({ name: entrant.name, spec: entrant.spec, reportsResult: true }, round, gnuTime, options, entrant.serverPid);
    for (let round = 0; round < options.warmup; round++) for (const entrant of entrants) await once(entrant, -1);
    const runs: ProcessRun[][] = entrants.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      const line: string[] = [];
      for (const [index, entrant] of entrants.entries()) {
        const run = await once(entrant, round);
        if (run.result?.entries !== directory.entries) throw new Error(`${entrant.name} returned ${run.result?.entries} entries, not ${directory.entries}`);
        runs[index]!.push(run);
        line.push(describeRun(entrant.name, run));
      }
      console.log(`  round ${round + 1}: ${line.join(' | ')}`);
    }
    return { summaries: entrants.map((entrant, index) => summarize(entrant.name, runs[index]!)), loadMs: memory.loadMs };
  } finally {
    await memory.stop();
  }
};

/**
 * Bare `node -e 0` against `node -e "require(rxldap)"` and against an ES module importing it
 * (`import('rxldap')`, the bundle the exports map gives `import`), in turns.
 */
const runImport = async (options: Options, gnuTime: boolean): Promise<ContenderSummary[]> => {
  const outDir = join(__dirname, '..');
  const requireOf = (index: string): RunSpec => ({ command: process.execPath, args: ['-e', `require(${JSON.stringify(index)})`] });
  const importOf = (url: string): RunSpec => ({ command: process.execPath, args: ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`] });
  const probes: { name: string; spec: RunSpec }[] = [
    { name: 'node -e 0', spec: { command: process.execPath, args: ['-e', '0'] } },
    { name: "require('rxldap')", spec: requireOf(packageEntry(outDir)) },
    { name: "import('rxldap')", spec: importOf(esmPackageEntry(outDir)) },
    ...options.builds.flatMap((build) => [
      { name: `require(${build.name})`, spec: requireOf(packageEntry(build.outDir)) },
      { name: `import(${build.name})`, spec: importOf(esmPackageEntry(build.outDir)) },
    ]),
  ];
  console.log(`\n== import: ${probes.map((probe) => probe.name).join(' vs ')}, ${options.importRounds} rounds`);
  for (const probe of probes) await measure(probe.spec, gnuTime);
  const runs: ProcessRun[][] = probes.map(() => []);
  for (let round = 0; round < options.importRounds; round++) {
    for (const [index, probe] of probes.entries()) {
      const measured = await measure(probe.spec, gnuTime);
      runs[index]!.push({ round, wallMs: measured.wallMs, maxRssKiB: measured.maxRssKiB, cpuMs: measured.cpuMs });
    }
  }
  return probes.map((probe, index) => summarize(probe.name, runs[index]!));
};

interface DecodeHeadline {
  rxldap: number;
  fastestPeer: string;
  fastestPeerEntriesPerSecond: number;
  ratio: number;
  target: number;
  pass: boolean;
}

/** The sync benchmark (bench/sync.ts) at the run's size, in a process of its own: it prints its own table and targets. */
const runSync = async (options: Options): Promise<void> => {
  console.log('\n== sync (bench/sync.ts; the full table of issue 15: npm run bench:sync -- --entries 100000,1000000 --scale 3000000)');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'sync.js'), '--entries', String(options.entries)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`sync benchmark failed (exit ${code})`))));
  });
};

/** The decode benchmark in a process of its own (it prints its own table), then its JSON. */
const runDecode = async (repoRoot: string, options: Options): Promise<DecodeHeadline> => {
  console.log('\n== decode (bench/decode.ts)');
  const script = join(__dirname, 'decode.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--entries', String(options.entries), '--rounds', String(options.rounds)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`decode benchmark failed (exit ${code})`))));
  });
  const report = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results', 'decode.json'), 'utf8')) as { headline: DecodeHeadline };
  return report.headline;
};

/** The 'ldif' scenario's output: rxldap's file must be ldapsearch's, byte for byte (1 = the same). */
const sameLdif = (directory: BenchDirectory): Verdict => {
  const ours = readFileSync(ldifOutFile(directory, 'rxldap'));
  const theirs = readFileSync(ldifOutFile(directory, 'ldapsearch'));
  const same = ours.equals(theirs);
  return {
    name: 'ldif file equals ldapsearch\'s', unit: 'bytes', rxldap: ours.length, peerName: 'ldapsearch', peer: theirs.length,
    ratio: same ? 1 : 0, comparison: '>=', target: 1, kind: 'ratio', pass: same,
  };
};

interface LdifParseHeadline {
  rxldap: number;
  peer: string;
  peerEntriesPerSecond: number;
  ratio: number;
  target: number;
  pass: boolean;
}

/** The LDIF parse benchmark in a process of its own (it prints its own table), then its JSON. */
const runLdifParse = async (repoRoot: string, options: Options): Promise<LdifParseHeadline> => {
  console.log('\n== ldif-parse (bench/ldif-parse.ts)');
  const script = join(__dirname, 'ldif-parse.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--entries', String(options.entries), '--rounds', String(options.rounds)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ldif-parse benchmark failed (exit ${code})`))));
  });
  const report = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results', 'ldif-parse.json'), 'utf8')) as { headline: LdifParseHeadline };
  return report.headline;
};

const printTable = (scenario: string, summaries: readonly ContenderSummary[]): void => {
  console.log(`\n${scenario}: median of the rounds`);
  for (const summary of summaries) {
    const ops = summary.medianOpsPerSecond === undefined ? '' : `  ${Math.round(summary.medianOpsPerSecond).toLocaleString('en-US').padStart(8)} ops/s`;
    const rss = summary.medianRssMiB === undefined ? 'n/a' : `${summary.medianRssMiB.toFixed(1)} MiB`;
    const cpu = (ms: number | undefined): string => (ms === undefined ? 'n/a' : `${Math.round(ms)} ms`).padStart(7);
    const server = summary.medianServerCpuMs === undefined ? '' : `  slapd CPU ${cpu(summary.medianServerCpuMs)}`;
    console.log(
      `  ${summary.name.padEnd(18)} ${seconds(summary.medianWallMs).padStart(9)} ` +
      `(${(summary.minWallMs / 1000).toFixed(3)}..${(summary.maxWallMs / 1000).toFixed(3)})  peak RSS ${rss.padStart(10)}  CPU ${cpu(summary.medianCpuMs)}${server}${ops}` +
      `${summary.via === undefined ? '' : `  via ${summary.via}`}`,
    );
  }
};

const verdictsFor = (scenario: Scenario, summaries: readonly ContenderSummary[], operations: number): Verdict[] => {
  const byName = (name: string): ContenderSummary => {
    const found = summaries.find((summary) => summary.name === name);
    if (found === undefined) throw new Error(`no ${name} results for ${scenario}`);
    return found;
  };
  const rxldap = byName('rxldap');
  const ceiling = summaries.find((summary) => summary.name === 'ceiling');
  switch (scenario) {
    case 'stream':
      return [
        wallTimeRatio('stream vs ldapsearch', rxldap, byName('ldapsearch'), 1.3),
        wallTimeRatio('stream vs ldapts', rxldap, byName('ldapts'), 0.3),
        peakRss('stream peak RSS', rxldap, 80),
      ];
    case 'paged':
      return [wallTimeRatio('paged vs ldapsearch', rxldap, byName('ldapsearch'), 1.3)];
    case 'base-searches':
      return [throughputRatio('base searches vs ldapts', rxldap, byName('ldapts'), 2, ceiling, operations)];
    case 'compares':
      return [throughputRatio('compares vs ldapts', rxldap, byName('ldapts'), 2, ceiling, operations)];
    case 'ldif':
      return [
        wallTimeRatio('ldif to a file vs ldapsearch > file', rxldap, byName('ldapsearch'), 1.3),
        peakRss('ldif peak RSS', rxldap, 80),
        // The LDIF job holds what the plain search holds, plus at most 100 entries waiting for the
        // file and a few 64 KiB chunks of LDIF: a few MiB. 1.1 allows 7 MiB on the plain search's
        // 71; a stream that let the search's 1000-entry window fill (95 MiB) fails it.
        peakRssRatio('ldif peak RSS vs the plain search', rxldap, byName(LDIF_BASELINE), 1.1, 'both rxldap, the same search, in the same rounds'),
      ];
    case 'pool':
      throw new Error('the pool scenario has its verdicts in poolVerdicts()');
  }
};

/**
 * rxldap's ConnectionPool of `size` members against `size` ldapts clients taking the compares
 * in turn. On loopback the server's CPU bounds both sides, so the ratio says what the pool's
 * dispatch costs: at most a tenth.
 */
const poolVerdict = (size: number, summaries: readonly ContenderSummary[]): Verdict => {
  const [rxldap, ldapts] = [`rxldap x${size}`, `ldapts x${size}`].map((name) => {
    const found = summaries.find((summary) => summary.name === name);
    if (found === undefined) throw new Error(`no ${name} results for pool`);
    return found;
  });
  return throughputRatio(`pool of ${size} vs ${size} ldapts clients`, rxldap!, ldapts!, 0.9);
};

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = findRepoRoot();
  const gnuTime = hasGnuTime();
  const loadAtStart = loadavg()[0]!;
  console.log(
    `rxldap end-to-end benchmark: node ${process.version}, ${platform()} ${arch()}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ` +
    `load average ${loadAtStart.toFixed(2)}${loadAtStart > cpus().length * 0.5 ? ' (busy machine: compare the ratios, not the times)' : ''}`,
  );
  if (!gnuTime) console.warn('warning: GNU time (/usr/bin/time) not found: peak RSS is not measured (apt-get install time)');

  const scenarios: Partial<Record<Scenario, ContenderSummary[]>> = {};
  const verdicts: Verdict[] = [];
  const wanted = SCENARIOS.filter((scenario) => options.only.includes(scenario));
  let directoryInfo: { entries: number; ldifBytes: number; ldifPath: string; url: string } | undefined;
  let server: { summaries: ContenderSummary[]; loadMs: number } | undefined;
  if (wanted.length > 0 || options.only.includes('server')) {
    const startedAt = performance.now();
    const directory = await startBenchDirectory(repoRoot, options.entries);
    directoryInfo = { entries: directory.entries, ldifBytes: directory.ldifBytes, ldifPath: directory.ldifPath, url: directory.slapd.url };
    console.log(
      `slapd ${directory.slapd.url} with ${options.entries.toLocaleString('en-US')} entries ` +
      `(${(directory.ldifBytes / 1e6).toFixed(1)} MB of LDIF) ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; ` +
      `${options.warmup} warm-up round(s), then ${options.rounds} rounds`,
    );
    try {
      for (const scenario of wanted) {
        if (scenario === 'pool') {
          const summaries: ContenderSummary[] = [];
          for (const size of POOL_SIZES) {
            const sized = await runScenario('pool', directory, { ...options, connections: size }, gnuTime, ` x${size}`);
            summaries.push(...sized);
            verdicts.push(poolVerdict(size, sized));
          }
          scenarios.pool = summaries;
          printTable('pool (compares over 1, 2, 4 and 8 connections)', summaries);
          continue;
        }
        const summaries = await runScenario(scenario, directory, options, gnuTime);
        scenarios[scenario] = summaries;
        printTable(scenario, summaries);
        verdicts.push(...verdictsFor(scenario, summaries, options.operations));
        if (scenario === 'ldif') verdicts.push(sameLdif(directory));
      }
      if (options.only.includes('server')) {
        server = await runServer(directory, options, gnuTime);
        printTable('server (the same search, served by slapd and by the in-memory directory)', server.summaries);
        const verdict = wallTimeRatio('in-memory directory vs slapd, serving the stream to rxldap', server.summaries[1]!, server.summaries[0]!, 20);
        verdicts.push({ ...verdict, note: `the in-memory directory loaded ${directory.entries.toLocaleString('en-US')} entries in ${(server.loadMs / 1000).toFixed(1)} s` });
      }
    } finally {
      await directory.slapd.stop();
    }
  }

  let decode: DecodeHeadline | undefined;
  if (options.only.includes('decode')) {
    decode = await runDecode(repoRoot, options);
    verdicts.push({
      name: 'decode', unit: 'entries/s', rxldap: decode.rxldap, peerName: decode.fastestPeer, peer: decode.fastestPeerEntriesPerSecond,
      ratio: decode.ratio, comparison: '>=', target: decode.target, kind: 'ratio', pass: decode.pass,
    });
  }
  let ldifParse: LdifParseHeadline | undefined;
  if (options.only.includes('ldif-parse')) {
    ldifParse = await runLdifParse(repoRoot, options);
    verdicts.push({
      name: 'ldif parse', unit: 'entries/s', rxldap: ldifParse.rxldap, peerName: ldifParse.peer, peer: ldifParse.peerEntriesPerSecond,
      ratio: ldifParse.ratio, comparison: '>=', target: ldifParse.target, kind: 'ratio', pass: ldifParse.pass,
    });
  }
  if (options.only.includes('sync')) await runSync(options);
  let importProbe: ContenderSummary[] | undefined;
  if (options.only.includes('import')) {
    importProbe = await runImport(options, gnuTime);
    printTable('import', importProbe);
    verdicts.push(addedTime('import (require)', importProbe[1]!, importProbe[0]!, 30));
    verdicts.push(addedTime('import (ESM)', importProbe[2]!, importProbe[0]!, 30));
  }

  console.log('\n== targets');
  for (const verdict of verdicts) console.log(describe(verdict));

  const outDir = join(repoRoot, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const report = {
    benchmark: 'run',
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadAverageAtStart: Number(loadAtStart.toFixed(2)),
    loadAverageAtEnd: Number(loadavg()[0]!.toFixed(2)),
    peakRssMeasured: gnuTime,
    options,
    directory: directoryInfo,
    scenarios,
    server,
    import: importProbe,
    decode,
    ldifParse,
    verdicts,
    pass: verdicts.every((verdict) => verdict.pass),
  };
  const outFile = join(outDir, 'latest.json');
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${outFile}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
