/**
 * `npm run fuzz`: the decoder, framers, DN, filter and URL parsers on generated and mutated
 * input, seeded and reproducible. Each target runs in a worker thread under a watchdog, so an
 * input that never returns is caught and reported like any other finding.
 *
 *   node dist/bench/fuzz/run.js [--time SECONDS | --count N] [--seed N] [--target NAME]...
 *                               [--budget MS] [--findings FILE] [--peer-vectors DIR]
 *   node dist/bench/fuzz/run.js --target NAME --seed N --iteration I     (one input again)
 */
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fuzzTarget, isRefusal } from './engine';
import type { Finding, FuzzOptions, TargetTally } from './engine';
import { Rng, hashName, inputSeed } from './prng';
import { TARGETS } from './registry';
import type { AnyTarget, CorpusOptions } from './target';
import { exitWithUsageOnHelp, integerOptions } from '../support/cli';

const USAGE = `usage: node dist/bench/fuzz/run.js [--time SECONDS | --count N] [--seed N] [--target NAME]... [--budget MS]
                                  [--findings FILE] [--peer-vectors DIR] [--iteration I] [--list]
  --time      seconds for the whole run, shared evenly by the targets (default 10)
  --count     inputs per target instead of a time
  --seed      run seed (default: random, printed); the same seed makes the same inputs
  --target    a target to run (repeatable; default: all): ${Object.keys(TARGETS).join(', ')}
  --budget    ms one input may take before it is a finding (default 1000); a worker silent for
              5 budgets is stopped and its input reported as a hang
  --findings  where findings are written, one JSON object a line (default fuzz-findings.jsonl)
  --iteration run only this input of the one --target, and show what it does`;

interface WorkerJob {
  target: string;
  corpus: CorpusOptions;
  options: Omit<FuzzOptions, 'onFinding'>;
}

type WorkerMessage = { type: 'finding'; finding: Finding } | { type: 'done'; tally: TargetTally };

/** Makes one input again from its seed and iteration, for a report of a worker that hung. */
const regenerate = (target: AnyTarget, seed: number, iteration: number): string => {
  const rng = new Rng(inputSeed(seed, hashName(target.name), iteration));
  return target.show(target.generate(rng));
};

/** Runs one target in a worker; a silent worker is terminated and its current input reported. */
const runInWorker = (job: WorkerJob, budgetMs: number, onFinding: (finding: Finding) => void): Promise<TargetTally> =>
  new Promise((done) => {
    const first = job.options.firstIteration ?? 0;
    const progress = new Int32Array(new SharedArrayBuffer(4));
    progress[0] = first;
    const worker = new Worker(__filename, { workerData: { ...job, options: { ...job.options, progress } } });
    const hangMs = Math.max(5 * budgetMs, 2000);
    let tally: TargetTally | undefined;
    let stuck = false;
    const reportStuck = (problem: string, error?: Error): void => {
      stuck = true;
      const iteration = progress[0]!;
      const input = regenerate(TARGETS[job.target]!(job.corpus), job.options.seed, iteration);
      onFinding({ target: job.target, seed: job.options.seed, iteration, kind: error === undefined ? 'hang' : 'crash', error: problem, stack: error?.stack, input });
    };
    let seen = first;
    let seenAt = Date.now();
    const watchdog = setInterval(() => {
      if (progress[0] !== seen) {
        seen = progress[0]!;
        seenAt = Date.now();
      } else if (!stuck && Date.now() - seenAt > hangMs) {
        reportStuck(`no progress for ${hangMs} ms: the input never returned`);
        void worker.terminate();
      }
    }, Math.min(250, hangMs / 4));
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'finding') onFinding(message.finding);
      else tally = message.tally;
    });
    // An error thrown outside run() (say, from a stream callback) ends the worker: a finding too.
    worker.on('error', (error) => reportStuck(`uncaught in the worker: ${error.name}: ${error.message}`, error));
    worker.on('exit', () => {
      clearInterval(watchdog);
      if (tally !== undefined) return done(tally);
      if (!stuck) reportStuck('the worker ran out of work before the input settled (a promise that never resolves)');
      done({ target: job.target, inputs: progress[0]! - first, accepted: NaN, refused: NaN, findings: 1, seconds: NaN });
    });
  });

const pad = (text: string | number, width: number): string => String(text).padStart(width);

