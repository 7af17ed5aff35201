import { digestMd5Mechanism } from './sasl-digest-md5';
import { scramMechanism } from './sasl-scram';

/**
 * SASL mechanisms as small state machines: `initial()` gives the credentials of the first
 * BindRequest, `respond(challenge)` those of each next one while the server answers
 * saslBindInProgress (RFC 4513 §5.2, RFC 4422). `respond` and `complete` may return a Promise:
 * a step that costs real CPU (SCRAM's PBKDF2) belongs off the event loop.
 */
export interface SaslMechanism {
  readonly name: string;
  initial(): Buffer | undefined;
  respond(challenge: Buffer): Buffer | undefined | Promise<Buffer | undefined>;
  /**
   * Called once when the server answers success, with that BindResponse's serverSaslCreds
   * (undefined when absent). A mechanism that authenticates the server (SCRAM, DIGEST-MD5)
   * checks the server's proof here when it came with the success rather than in a
   * saslBindInProgress, and throws SaslError if the server never proved itself: a server
   * that says "success" without the proof may be an impostor that does not know the password.
   * Mechanisms without a server proof (EXTERNAL, PLAIN) leave it out.
   */
  complete?(serverSaslCreds: Buffer | undefined): void | Promise<void>;
}

export interface SaslCredentials {
  /** Authorization identity to assume (`dn:…` or `u:…`); empty or absent: the authenticated one. */
  authzId?: string;
  /** Authentication identity (PLAIN, DIGEST-MD5, SCRAM). */
  username?: string;
  password?: string | Buffer;
  /** DIGEST-MD5: the realm to authenticate in (default: the first the server offers, else none). */
  realm?: string;
  /**
   * DIGEST-MD5: the host of the digest-uri `ldap/<host>`, which the server compares with its
   * own name (slapd: olcSaslHost, else its host name). Default 'localhost'.
   */
  host?: string;
  /**
   * SCRAM: the largest PBKDF2 iteration count accepted from the server (default
   * DEFAULT_MAX_SCRAM_ITERATIONS, 100,000). A larger request fails the bind with a SaslError;
   * raise this only for a server known to be configured above it.
   */
  maxIterations?: number;
}

/** The mechanisms `Client.saslBind` accepts by name. */
export type SaslMechanismName = 'EXTERNAL' | 'PLAIN' | 'DIGEST-MD5' | 'SCRAM-SHA-1' | 'SCRAM-SHA-256';

/** RFC 4422 Appendix A: the identity comes from outside (TLS client certificate, ldapi peer credentials). */
export const externalMechanism = (credentials: SaslCredentials = {}): SaslMechanism => ({
  name: 'EXTERNAL',
  initial: () => (credentials.authzId === undefined ? undefined : Buffer.from(credentials.authzId, 'utf8')),
  respond: () => Buffer.alloc(0),
});

/** RFC 4616: authzid NUL authcid NUL password, in one step. Only over TLS or ldapi. */
export const plainMechanism = (credentials: SaslCredentials): SaslMechanism => {
  const { username } = credentials;
  if (username === undefined || credentials.password === undefined) throw new TypeError('SASL PLAIN needs a username and a password');
  const password = typeof credentials.password === 'string' ? Buffer.from(credentials.password, 'utf8') : credentials.password;
  return {
    name: 'PLAIN',
    initial: () => Buffer.concat([Buffer.from(credentials.authzId ?? '', 'utf8'), Buffer.from([0]), Buffer.from(username, 'utf8'), Buffer.from([0]), password]),
    respond: () => undefined,
  };
};

/**
 * A fresh mechanism for `name`: what `saslBind('SCRAM-SHA-256', credentials)` runs. Each call
 * gives a new state machine (with a new nonce), so one is never reused across binds.
 */
export const createSaslMechanism = (name: SaslMechanismName, credentials: SaslCredentials = {}): SaslMechanism => {
  switch (name) {
    case 'EXTERNAL':
      return externalMechanism(credentials);
    case 'PLAIN':
      return plainMechanism(credentials);
    case 'DIGEST-MD5':
      return digestMd5Mechanism(credentials);
    case 'SCRAM-SHA-1':
      return scramMechanism('SHA-1', credentials);
    case 'SCRAM-SHA-256':
      return scramMechanism('SHA-256', credentials);
    default:
      // Reached only from untyped callers; the message names the ones there are.
      throw new TypeError(`unknown SASL mechanism ${JSON.stringify(name)} (EXTERNAL, PLAIN, DIGEST-MD5, SCRAM-SHA-1, SCRAM-SHA-256, or a SaslMechanism object)`);
  }
};
