import { RxLdapError } from './base';

/**
 * LDIF (RFC 2849) that cannot be read: every one says where, as a 1-based line and a 1-based
 * column counted in bytes of that physical line (a folded line's continuations are lines of
 * their own). Messages name the rule that was broken, never the text around it: an LDIF file
 * carries passwords and other secrets, and an error may end up in a log.
 */
export class LdifError extends RxLdapError {
  constructor(
    kind: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} at line ${line}, column ${column}: ${reason}`, options);
  }
}

/** Text that does not follow RFC 2849's grammar. */
export class LdifSyntaxError extends LdifError {
  constructor(line: number, column: number, reason: string) {
    super('invalid LDIF', line, column, reason);
  }
}

/** A record longer than the reader's maxRecordBytes: it fails rather than being buffered without end. */
export class LdifLimitError extends LdifError {
  constructor(
    line: number,
    column: number,
    readonly limit: number,
  ) {
    super('LDIF record too large', line, column, `the record starting here is longer than maxRecordBytes (${limit} bytes)`);
  }
}

/**
 * A `:<` URL value the reader will not or cannot read: URLs are refused unless the caller allowed
 * them, only `file:` URLs are ever read, and a file that cannot be read fails with its cause.
 */
export class LdifUrlError extends LdifError {
  constructor(line: number, column: number, reason: string, options?: { cause?: unknown }) {
    super('LDIF URL value refused', line, column, reason, options);
  }
}

/** A record or entry that cannot be written as LDIF (an invalid attribute description or control OID, say). */
export class LdifRecordError extends RxLdapError {
  constructor(readonly reason: string) {
    super(`cannot write LDIF: ${reason}`);
  }
}
