import { isUtf8 } from 'node:buffer';
import { nodeCrypto } from '../util/lazy-builtins';
import { octetAt } from '../ber/octet-at';
import { saslPrep } from '../matching/sasl-prep';
import type { SaslError } from '../errors';
import type { SaslCredentials, SaslMechanism } from './sasl';
import { MutualAuthentication } from './sasl-mutual';

/**
 * SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677) without channel binding (gs2 flag `n`):
 * the password never crosses the wire, and the server proves in its last message that it
 * knows the salted password too. That proof is checked here; a server that cannot give it is
 * refused even if it says "success".
 */

export type ScramHash = 'SHA-1' | 'SHA-256';

export interface ScramOptions {
  /**
   * The client nonce; default 24 random bytes from crypto.randomBytes, in base64. Only tests
   * should set it: a predictable nonce lets a recorded exchange be replayed.
   */
  nonce?: string;
  /**
   * The largest iteration count accepted from the server (default
   * DEFAULT_MAX_SCRAM_ITERATIONS, 100,000); overrides `SaslCredentials.maxIterations`.
   */
  maxIterations?: number;
}

const HASHES: Record<ScramHash, { node: string; length: number }> = {
  'SHA-1': { node: 'sha1', length: 20 },
  'SHA-256': { node: 'sha256', length: 32 },
};

/**
 * The iteration count a server may ask for unless the caller raises it. Real deployments sit
 * far below: RFC 7677 §4 asks for at least 4096; Cyrus SASL (the SCRAM of slapd and 389-ds)
 * uses 4096, and its own client, which ldapsearch -Y SCRAM-* runs, refuses more than 65,536;
 * PostgreSQL uses 4096, MongoDB 10,000–15,000. PBKDF2 runs on libuv's thread pool, so the
 * event loop no longer stalls, but each bind still holds one of its four threads (shared with
 * fs and dns.lookup) for the whole count: 10,000,000 SHA-256 iterations are seconds of CPU a
 * hostile server could make every bind pay. 100,000 accepts whatever the Cyrus client does
 * and costs about 25 ms.
 */
export const DEFAULT_MAX_SCRAM_ITERATIONS = 100_000;

// RFC 5802 §7: printable = %x21-2B / %x2D-7E (visible ASCII except the comma).
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// SASLprep (RFC 4013) lives in matching/ with its Unicode tables; still exported from here.
export { saslPrep };

/** RFC 5802 §5.1 saslname: `=` and `,` are the only characters escaped. */
export const escapeSaslName = (name: string): string => name.replace(/=/g, '=3D').replace(/,/g, '=2C');

// ---------------------------------------------------------------------------------------------

// 'deriving': the salted password is being computed on the thread pool. Once the client-final
// message is out, the server's signature is due and MutualAuthentication takes over.
type State = 'start' | 'first-sent' | 'deriving';

interface ServerFirst {
  nonce: string;
  salt: Buffer;
  iterations: number;
}

/**
 * One SCRAM exchange. Single use: a second bind needs a new mechanism (and so a new nonce).
 * The password is kept, SASLprep'd and encoded, only until the salted password is derived.
 */
export class ScramMechanism implements SaslMechanism {
  readonly name: string;
  private readonly hash: { node: string; length: number };
  private readonly clientNonce: string;
  private readonly maxIterations: number;
  private readonly gs2Header: string;
  private readonly clientFirstBare: string;
  private password: Buffer | undefined;
  private state: State = 'start';
  private expectedServerSignature: Buffer | undefined;
  private readonly mutual: MutualAuthentication;

