import { RxLdapError } from './base';

/**
 * A string that is not a usable LDAP URL. The message names the faulty component and where it
 * starts, never the whole URL: an extension may carry a password (`x-bindpw`), so extension
 * values are never quoted at all.
 */
export class InvalidUrlError extends RxLdapError {
  /** Which part was wrong: 'scheme', 'host', 'port', 'dn', 'attributes', 'scope', 'filter', 'extensions'. */
  readonly component: string;
  /** 0-based index in the URL where that part starts. */
  readonly position: number;
  constructor(component: string, position: number, reason: string, options?: { cause?: unknown }) {
    super(`invalid LDAP URL: ${component} at position ${position}: ${reason}`, options);
    this.component = component;
    this.position = position;
  }
}

/** A critical extension rxldap does not process (RFC 4516 §2): the URL must not be used. */
export class UnsupportedCriticalExtensionError extends InvalidUrlError {
  /** The extension's type (its value is not kept: it may be a credential). */
  readonly extension: string;
  constructor(extension: string, position: number) {
    super('extensions', position, `critical extension ${JSON.stringify(extension)} is not supported (RFC 4516 §2: the URL must not be processed)`);
    this.extension = extension;
  }
}
