/** MessageFramer as a stream: written in chunks and ended, it settles as the parser does. */
import { MessageFramer } from '../../../lib/transport';
import { ProtocolError } from '../../../lib/errors';
import type { LdapMessage } from '../../../lib/protocol';
import { chunksOf, expectSameOutcome, generateStream, parseChunks, showStream } from '../stream-input';
import type { StreamInput, StreamOutcome } from '../stream-input';
import type { FuzzTarget, TargetFactory } from '../target';

/** Resolves on 'close'; a framer that never closes leaves the promise pending (the watchdog's case). */
const streamChunks = (chunks: readonly Buffer[]): Promise<StreamOutcome> =>
  new Promise((resolve) => {
    const framer = new MessageFramer();
    const messages: LdapMessage[] = [];
    let error: unknown;
    framer.on('data', (message: LdapMessage) => messages.push(message));
    framer.on('error', (failure: Error) => {
      error ??= failure;
    });
    framer.on('close', () => resolve({ messages, error }));
    for (const chunk of chunks) {
      if (framer.destroyed) break;
      // A socket never delivers an empty chunk.
      if (chunk.length > 0) framer.write(chunk);
    }
    if (!framer.destroyed) framer.end();
  });

export const createFramerTarget: TargetFactory = () => {
  const target: FuzzTarget<StreamInput> = {
    name: 'framer',
    about: 'MessageFramer (Transform stream) written in chunks; settles with the messages and error of the parser',
    refusals: [ProtocolError],
    generate: generateStream,
    async run(input) {
      const streamed = await streamChunks(chunksOf(input));
      expectSameOutcome(parseChunks([input.bytes]), streamed, 'the framer');
      if (streamed.error !== undefined) throw streamed.error;
    },
    show: showStream,
  };
  return target;
};
