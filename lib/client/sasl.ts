/**
 * SASL mechanisms as small state machines: `initial()` gives the credentials of the first
 * BindRequest, `respond(challenge)` those of each next one while the server answers
 * saslBindInProgress (RFC 4513 §5.2, RFC 4422).
 */
export interface SaslMechanism {
  readonly name: string;
  initial(): Buffer | undefined;
  respond(challenge: Buffer): Buffer | undefined;
}

export interface SaslCredentials {
  /** Authorization identity to assume (`dn:…` or `u:…`); empty or absent: the authenticated one. */
  authzId?: string;
  /** Authentication identity (PLAIN). */
  username?: string;
  password?: string | Buffer;
}

/** RFC 4422 Appendix A: the identity comes from outside (TLS client certificate, ldapi peer credentials). */
export const externalMechanism = (credentials: SaslCredentials = {}): SaslMechanism => ({
  name: 'EXTERNAL',
  initial: () => (credentials.authzId === undefined ? undefined : Buffer.from(credentials.authzId, 'utf8')),
  respond: () => Buffer.alloc(0),
});

/** RFC 4616: authzid NUL authcid NUL password, in one step. Only over TLS or ldapi. */
export const plainMechanism = (credentials: SaslCredentials): SaslMechanism => {
  if (credentials.username === undefined || credentials.password === undefined) throw new TypeError('SASL PLAIN needs a username and a password');
  const password = typeof credentials.password === 'string' ? Buffer.from(credentials.password, 'utf8') : credentials.password;
  return {
    name: 'PLAIN',
    initial: () => Buffer.concat([Buffer.from(credentials.authzId ?? '', 'utf8'), Buffer.from([0]), Buffer.from(credentials.username!, 'utf8'), Buffer.from([0]), password]),
    respond: () => undefined,
  };
};
