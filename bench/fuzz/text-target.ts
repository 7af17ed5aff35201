/** The shape shared by the string targets: pick a seed, mutate it with the grammar's alphabet. */
import { mutateText } from './mutate-text';
import type { TextGrammar } from './mutate-text';
import type { Rng } from './prng';

export const textGenerator =
  (seeds: readonly string[], grammar: TextGrammar) =>
  (rng: Rng): string =>
    mutateText(rng, rng.pick(seeds), rng.pick(seeds), grammar);

export const showText = (input: string): string => JSON.stringify(input);

export const backslashHex = (byte: number): string => '\\' + byte.toString(16).padStart(2, '0');
export const percentHex = (byte: number): string => '%' + byte.toString(16).padStart(2, '0');
