import type { Rng } from './prng';

/** A class of error a target may throw as its correct refusal of bad input. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * One thing to fuzz. `generate` makes an input from the generator alone (so it can be made again
 * from the seed and iteration); `run` feeds it to the code under test and checks what came out.
 * A result, or an error of one of `refusals`, is correct; anything else `run` lets out is a finding.
 */
export interface FuzzTarget<I> {
  readonly name: string;
  readonly about: string;
  readonly refusals: readonly ErrorClass[];
  generate(rng: Rng): I;
  /** Synchronous targets return nothing; stream targets return a promise. */
  run(input: I): void | Promise<void>;
  /** The input as text a person can paste back: hex for bytes, a JSON string for text. */
  show(input: I): string;
}

/** The registry's view of a target: the input type no longer matters once generate and run pair up. */
export type AnyTarget = FuzzTarget<unknown>;

/** What the fuzzer throws when an accepted input does not read back the same. Not a refusal, ever. */
export class RoundTripError extends Error {
  override readonly name = 'RoundTripError';
}

/** Throws RoundTripError unless `condition` holds; `what` says which round trip broke. */
export const expectRoundTrip = (condition: boolean, what: () => string): void => {
  if (!condition) throw new RoundTripError(what());
};

/** Where the corpora come from; peer vectors are optional (CI has them, a fresh clone may not). */
export interface CorpusOptions {
  peerVectorsDir?: string | undefined;
}

export type TargetFactory = (options: CorpusOptions) => AnyTarget;
