/**
 * parseFilter on mutated filter text. What parses must give canonical text that parses to the
 * same Filter (and prints the same again), and BER that decodes to the same Filter.
 */
import { isDeepStrictEqual } from 'node:util';
import { InvalidFilterError } from '../../../lib/errors';
import { filterToString, parseFilter } from '../../../lib/filter';
import { decodeFilter, encodeFilter } from '../../../lib/protocol';
import type { TextGrammar } from '../mutate-text';
import { roundTrip } from '../round-trip';
import { expectRoundTrip } from '../target';
import type { FuzzTarget, TargetFactory } from '../target';
import { textSeeds } from '../corpus-text';
import { backslashHex, showText, textGenerator } from '../text-target';

const FILTER_GRAMMAR: TextGrammar = {
  specials: ['(', ')', '&', '|', '!', '=', '~=', '>=', '<=', '*', '**', '\\', ':', ':dn', ':=', ':dn:', '(&', '(|', '(!', ')(', 'cn=', ';', '=*', '(a=b)', '1.2.3', ' '],
  escapeByte: backslashHex,
  nest: (text, depth, rng) => {
    const open = rng.pick(['(!', '(&', '(|', '(&(a=b)']);
    return open.repeat(depth) + text + ')'.repeat(depth);
  },
};

export const createFilterTarget: TargetFactory = (options) => {
  const target: FuzzTarget<string> = {
    name: 'filter',
    about: 'parseFilter; filterToString and encodeFilter/decodeFilter read back the same Filter',
    refusals: [InvalidFilterError],
    generate: textGenerator(textSeeds(options).filters, FILTER_GRAMMAR),
    run(input) {
      const filter = parseFilter(input);
      roundTrip('filterToString / encodeFilter of a parsed filter', () => {
        const text = filterToString(filter);
        const again = parseFilter(text);
        expectRoundTrip(isDeepStrictEqual(again, filter), () => `parseFilter(${JSON.stringify(text)}) differs from the filter it was printed from`);
        expectRoundTrip(filterToString(again) === text, () => `filterToString is not stable on ${JSON.stringify(text)}`);
        expectRoundTrip(isDeepStrictEqual(decodeFilter(encodeFilter(filter)), filter), () => `decodeFilter(encodeFilter(f)) differs for ${JSON.stringify(text)}`);
      });
    },
    show: showText,
  };
  return target;
};
