import { RxLdapError } from './base';

/**
 * DirectoryStore.put() of an entry that does not exist yet, without an objectClass: a new
 * entry must name its object classes (RFC 4512 §2.4.1), and the store will not guess them.
 * Nothing was written. `dn` is the entry's DN; `path` the key as the caller gave it.
 */
export class ObjectClassRequiredError extends RxLdapError {
  /** The key as the caller gave it. */
  readonly path: string;
  /** The DN it names. */
  readonly dn: string;
  constructor(path: string, dn: string, options?: { cause?: unknown }) {
    super(`${path} does not exist yet, and a new entry needs an objectClass attribute (${dn})`, options);
    this.path = path;
    this.dn = dn;
  }
}
