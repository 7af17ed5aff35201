/**
 * The fuzzing loop, in-process: for each target, make input after input from a reseeded
 * generator, run it, and sort the outcome into accepted, refused (the target's typed error) or
 * a finding. `npm run fuzz` runs it in a worker under a watchdog; the unit spec runs it directly.
 */
import { performance } from 'node:perf_hooks';
import { RxLdapError } from '../../lib/errors';
import { Rng, hashName, inputSeed } from './prng';
import { RoundTripError } from './target';
import type { AnyTarget } from './target';

export type FindingKind = 'crash' | 'round-trip' | 'slow' | 'hang';

export interface Finding {
  target: string;
  seed: number;
  iteration: number;
  kind: FindingKind;
  error: string;
  stack: string | undefined;
  input: string;
}

export interface TargetTally {
  target: string;
  inputs: number;
  accepted: number;
  refused: number;
  findings: number;
  seconds: number;
}

export interface FuzzOptions {
  seed: number;
  /** Inputs per target (all of them when `seconds` is also given and comes first). */
  count?: number;
  /** Seconds per target. */
  seconds?: number;
  /** An input that takes longer than this (ms) is a finding; Infinity turns the check off. */
  budgetMs?: number;
  /** The first iteration (to make one input again, with count 1). */
  firstIteration?: number;
  /** Stop a target after this many findings: one defect tends to show up in every input. */
  maxFindings?: number;
  /** [iteration] written before each input, for a watchdog in another thread. */
  progress?: Int32Array;
  onFinding?: (finding: Finding) => void;
}

/** Longest input text kept in a finding; the seed and iteration make the whole input again. */
const MAX_SHOWN = 64 * 1024;

/** A refusal is an expected error class that is not wrapping a foreign error (a masked crash). */
export const isRefusal = (target: AnyTarget, error: unknown): boolean => {
  if (!target.refusals.some((refusal) => error instanceof refusal)) return false;
  const cause = (error as Error).cause;
  return cause === undefined || cause instanceof RxLdapError;
};

const describe = (error: unknown): { error: string; stack: string | undefined } => {
  if (!(error instanceof Error)) return { error: `non-Error thrown: ${String(error)}`, stack: undefined };
  const cause = error.cause instanceof Error ? `; cause: ${error.cause.name}: ${error.cause.message}` : '';
  return { error: `${error.name}: ${error.message}${cause}`, stack: error.cause instanceof Error ? error.cause.stack : error.stack };
};

const shown = (target: AnyTarget, input: unknown): string => {
  const text = target.show(input);
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN)}… (${text.length} characters; make it again from seed and iteration)`;
};

const RETURNED = Symbol('returned');

/** Runs one input; returns the error it let out, or undefined when it returned normally. */
const runOne = async (target: AnyTarget, input: unknown): Promise<unknown> => {
  try {
    const pending = target.run(input);
    if (pending !== undefined) await pending;
    return undefined;
  } catch (error) {
    return error ?? new Error('undefined was thrown');
  }
};

/**
 * Fuzzes one target; findings go to `onFinding` as they happen, the tally is returned.
 *
 * Stack traces are off while fuzzing: nearly every input ends in a refusal, and capturing its
 * stack is most of what a refusal costs. A finding's input is made and run once more with
 * traces on, so the report still says where it broke.
 */
export const fuzzTarget = async (target: AnyTarget, options: FuzzOptions): Promise<TargetTally> => {
  const rng = new Rng();
  const targetHash = hashName(target.name);
  const budget = options.budgetMs ?? Infinity;
  const maxFindings = options.maxFindings ?? 10;
  const first = options.firstIteration ?? 0;
  const last = options.count === undefined ? Infinity : first + options.count;
  const started = performance.now();
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const tally: TargetTally = { target: target.name, inputs: 0, accepted: 0, refused: 0, findings: 0, seconds: 0 };
  const traceLimit = Error.stackTraceLimit;
  const traced = async (iteration: number, error: unknown): Promise<unknown> => {
    Error.stackTraceLimit = traceLimit;
    rng.reseed(inputSeed(options.seed, targetHash, iteration));
    const again = await runOne(target, target.generate(rng));
    Error.stackTraceLimit = 0;
    return again ?? error;
  };
  const report = (iteration: number, input: unknown, kind: FindingKind, error: unknown): void => {
    tally.findings++;
    options.onFinding?.({ target: target.name, seed: options.seed, iteration, kind, ...describe(error), input: shown(target, input) });
  };
  Error.stackTraceLimit = 0;
  try {
    let now = started;
    for (let iteration = first; iteration < last && now < deadline && tally.findings < maxFindings; iteration++) {
      if (options.progress !== undefined) options.progress[0] = iteration;
      rng.reseed(inputSeed(options.seed, targetHash, iteration));
      const input = target.generate(rng);
      const before = performance.now();
      let error: unknown = RETURNED;
      try {
        // Inline rather than runOne: a synchronous target must not pay for a promise per input.
        const pending = target.run(input);
        if (pending !== undefined) await pending;
      } catch (thrown) {
        error = thrown;
      }
      now = performance.now();
      if (error === RETURNED) tally.accepted++;
      else if (isRefusal(target, error)) tally.refused++;
      else report(iteration, input, error instanceof RoundTripError ? 'round-trip' : 'crash', await traced(iteration, error));
      if (now - before > budget) report(iteration, input, 'slow', new Error(`took ${(now - before).toFixed(0)} ms, over the ${budget} ms budget`));
      tally.inputs++;
    }
  } finally {
    Error.stackTraceLimit = traceLimit;
  }
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
};

/** Fuzzes each target in turn; returns the tallies and every finding. */
export const runFuzz = async (targets: readonly AnyTarget[], options: FuzzOptions): Promise<{ tallies: TargetTally[]; findings: Finding[] }> => {
  const findings: Finding[] = [];
  const tallies: TargetTally[] = [];
  for (const target of targets) {
    tallies.push(
      await fuzzTarget(target, {
        ...options,
        onFinding: (finding) => {
          findings.push(finding);
          options.onFinding?.(finding);
        },
      }),
    );
  }
  return { tallies, findings };
};
