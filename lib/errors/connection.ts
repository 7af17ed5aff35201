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

/**
 * No server of the client's list could be reached within the reconnection limits (attempts,
 * time, or `active` cycles). `cause` is the last server's failure; `attempts` how many were made.
 */
export class ServerPoolExhaustedError extends ConnectionError {
  constructor(
    message: string,
    readonly attempts: number,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/**
 * A new connection could not be made the identity the client had (its bind, StartTLS or SASL
 * exchange failed, or could not be replayed): the connection was closed, and the operations
 * waiting for it fail with this error rather than run under another identity. `cause` says why.
 */
export class RebindError extends ConnectionError {}

/**
 * A lost connection that a reconnect may replace (so a read may be sent again, a feed resumed):
 * a ConnectionError, but not a failed rebind nor an exhausted server list, which a new attempt
 * would only repeat.
 */
export const isConnectionLoss = (error: unknown): error is ConnectionError =>
  error instanceof ConnectionError && !(error instanceof RebindError) && !(error instanceof ServerPoolExhaustedError);
