/** parseDN on mutated DN text; what parses must print canonically and read back equal. */
import { isDeepStrictEqual } from 'node:util';
import { parseDN } from '../../../lib/dn';
import { InvalidDNError } from '../../../lib/errors';
import type { TextGrammar } from '../mutate-text';
import { roundTrip } from '../round-trip';
import { expectRoundTrip } from '../target';
import type { FuzzTarget, TargetFactory } from '../target';
import { textSeeds } from '../corpus-text';
import { backslashHex, showText, textGenerator } from '../text-target';

const DN_GRAMMAR: TextGrammar = {
  specials: [',', '+', '=', '\\', '#', '"', ';', '<', '>', ' ', '  ', '=#', '\\\\', 'cn=', ',cn=x', '+sn=y', '#zz', '#0', '\\ ', '2.5.4.3=', '1..2='],
  escapeByte: backslashHex,
  // Thousands of RDNs are long, not deep: parsing is linear, so 2,000 shows as much as 10,000.
  nest: (text, depth, rng) => (rng.chance(1, 2) ? 'cn=x,'.repeat(Math.min(depth, 2000)) + text : text + '+cn=y'.repeat(Math.min(depth, 2000))),
};

export const createDnTarget: TargetFactory = (options) => {
  const target: FuzzTarget<string> = {
    name: 'dn',
    about: 'parseDN; toString() reads back to the same RDNs and an equal DN',
    refusals: [InvalidDNError],
    generate: textGenerator(textSeeds(options).dns, DN_GRAMMAR),
    run(input) {
      const dn = parseDN(input);
      roundTrip('parseDN(dn.toString())', () => {
        const text = dn.toString();
        const again = parseDN(text);
        expectRoundTrip(again.toString() === text, () => `toString() is not stable: ${JSON.stringify(text)} then ${JSON.stringify(again.toString())}`);
        expectRoundTrip(isDeepStrictEqual(again.rdns, dn.rdns), () => `RDNs differ after reading back ${JSON.stringify(text)}`);
        expectRoundTrip(dn.equals(again), () => `the DN read back from ${JSON.stringify(text)} is not equal to the original`);
      });
    },
    show: showText,
  };
  return target;
};
