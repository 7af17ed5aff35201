import { errorFromResult, LdapError, ResultCode } from './deps';
import type { LdapResult, ResultCodeName } from './deps';

/**
 * How the directory refuses an operation: the client's own typed error for the result code
 * (EntryAlreadyExistsError, NoSuchObjectError, …), so code that drives the directory directly
 * catches what a Client would, and the session turns it back into an LDAPResult unchanged.
 */
export const failure = (code: ResultCodeName, diagnosticMessage = '', matchedDN = ''): LdapError =>
  errorFromResult({ resultCode: ResultCode[code], matchedDN, diagnosticMessage });

/** A referral result (RFC 4511 §4.1.10): the entry is somewhere else, at these URLs. */
export const referral = (urls: readonly string[], matchedDN: string): LdapError =>
  errorFromResult({ resultCode: ResultCode.referral, matchedDN, diagnosticMessage: '', referral: [...urls] });

/** The LDAPResult an error stands for; anything that is not an LdapError is the server's fault (other, 80). */
export const resultOf = (error: unknown): LdapResult => {
  if (error instanceof LdapError) {
    const result: LdapResult = { resultCode: error.code, matchedDN: error.matchedDN, diagnosticMessage: error.diagnosticMessage };
    return error.referral === undefined ? result : { ...result, referral: error.referral };
  }
  return { resultCode: ResultCode.other, matchedDN: '', diagnosticMessage: 'internal error' };
};

export const success = (): LdapResult => ({ resultCode: ResultCode.success, matchedDN: '', diagnosticMessage: '' });
