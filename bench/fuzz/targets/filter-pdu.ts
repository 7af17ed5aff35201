/**
 * The filter decoder inside a SearchRequest: mutated and deeply nested filters. A decoded filter
 * must encode back to the same Filter, and, when it has a text form, that text must parse and
 * print the same again (wire filters may hold what text cannot: those are refused, not written).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { InvalidFilterError, ProtocolError } from '../../../lib/errors';
import { filterToString, parseFilter } from '../../../lib/filter';
import { decodeFilter, decodeMessage, encodeFilter, encodeMessage } from '../../../lib/protocol';
import type { Filter } from '../../../lib/protocol';
import { filterArbitrary } from '../../../spec/support/arbitraries';
import { textSeeds } from '../corpus-text';
import { berSeed, mutateBer } from '../mutate-bytes';
import { roundTrip } from '../round-trip';
import { expectRoundTrip } from '../target';
import type { FuzzTarget, TargetFactory } from '../target';
import { showBytes } from './decoder';

/** Deep enough for any filter the BER reader lets through (it stops at 64 nested values). */
const READ_BACK_DEPTH = 64;

const searchWith = (filter: Filter, messageId: number): Buffer =>
  encodeMessage({
    messageId,
    protocolOp: { type: 'searchRequest', baseObject: 'dc=example,dc=com', scope: 'wholeSubtree', derefAliases: 'neverDerefAliases', sizeLimit: 0, timeLimit: 0, typesOnly: false, filter, attributes: [] },
  });

const parsedFilters = (texts: readonly string[]): Filter[] =>
  texts.flatMap((text) => {
    try {
      return [parseFilter(text)];
    } catch {
      return [];
    }
  });

export const createFilterPduTarget: TargetFactory = (options) => {
  const filters = [...parsedFilters(textSeeds(options).filters), ...fc.sample(filterArbitrary, { seed: 4511, numRuns: 200 })];
  const seeds = filters.map((filter, i) => berSeed(searchWith(filter, i + 1)));
  const target: FuzzTarget<Buffer> = {
    name: 'filter-pdu',
    about: 'the Filter decoder inside a SearchRequest; encodeFilter and filterToString read back',
    refusals: [ProtocolError],
    generate: (rng) => mutateBer(rng, rng.pick(seeds), rng.pick(seeds)),
    run(input) {
      const { protocolOp } = decodeMessage(input);
      if (protocolOp.type !== 'searchRequest') return;
      const { filter } = protocolOp;
      roundTrip('encodeFilter / filterToString of a decoded filter', () => {
        expectRoundTrip(isDeepStrictEqual(decodeFilter(encodeFilter(filter)), filter), () => 'decodeFilter(encodeFilter(f)) differs');
        let text: string;
        try {
          text = filterToString(filter);
        } catch (error) {
          if (error instanceof InvalidFilterError) return; // no text form (e.g. an attribute the grammar forbids)
          throw error;
        }
        const parsed = parseFilter(text, { maxDepth: READ_BACK_DEPTH });
        expectRoundTrip(filterToString(parsed) === text, () => `filterToString(parseFilter(${JSON.stringify(text)})) differs`);
      });
    },
    show: showBytes,
  };
  return target;
};
