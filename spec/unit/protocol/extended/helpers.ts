import { expect } from 'chai';
import fc from 'fast-check';
import { ProtocolError } from '../../../../lib/errors';

/** Bytes from hex written with spaces for readability. */
export const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Hex of a value, or 'absent'. */
export const toHex = (value: Buffer | undefined): string => (value === undefined ? 'absent' : value.toString('hex'));

export const expectProtocolError = (fn: () => unknown, pattern?: RegExp): void => {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a ProtocolError').to.be.instanceOf(ProtocolError);
  if (pattern !== undefined) expect((thrown as Error).message).to.match(pattern);
};

export const bytes = (constraints: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ maxLength: 300, ...constraints }).map((array) => Buffer.from(array));

/** Valid Unicode text (no lone surrogates, so it survives UTF-8). */
export const text = (constraints: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> =>
  fc.string({ unit: 'grapheme', maxLength: 40, ...constraints });

/**
 * A decoder fed arbitrary bytes either returns or throws ProtocolError, nothing else. Half the
 * inputs are wrapped in a well-formed SEQUENCE header so the decoder gets past its first check.
 */
export const assertOnlyProtocolErrors = (decode: (value: Buffer) => unknown): void => {
  const inner = bytes({ maxLength: 64 });
  const sequence = inner.map((body) => Buffer.concat([Buffer.from([0x30, body.length]), body]));
  fc.assert(
    fc.property(fc.oneof(inner, sequence), (value) => {
      try {
        decode(value);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
      }
    }),
  );
};