const printTallies = (tallies: readonly TargetTally[]): void => {
  console.log(`\n${'target'.padEnd(12)}${pad('inputs', 12)}${pad('accepted', 11)}${pad('refused', 11)}${pad('findings', 10)}${pad('seconds', 9)}${pad('inputs/s', 11)}`);
  let inputs = 0;
  let timedInputs = 0;
  let seconds = 0;
  for (const t of tallies) {
    inputs += t.inputs;
    // A target stopped by the watchdog has no time of its own: leave it out of the rate.
    if (!Number.isNaN(t.seconds)) {
      timedInputs += t.inputs;
      seconds += t.seconds;
    }
    const rate = Number.isNaN(t.seconds) ? '-' : Math.round(t.inputs / t.seconds).toLocaleString('en-US');
    const count = (n: number): string => (Number.isNaN(n) ? '-' : n.toLocaleString('en-US'));
    console.log(`${t.target.padEnd(12)}${pad(count(t.inputs), 12)}${pad(count(t.accepted), 11)}${pad(count(t.refused), 11)}${pad(count(t.findings), 10)}${pad(Number.isNaN(t.seconds) ? '-' : t.seconds.toFixed(1), 9)}${pad(rate, 11)}`);
  }
  console.log(`${'total'.padEnd(12)}${pad(inputs.toLocaleString('en-US'), 12)}${pad('', 41)}${pad(seconds > 0 ? Math.round(timedInputs / seconds).toLocaleString('en-US') : '-', 11)}`);
};

const printFinding = (finding: Finding): void => {
  const input = finding.input.length > 400 ? `${finding.input.slice(0, 400)}… (${finding.input.length} characters)` : finding.input;
  console.log(`\nFINDING ${finding.kind} in ${finding.target}, seed ${finding.seed}, iteration ${finding.iteration}\n  ${finding.error}\n  input: ${input}`);
  console.log(`  again: npm run fuzz -- --target ${finding.target} --seed ${finding.seed} --iteration ${finding.iteration}`);
};

/** --iteration: one input in this thread, with everything it did. */
const replay = async (name: string, corpus: CorpusOptions, seed: number, iteration: number): Promise<number> => {
  const target = TARGETS[name]!(corpus);
  const rng = new Rng(inputSeed(seed, hashName(name), iteration));
  const input = target.generate(rng);
  console.log(`${name}, seed ${seed}, iteration ${iteration}\ninput: ${target.show(input)}`);
  try {
    await target.run(input);
    console.log('accepted');
    return 0;
  } catch (error) {
    const refused = isRefusal(target, error);
    console.log(refused ? 'refused with the expected error:' : 'FINDING:', error);
    return refused ? 0 : 1;
  }
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      time: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      target: { type: 'string', multiple: true },
      budget: { type: 'string' },
      findings: { type: 'string' },
      'peer-vectors': { type: 'string' },
      iteration: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  exitWithUsageOnHelp(values.help, USAGE);
  if (values.list === true) {
    for (const name of Object.keys(TARGETS)) console.log(`${name.padEnd(12)}${TARGETS[name]!({}).about}`);
    return 0;
  }
  const integer = integerOptions(USAGE);
  const names = values.target ?? Object.keys(TARGETS);
  for (const name of names) if (TARGETS[name] === undefined) throw new Error(`unknown target '${name}'\n${USAGE}`);
  const seed = integer('seed', values.seed, randomInt(2 ** 31), 0) >>> 0;
  const corpus: CorpusOptions = { peerVectorsDir: values['peer-vectors'] };
  if (values.iteration !== undefined) {
    if (names.length !== 1) throw new Error(`--iteration needs exactly one --target\n${USAGE}`);
    return replay(names[0]!, corpus, seed, integer('iteration', values.iteration, 0, 0));
  }
  const budgetMs = integer('budget', values.budget, 1000, 1);
  const count = values.count === undefined ? undefined : integer('count', values.count, 0, 1);
  const seconds = count === undefined ? integer('time', values.time, 10, 1) / names.length : undefined;
  const findingsFile = resolve(values.findings ?? 'fuzz-findings.jsonl');
  console.log(`fuzzing ${names.join(', ')} with seed ${seed}, ${count === undefined ? `${seconds!.toFixed(1)} s` : `${count} inputs`} per target`);

  const findings: Finding[] = [];
  const tallies: TargetTally[] = [];
  for (const name of names) {
    const options: WorkerJob['options'] = { seed, budgetMs, ...(count === undefined ? { seconds: seconds! } : { count }) };
    tallies.push(
      await runInWorker({ target: name, corpus, options }, budgetMs, (finding) => {
        findings.push(finding);
        printFinding(finding);
      }),
    );
  }
  printTallies(tallies);
  if (findings.length === 0) {
    console.log('\nno findings');
    return 0;
  }
  writeFileSync(findingsFile, findings.map((finding) => JSON.stringify(finding)).join('\n') + '\n');
  console.log(`\n${findings.length} finding(s) written to ${findingsFile}`);
  return 1;
};

const workerMain = async (job: WorkerJob): Promise<void> => {
  const target = TARGETS[job.target]!(job.corpus);
  const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
  const tally = await fuzzTarget(target, { ...job.options, onFinding: (finding) => post({ type: 'finding', finding }) });
  post({ type: 'done', tally });
};

if (isMainThread) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
} else {
  void workerMain(workerData as WorkerJob);
}
