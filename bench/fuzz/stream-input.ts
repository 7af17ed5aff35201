/**
 * Inputs for the framers: one to three PDUs (mutated or not) back to back, and where the socket
 * would have cut them into chunks: nowhere, at random, inside the header (the parser's hardest
 * case), or after every byte.
 */
import { isDeepStrictEqual } from 'node:util';
import { MessageParser } from '../../lib/transport';
import type { LdapMessage } from '../../lib/protocol';
import { berSeed, mutateBer } from './mutate-bytes';
import type { BerSeed } from './mutate-bytes';
import { messageSeeds } from './corpus-messages';
import type { Rng } from './prng';
import { expectRoundTrip } from './target';

export interface StreamInput {
  bytes: Buffer;
  /** Ascending offsets where one chunk ends and the next begins. */
  cuts: number[];
}

export interface StreamOutcome {
  messages: LdapMessage[];
  error: unknown;
}

let seeds: BerSeed[] | undefined;

const makeCuts = (rng: Rng, length: number): number[] => {
  switch (rng.below(5)) {
    case 0:
      return [];
    case 1: {
      // After every byte of a window (the whole input when short): one-byte reads, the worst case.
      const from = length <= 128 ? 1 : rng.below(length);
      const to = Math.min(length, from + 128);
      return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
    }
    case 2: {
      const near = rng.between(1, 7); // splits the two-to-six-byte header of the first PDU
      return near < length ? [near] : [];
    }
    default: {
      const cuts: number[] = [];
      const count = rng.between(1, 8);
      for (let i = 0; i < count; i++) cuts.push(rng.below(length + 1));
      return cuts.sort((a, b) => a - b);
    }
  }
};

export const generateStream = (rng: Rng): StreamInput => {
  seeds ??= messageSeeds().map(berSeed);
  const count = rng.pick([1, 1, 2, 3]);
  const mutated = rng.below(count);
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const seed = rng.pick(seeds);
    parts.push(i === mutated ? mutateBer(rng, seed, rng.pick(seeds)) : seed.bytes);
  }
  const bytes = count === 1 ? parts[0]! : Buffer.concat(parts);
  return { bytes, cuts: makeCuts(rng, bytes.length) };
};

export const showStream = (input: StreamInput): string => JSON.stringify({ hex: input.bytes.toString('hex'), cuts: input.cuts });

/** Everything between consecutive cuts, empty chunks included (the parser must not mind them). */
export const chunksOf = (input: StreamInput): Buffer[] => {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of input.cuts) {
    chunks.push(input.bytes.subarray(start, cut));
    start = cut;
  }
  chunks.push(input.bytes.subarray(start));
  return chunks;
};

/** Feeds the chunks to a fresh MessageParser, then ends it; a failed parser must stay failed. */
export const parseChunks = (chunks: readonly Buffer[]): StreamOutcome => {
  const parser = new MessageParser();
  const messages: LdapMessage[] = [];
  const onMessage = (message: LdapMessage): void => {
    messages.push(message);
  };
  try {
    for (const chunk of chunks) parser.feed(chunk, onMessage);
    parser.end();
    return { messages, error: undefined };
  } catch (error) {
    let again: unknown;
    try {
      parser.feed(Buffer.from([0x30, 0x00]), onMessage);
    } catch (later) {
      again = later;
    }
    expectRoundTrip(again === error, () => 'a failed MessageParser accepted more bytes instead of throwing its error again');
    return { messages, error };
  }
};

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The same bytes must give the same messages and the same error however they were chunked. */
export const expectSameOutcome = (reference: StreamOutcome, actual: StreamOutcome, how: string): void => {
  expectRoundTrip(
    errorText(actual.error) === errorText(reference.error),
    () => `${how} ended with ${JSON.stringify(errorText(actual.error))}, one chunk with ${JSON.stringify(errorText(reference.error))}`,
  );
  expectRoundTrip(actual.messages.length === reference.messages.length, () => `${how} gave ${actual.messages.length} messages, one chunk ${reference.messages.length}`);
  expectRoundTrip(isDeepStrictEqual(actual.messages, reference.messages), () => `${how} gave different messages than one chunk`);
};