  constructor(hash: ScramHash, credentials: SaslCredentials, options: ScramOptions = {}) {
    this.name = `SCRAM-${hash}`;
    this.mutual = new MutualAuthentication({
      name: this.name,
      proofName: 'its signature',
      verifyProof: (data) => this.verifyServerFinal(data),
      forgetSecrets: () => (this.password = undefined),
    });
    this.hash = HASHES[hash];
    if (credentials.username === undefined || credentials.username === '') throw new TypeError(`SASL ${this.name} needs a username`);
    if (credentials.password === undefined) throw new TypeError(`SASL ${this.name} needs a password`);
    this.clientNonce = options.nonce ?? nodeCrypto().randomBytes(24).toString('base64');
    if (!PRINTABLE.test(this.clientNonce)) throw new TypeError(`SASL ${this.name}: the nonce must be printable ASCII without commas`);
    this.maxIterations = options.maxIterations ?? credentials.maxIterations ?? DEFAULT_MAX_SCRAM_ITERATIONS;
    if (!Number.isSafeInteger(this.maxIterations) || this.maxIterations < 1) throw new RangeError(`SASL ${this.name}: maxIterations must be a positive integer, got ${String(this.maxIterations)}`);
    // RFC 5802 §5.1: the username SHOULD go through SASLprep; servers compare the prepared form.
    const username = escapeSaslName(saslPrep(credentials.username, 'username'));
    // The authzid is an LDAP authorization identity (dn:… or u:…), escaped but not prepared:
    // the server normalises it by its own rules.
    const authzId = credentials.authzId === undefined || credentials.authzId === '' ? '' : `a=${escapeSaslName(credentials.authzId)}`;
    this.gs2Header = `n,${authzId},`;
    this.clientFirstBare = `n=${username},r=${this.clientNonce}`;
    // A Buffer is taken as already prepared bytes; a string is SASLprep'd and UTF-8 encoded
    // (RFC 5802 §2.2 Normalize).
    this.password = typeof credentials.password === 'string' ? Buffer.from(saslPrep(credentials.password, 'password'), 'utf8') : Buffer.from(credentials.password);
  }

  /** True once the server has proved that it knows the password (its ServerSignature matched). */
  get serverAuthenticated(): boolean {
    return this.mutual.serverAuthenticated;
  }

  initial(): Buffer {
    if (this.state !== 'start' || this.mutual.pastLastMessage) throw this.fail('initial() called twice: a SCRAM mechanism serves one bind');
    this.state = 'first-sent';
    return Buffer.from(this.gs2Header + this.clientFirstBare, 'utf8');
  }

  /**
   * Async because the answer to the server-first needs PBKDF2, which runs on libuv's thread
   * pool: computed inline, a large iteration count would stop every timer and socket of the
   * process for as long as it takes.
   */
  async respond(challenge: Buffer): Promise<Buffer> {
    // The server-final in a saslBindInProgress, a challenge too many, or one after a failure.
    if (this.mutual.pastLastMessage) return this.mutual.respond(challenge);
    switch (this.state) {
      case 'first-sent':
        return this.clientFinal(challenge);
      case 'deriving':
        throw this.fail('a challenge arrived while the previous one was still being answered');
      case 'start':
        throw this.fail('a challenge arrived before the client-first message was sent');
    }
  }

  complete(serverSaslCreds: Buffer | undefined): void {
    this.mutual.complete(serverSaslCreds);
  }

  private fail(message: string, options?: { serverError?: string; cause?: unknown }): SaslError {
    return this.mutual.fail(message, options);
  }

  private async clientFinal(challenge: Buffer): Promise<Buffer> {
    const serverFirstMessage = this.text(challenge, 'server-first message');
    const serverFirst = this.parseServerFirst(serverFirstMessage);
    const password = this.password;
    if (password === undefined) throw this.fail('the password is gone');
    const { node, length } = this.hash;
    this.state = 'deriving';
    let saltedPassword: Buffer;
    try {
      saltedPassword = await pbkdf2(password, serverFirst.salt, serverFirst.iterations, length, node);
    } catch (error) {
      throw this.fail('the salted password could not be derived', { cause: error });
    } finally {
      // The async job copied the password before it started, so ours can go now.
      password.fill(0);
      this.password = undefined;
    }
    if (this.mutual.failed) {
      // The exchange failed meanwhile (a second challenge): its error has been thrown already.
      saltedPassword.fill(0);
      throw this.fail('the exchange has already failed');
    }
    const clientKey = hmac(node, saltedPassword, 'Client Key');
    const storedKey = nodeCrypto().createHash(node).update(clientKey).digest();
    const withoutProof = `c=${Buffer.from(this.gs2Header, 'utf8').toString('base64')},r=${serverFirst.nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirstMessage},${withoutProof}`;
    const clientSignature = hmac(node, storedKey, authMessage);
    const proof = Buffer.alloc(length);
    for (let i = 0; i < length; i++) proof[i] = octetAt(clientKey, i) ^ octetAt(clientSignature, i); // both are `length` octets
    this.expectedServerSignature = hmac(node, hmac(node, saltedPassword, 'Server Key'), authMessage);
    saltedPassword.fill(0);
    this.mutual.expectProof();
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }

