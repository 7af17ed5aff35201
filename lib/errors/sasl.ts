import { RxLdapError } from './base';

/**
 * A SASL exchange failed on the client's side: a malformed or unsupported challenge, an `e=`
 * from a SCRAM server, or a server that could not prove it knows the password. The server's
 * own refusals arrive as LdapErrors (InvalidCredentialsError, …) instead.
 */
export class SaslError extends RxLdapError {
  readonly mechanism: string;
  /** SCRAM: the server-error-value of an `e=` attribute. */
  readonly serverError: string | undefined;
  constructor(mechanism: string, message: string, options?: { cause?: unknown; serverError?: string }) {
    super(`SASL ${mechanism}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.mechanism = mechanism;
    this.serverError = options?.serverError;
  }
}

/**
 * A string SASLprep (RFC 4013) refuses: a prohibited character, a right-to-left string that
 * breaks the bidirectional rule, or (for stored strings) an unassigned code point. The message
 * names the field and the rule, never the text: it is often a password.
 */
export class SaslPrepError extends RxLdapError {
  /** Which RFC 4013 / RFC 3454 rule the string broke. */
  readonly rule: 'prohibited' | 'bidi' | 'unassigned';
  constructor(rule: 'prohibited' | 'bidi' | 'unassigned', message: string) {
    super(message);
    this.rule = rule;
  }
}
