import { ProtocolError } from '../../errors';
import type { ExtendedRequest, ExtendedResponse } from '../types';

/**
 * How one extended operation's requestValue and responseValue are turned into octets and back.
 * Each value is a separate BER document (or, for some operations, raw octets) inside the
 * OCTET STRING, decoded in its own pass. Decoders throw ProtocolError on malformed octets.
 *
 * Leniency shared by every codec here: a zero-length value is treated as an absent one. Some
 * servers send an empty responseValue [11] where the specification says the field is absent, and
 * an empty OCTET STRING carries nothing a decoder could use. A value that must be absent but has
 * content is a ProtocolError.
 */
export interface ExtendedOperationCodec<Req, Res> {
  /** The OID, sent as requestName. */
  readonly requestName: string;
  /** A short name for error messages (e.g. 'passwordModify'); the OID is used when missing. */
  readonly name?: string;
  encodeRequestValue(value: Req): Buffer | undefined;
  decodeRequestValue(value: Buffer | undefined): Req;
  encodeResponseValue(value: Res): Buffer | undefined;
  decodeResponseValue(value: Buffer | undefined): Res;
}

/** Any codec, for registries keyed by OID (the methods are bivariant, so every codec fits). */
export type AnyExtendedOperationCodec = ExtendedOperationCodec<unknown, unknown>;

/** Identity helper that checks a codec against the interface while keeping its value types. */
export const defineExtendedCodec = <Req, Res>(codec: ExtendedOperationCodec<Req, Res>): ExtendedOperationCodec<Req, Res> =>
  codec;

/** A value the ASN.1 requires but that arrived absent (or empty). */
export const requireExtendedValue = (value: Buffer | undefined, what: string): Buffer => {
  if (value === undefined || value.length === 0) throw new ProtocolError(`${what} has no value`);
  return value;
};

/** A value that must be absent; an empty one is tolerated (see ExtendedOperationCodec). */
export const forbidExtendedValue = (value: Buffer | undefined, what: string): void => {
  if (value !== undefined && value.length > 0) {
    throw new ProtocolError(`${what} must not have a value (got ${value.length} octets)`);
  }
};

/** True when a value is absent or empty, which the codecs here treat alike. */
export const isAbsent = (value: Buffer | undefined): value is undefined => value === undefined || value.length === 0;

/** The ExtendedRequest protocolOp for a codec and its request value. */
export const buildExtendedRequest = <Req>(codec: ExtendedOperationCodec<Req, unknown>, value: Req): ExtendedRequest => {
  const requestValue = codec.encodeRequestValue(value);
  return requestValue === undefined
    ? { type: 'extendedReq', requestName: codec.requestName }
    : { type: 'extendedReq', requestName: codec.requestName, requestValue };
};

const rewrap = (error: unknown, codec: AnyExtendedOperationCodec, side: string): never => {
  if (error instanceof ProtocolError) {
    throw new ProtocolError(`malformed ${codec.name ?? codec.requestName} ${side} value: ${error.reason}`, undefined, {
      cause: error,
    });
  }
  throw error;
};

/** Decodes a received ExtendedResponse's value; a ProtocolError names the operation. */
export const decodeExtendedResponseValue = <Res>(
  codec: ExtendedOperationCodec<unknown, Res>,
  response: Pick<ExtendedResponse, 'responseValue'>,
): Res => {
  try {
    return codec.decodeResponseValue(response.responseValue);
  } catch (error) {
    return rewrap(error, codec, 'response');
  }
};

/** Decodes a received ExtendedRequest's value (the mock server's side); a ProtocolError names the operation. */
export const decodeExtendedRequestValue = <Req>(
  codec: ExtendedOperationCodec<Req, unknown>,
  request: Pick<ExtendedRequest, 'requestValue'>,
): Req => {
  try {
    return codec.decodeRequestValue(request.requestValue);
  } catch (error) {
    return rewrap(error, codec, 'request');
  }
};
