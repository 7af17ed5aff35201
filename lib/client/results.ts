import { errorFromResult } from '../protocol/error-from-result';
import { ProtocolError, ResultCode } from '../errors';
import type { Control } from '../protocol/controls/types';
import type { LdapMessage, LdapResult, ResponseOp } from '../protocol/types';

/**
 * The response op of the expected type; anything else is a ProtocolError, since a server that
 * answers a delete with a bind response is broken.
 */
export const expectResponse = <T extends ResponseOp['type']>(message: LdapMessage, type: T): Extract<ResponseOp, { type: T }> => {
  if (message.protocolOp.type !== type) {
    throw new ProtocolError(`expected ${type} for messageID ${message.messageId} but received ${message.protocolOp.type}`);
  }
  return message.protocolOp as Extract<ResponseOp, { type: T }>;
};

/** Throws the typed LdapError for anything but success. */
export const requireSuccess = <T extends LdapResult>(result: T, messageId: number, controls?: readonly Control[]): T => {
  if (result.resultCode !== ResultCode.success) throw errorFromResult(result, messageId, controls);
  return result;
};
