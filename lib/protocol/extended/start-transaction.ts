import type { ExtendedRequest } from '../types';
import { buildExtendedRequest, defineExtendedCodec, forbidExtendedValue, requireExtendedValue } from './codec';
import { ExtendedOid } from './oids';

/**
 * Start Transaction (RFC 5805 §2.2): no request value; a successful response's value is the
 * transaction identifier, raw octets (not BER-wrapped) to send back in the Transaction
 * Specification control and the End Transaction request. A failed response has no value, so
 * decode the value only after a success: an absent (or empty) one is a ProtocolError.
 */
export const startTransactionCodec = defineExtendedCodec<void, Buffer>({
  requestName: ExtendedOid.startTransaction,
  name: 'startTransaction',
  encodeRequestValue: () => undefined,
  decodeRequestValue: (value) => forbidExtendedValue(value, 'Start Transaction request'),
  encodeResponseValue: (transactionId) => transactionId,
  decodeResponseValue: (value) => requireExtendedValue(value, 'Start Transaction response'),
});

export const startTransactionRequest = (): ExtendedRequest => buildExtendedRequest(startTransactionCodec, undefined);