  /** server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions] */
  private parseServerFirst(message: string): ServerFirst {
    const parts = message.split(',');
    if (parts[0]?.startsWith('m=')) throw this.fail('the server requires an extension (m=) this client does not support');
    const [r, s, i] = parts;
    if (r === undefined || !r.startsWith('r=')) throw this.fail('malformed server-first message: it does not start with the nonce (r=)');
    const nonce = r.slice(2);
    if (!PRINTABLE.test(nonce)) throw this.fail('malformed server-first message: the nonce is not printable ASCII');
    // The server appends its own part; a nonce that does not extend ours is a replay or a bug.
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) throw this.fail('the server nonce does not extend the client nonce');
    if (s === undefined || !s.startsWith('s=')) throw this.fail('malformed server-first message: no salt (s=) after the nonce');
    const saltText = s.slice(2);
    if (saltText === '' || !BASE64.test(saltText)) throw this.fail('malformed server-first message: the salt is not base64');
    if (i === undefined || !i.startsWith('i=')) throw this.fail('malformed server-first message: no iteration count (i=) after the salt');
    const count = i.slice(2);
    if (!/^[0-9]{1,10}$/.test(count)) throw this.fail('malformed server-first message: the iteration count is not a decimal number');
    const iterations = Number(count);
    if (iterations < 1) throw this.fail('the server asked for an iteration count below 1');
    if (iterations > this.maxIterations) throw this.fail(`the server asked for ${iterations} iterations, more than the limit of ${this.maxIterations}`);
    // Further attributes are extensions (RFC 5802 §7), which a client ignores; each must still
    // look like one.
    for (const extension of parts.slice(3)) {
      if (!/^[A-Za-z]=/.test(extension)) throw this.fail('malformed server-first message: an extension is not attr=value');
    }
    return { nonce, salt: Buffer.from(saltText, 'base64'), iterations };
  }

  /** server-final-message = (server-error / verifier) ["," extensions] */
  private verifyServerFinal(data: Buffer): void {
    const message = this.text(data, 'server-final message');
    const [first = ''] = message.split(',');
    if (first.startsWith('e=')) {
      const serverError = first.slice(2).replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
      throw this.fail(`the server refused the authentication: ${serverError}`, { serverError });
    }
    if (!first.startsWith('v=') || !BASE64.test(first.slice(2))) throw this.fail('malformed server-final message: no verifier (v=)');
    const signature = Buffer.from(first.slice(2), 'base64');
    const expected = this.expectedServerSignature;
    if (expected === undefined || signature.length !== expected.length || !nodeCrypto().timingSafeEqual(signature, expected)) {
      throw this.fail('the server signature is wrong: the server does not know the password (or the exchange was tampered with)');
    }
  }

  private text(data: Buffer, what: string): string {
    if (!isUtf8(data)) throw this.fail(`the ${what} is not UTF-8`);
    return data.toString('utf8');
  }
}

const pbkdf2 = (password: Buffer, salt: Buffer, iterations: number, length: number, hash: string): Promise<Buffer> =>
  new Promise((resolve, reject) => nodeCrypto().pbkdf2(password, salt, iterations, length, hash, (error, key) => (error === null ? resolve(key) : reject(error))));

const hmac = (hash: string, key: Buffer, data: string): Buffer => nodeCrypto().createHmac(hash, key).update(data, 'utf8').digest();

/** A SCRAM-SHA-1 or SCRAM-SHA-256 mechanism for one bind: `client.saslBind(scramMechanism('SHA-256', { username, password }))`. */
export const scramMechanism = (hash: ScramHash, credentials: SaslCredentials, options?: ScramOptions): ScramMechanism => new ScramMechanism(hash, credentials, options);
