/**
 * The root of every error rxldap raises, so `instanceof RxLdapError` separates our failures
 * from a caller's own. Each family of subclasses has its own file in this folder; errors/ is
 * the bottom layer and imports nothing else of rxldap.
 */
export class RxLdapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // The name is set per subclass so stack traces and logs say which failure this is.
    this.name = new.target.name;
  }
}
