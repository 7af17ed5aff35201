/** MessageParser.feed on mutated PDU streams split at random: the same outcome as one chunk. */
import { ProtocolError } from '../../../lib/errors';
import { chunksOf, expectSameOutcome, generateStream, parseChunks, showStream } from '../stream-input';
import type { StreamInput } from '../stream-input';
import type { FuzzTarget, TargetFactory } from '../target';

export const createParserTarget: TargetFactory = () => {
  const target: FuzzTarget<StreamInput> = {
    name: 'parser',
    about: 'MessageParser.feed with random chunk splits (and end()); same messages and error as one chunk',
    refusals: [ProtocolError],
    generate: generateStream,
    run(input) {
      const split = parseChunks(chunksOf(input));
      if (input.cuts.length > 0) expectSameOutcome(parseChunks([input.bytes]), split, `${input.cuts.length + 1} chunks`);
      if (split.error !== undefined) throw split.error;
    },
    show: showStream,
  };
  return target;
};
