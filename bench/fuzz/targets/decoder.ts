/** decodeMessage on mutated PDUs; what decodes must encode and decode to the same message. */
import { isDeepStrictEqual } from 'node:util';
import { ProtocolError } from '../../../lib/errors';
import { decodeMessage, encodeMessage } from '../../../lib/protocol';
import { messageSeeds } from '../corpus-messages';
import { berSeed, mutateBer } from '../mutate-bytes';
import { roundTrip } from '../round-trip';
import { expectRoundTrip } from '../target';
import type { FuzzTarget, TargetFactory } from '../target';
import type { LdapMessage } from '../../../lib/protocol';

/**
 * An empty Controls sequence (`a0 00`) is valid BER and decodes to `controls: []`; the encoder
 * leaves an empty list out. Both mean "no controls", so the comparison treats them alike.
 */
const withoutEmptyControls = (message: LdapMessage): LdapMessage => {
  if (message.controls === undefined || message.controls.length > 0) return message;
  const { controls: _none, ...rest } = message;
  return rest;
};

export const showBytes = (input: Buffer): string => input.toString('hex');

export const createDecoderTarget: TargetFactory = () => {
  const seeds = messageSeeds().map(berSeed);
  const target: FuzzTarget<Buffer> = {
    name: 'decoder',
    about: 'decodeMessage (BER and RFC 4511 rules, controls, extended values); encode(decode(x)) decodes the same',
    refusals: [ProtocolError],
    generate: (rng) => mutateBer(rng, rng.pick(seeds), rng.pick(seeds)),
    run(input) {
      const message = decodeMessage(input);
      roundTrip('decodeMessage(encodeMessage(m))', () => {
        const again = decodeMessage(encodeMessage(message));
        expectRoundTrip(isDeepStrictEqual(again, withoutEmptyControls(message)), () => `re-encoding changed the ${message.protocolOp.type}`);
      });
    },
    show: showBytes,
  };
  return target;
};
