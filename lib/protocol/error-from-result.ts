import { LdapError, errorClassForCode } from '../errors';
import type { LdapErrorDetails, ResponseControl } from '../errors';
import type { LdapResult } from './types';

/**
 * The error for an LDAPResult: the subclass for its code (ReferralError for referral), or a
 * plain LdapError for a code without one (an unknown code, or a non-error result such as
 * success or compareTrue, should a caller pass one). It lives here rather than beside the
 * classes because it reads a protocol LDAPResult, and errors/ imports nothing above it.
 */
export const errorFromResult = (result: LdapResult, messageId?: number, controls?: readonly ResponseControl[]): LdapError => {
  const details: LdapErrorDetails = {
    matchedDN: result.matchedDN,
    diagnosticMessage: result.diagnosticMessage,
  };
  if (result.referral !== undefined) details.referral = result.referral;
  if (messageId !== undefined) details.messageId = messageId;
  if (controls !== undefined && controls.length > 0) details.controls = controls;
  const cls = errorClassForCode(result.resultCode);
  return cls === undefined ? new LdapError(result.resultCode, details) : new cls(details);
};
