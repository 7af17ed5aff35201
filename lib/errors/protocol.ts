import { RxLdapError } from './base';

/**
 * The server broke the protocol: bytes that are not valid BER or LDAP, or a message that
 * breaks RFC 4511's rules or an extension's (a response of the wrong kind for its request, a
 * sync entry without its control, a paged search that does not advance).
 */
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
