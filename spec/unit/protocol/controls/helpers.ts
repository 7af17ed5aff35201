import { expect } from 'chai';
import fc from 'fast-check';
import { ProtocolError } from '../../../../lib/errors';
import { controlCodecFor, decodeControl, encodeControlValue } from '../../../../lib/protocol/controls';
import type { Control, ControlDirection } from '../../../../lib/protocol/controls';

/** Octets from hex written with any spacing: hex('30 03 0a 01 01'). */
export const hex = (text: string): Buffer => {
  const digits = text.replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(digits)) throw new Error(`bad hex in test: ${text}`);
  return Buffer.from(digits, 'hex');
};

/** The side that sends a control type ('request' for codecs that serve both). */
export const directionOf = (control: Control): ControlDirection =>
  controlCodecFor(control.type)?.direction === 'response' ? 'response' : 'request';

/** encode → decode through the registry, as the message codec will do it. */
export const roundTrip = (control: Control, direction = directionOf(control)): Control =>
  decodeControl(control.oid, control.criticality, encodeControlValue(control), direction);

/**
 * The control encodes to exactly `expected`, and those octets decode back to the control.
 * `expected` is written by hand from the ASN.1, so a wrong tag or length is caught.
 */
export const expectEncoding = (control: Control, expected: string | undefined): void => {
  const encoded = encodeControlValue(control);
  if (expected === undefined) {
    expect(encoded).to.equal(undefined);
  } else {
    expect(encoded?.toString('hex')).to.equal(hex(expected).toString('hex'));
  }
  const decoded = decodeControl(control.oid, control.criticality, expected === undefined ? undefined : hex(expected), directionOf(control));
  expect(decoded).to.deep.equal(control);
};

/** Decoding `value` for `oid` is a ProtocolError whose message matches `pattern`. */
export const expectMalformed = (
  oid: string,
  value: Buffer | string | undefined,
  direction: ControlDirection,
  pattern?: RegExp,
): ProtocolError => {
  const bytes = typeof value === 'string' ? hex(value) : value;
  let caught: unknown;
  try {
    decodeControl(oid, false, bytes, direction);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a ProtocolError').to.be.instanceOf(ProtocolError);
  const error = caught as ProtocolError;
  expect(error.message).to.match(/^malformed \w+ control value/);
  if (pattern !== undefined) expect(error.message).to.match(pattern);
  return error;
};

/** A property: every generated control survives encode → decode unchanged. */
export const assertRoundTrips = <C extends Control>(arbitrary: fc.Arbitrary<C>, runs = 200): void => {
  fc.assert(
    fc.property(arbitrary, (control) => {
      expect(roundTrip(control)).to.deep.equal(control);
    }),
    { numRuns: runs },
  );
};

/** Arbitrary octets as a Buffer. */
export const bytesArb = (maxLength = 48, minLength = 0): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ minLength, maxLength }).map((array) => Buffer.from(array));
/** Exactly 16 octets (an entryUUID). */
export const uuidArb = (): fc.Arbitrary<Buffer> => bytesArb(16, 16);
/** Any Unicode text (no lone surrogates, so it survives UTF-8). */
export const textArb = (maxLength = 24): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });
/** Attribute-description-like names. */
export const attributeArb = (): fc.Arbitrary<string> => fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,12}(;[a-z-]{1,8})?$/);
export const uint31Arb = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0x7fffffff });
