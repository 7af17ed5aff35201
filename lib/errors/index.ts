/**
 * The failures rxldap reports that are not an LDAP result code. Every error the library raises
 * extends RxLdapError, so `instanceof RxLdapError` separates our failures from a caller's own.
 * LdapError and its one-subclass-per-result-code family live in protocol/ldap-error.ts.
 */
export class RxLdapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // The name is set per subclass so stack traces and logs say which failure this is.
    this.name = new.target.name;
  }
}

/** Bytes that are not valid LDAP: a BER violation or a message that breaks RFC 4511's rules. */
export class ProtocolError extends RxLdapError {
  /** Offset in the PDU (or the stream, when the framer raises it) where decoding stopped. */
  readonly offset: number | undefined;
  /** What rule the bytes broke, without the position prefix. */
  readonly reason: string;
  constructor(reason: string, offset?: number, options?: { cause?: unknown }) {
    super(offset === undefined ? reason : `${reason} (at offset ${offset})`, options);
    this.reason = reason;
    this.offset = offset;
  }
}

/** The transport failed: refused, reset, closed, or the server sent a Notice of Disconnection. */
export class ConnectionError extends RxLdapError {}

/** An operation or a connect did not finish within its time budget. */
export class TimeoutError extends RxLdapError {}

/** An operation was abandoned (unsubscribed, aborted) before its result arrived. */
export class AbandonedError extends RxLdapError {}

/** A string in LDAP's DN or filter syntax is malformed; `position` is the 0-based character index. */
export class LdapSyntaxError extends RxLdapError {
  readonly input: string;
  readonly position: number;
  readonly reason: string;
  constructor(kind: string, input: string, position: number, reason: string) {
    super(`invalid ${kind} at position ${position}: ${reason} in ${JSON.stringify(input)}`);
    this.input = input;
    this.position = position;
    this.reason = reason;
  }
}

/** A distinguished name that does not follow RFC 4514. */
export class InvalidDNError extends LdapSyntaxError {
  constructor(input: string, position: number, reason: string) {
    super('DN', input, position, reason);
  }
}

/** A search filter that does not follow RFC 4515. */
export class InvalidFilterError extends LdapSyntaxError {
  constructor(input: string, position: number, reason: string) {
    super('filter', input, position, reason);
  }
}

/**
 * A password (simple bind) or a cleartext SASL credential (PLAIN) was about to go over a
 * connection that is neither TLS, ldapi nor loopback. Nothing was written. Use ldaps://, call
 * startTLS() first, or allow it explicitly with `allowCleartextCredentials: true`.
 */
export class CleartextCredentialsError extends RxLdapError {}

/**
 * An async-iterator consumer fell so far behind that its operation held `maxBuffered` unread
 * values while other operations kept the shared socket reading. The operation was abandoned;
 * the values already buffered are still delivered before this error.
 */
export class BufferOverflowError extends RxLdapError {
  constructor(
    message: string,
    /** How many values the operation held unread when it was stopped. */
    readonly buffered: number,
  ) {
    super(message);
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
