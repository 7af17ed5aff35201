import { RxLdapError } from './base';

/** The transport failed: refused, reset, closed, or the server sent a Notice of Disconnection. */
export class ConnectionError extends RxLdapError {}

/** The server ended the session with a Notice of Disconnection; `code` is its result code. */
export class NoticeOfDisconnectionError extends ConnectionError {
  constructor(
    readonly code: number,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/**
 * A password (simple bind) or a cleartext SASL credential (PLAIN) was about to go over a
 * connection that is neither TLS, ldapi nor loopback. Nothing was written. Use ldaps://, call
 * startTLS() first, or allow it explicitly with `allowCleartextCredentials: true`.
 */
export class CleartextCredentialsError extends RxLdapError {}
