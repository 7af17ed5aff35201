import { isUtf8 } from 'node:buffer';
import { nodeCrypto } from '../util/lazy-builtins';
import { ProtocolError } from '../errors';
import type { SaslError } from '../errors';
import type { SaslCredentials, SaslMechanism } from './sasl';
import { MutualAuthentication } from './sasl-mutual';

/**
 * DIGEST-MD5 (RFC 2831), authentication only (qop=auth): no integrity or confidentiality
 * layer is negotiated, so use it over TLS or ldapi if the session needs protecting. RFC 6331
 * made the mechanism historic; it is here because servers still offer it. The server's
 * rspauth is checked, so a server that does not know the password is refused.
 */

export interface DigestMd5Options {
  /** The client nonce; default 24 random bytes in base64. Only tests should set it. */
  cnonce?: string;
  /** The service of the digest-uri (default 'ldap', RFC 4513 §5.2.1.1 / RFC 2831 §2.1.2). */
  service?: string;
}

/** RFC 2831 §2.1.1: a challenge "MUST be less than 2048 bytes". */
const MAX_CHALLENGE = 2048;

/** One directive of a digest-challenge: name (lower case) and value (unquoted, unescaped). */
export interface Directive {
  name: string;
  value: string;
}

const LWS = new Set([' ', '\t', '\r', '\n']);
// RFC 2616 §2.2 separators; with the controls, what may not appear in a token.
const SEPARATORS = new Set(['(', ')', '<', '>', '@', ',', ';', ':', '\\', '"', '/', '[', ']', '?', '=', '{', '}', ' ', '\t']);
const isTokenChar = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !SEPARATORS.has(c);
};

/**
 * Parses `1#( name "=" ( token | quoted-string ) )` (RFC 2831 §7.1, the #rule of RFC 2616
 * §2.1: empty elements and linear white space allowed) from text where one char is one byte.
 * Throws a ProtocolError naming the position; the caller wraps it in a SaslError.
 */
export const parseDirectives = (text: string): Directive[] => {
  const out: Directive[] = [];
  let i = 0;
  const skipLws = (): void => {
    while (i < text.length && LWS.has(text.charAt(i))) i++;
  };
  const token = (what: string): string => {
    const start = i;
    while (i < text.length && isTokenChar(text.charAt(i))) i++;
    if (i === start) throw new ProtocolError(`expected ${what}`, start);
    return text.slice(start, i);
  };
  for (;;) {
    skipLws();
    if (i >= text.length) break;
    if (text[i] === ',') {
      i++;
      continue;
    }
    const name = token('a directive name').toLowerCase();
    skipLws();
    if (text[i] !== '=') throw new ProtocolError(`expected "=" after ${name}`, i);
    i++;
    skipLws();
    let value: string;
    if (text[i] === '"') {
      i++;
      value = '';
      for (;;) {
        if (i >= text.length) throw new ProtocolError(`unterminated quoted string in ${name}`, i);
        const c = text.charAt(i++);
        if (c === '"') break;
        if (c === '\\') {
          // quoted-pair = "\" CHAR: the next character stands for itself.
          if (i >= text.length) throw new ProtocolError(`unterminated quoted string in ${name}`, i);
          value += text.charAt(i++);
        } else {
          value += c;
        }
      }
    } else {
      value = token(`a value for ${name}`);
    }
    out.push({ name, value });
    skipLws();
    if (i < text.length && text[i] !== ',') throw new ProtocolError(`expected "," after ${name}`, i);
  }
  return out;
};

/** quoted-string with `"` and `\` escaped. */
const quote = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

interface Challenge {
  realms: string[];
  nonce: string;
  qops: string[];
  utf8: boolean;
}


/** Directives RFC 2831 §2.1.1 allows at most once. */
const ONCE = new Set(['nonce', 'qop', 'stale', 'maxbuf', 'charset', 'algorithm', 'cipher']);

const md5 = (...parts: Array<string | Buffer>): Buffer => {
  const hash = nodeCrypto().createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const hex = (data: Buffer): string => data.toString('hex');
const utf8OrAscii = (utf8: boolean, value: string): boolean => utf8 || /^[\x00-\x7f]*$/.test(value);

/** One DIGEST-MD5 exchange; single use. */
export class DigestMd5Mechanism implements SaslMechanism {
  readonly name = 'DIGEST-MD5';
  private readonly username: string;
  private password: Buffer | string | undefined;
  private readonly authzId: string | undefined;
  private readonly realm: string | undefined;
  private readonly digestUri: string;
  private readonly cnonce: string;
  /** HEX(H(A1)), kept to check rspauth; set with the digest-response. */
  private ha1 = '';
  private nonce = '';
  /** The digest-response is the client's last message; rspauth is the server's proof. */
  private readonly mutual = new MutualAuthentication({
    name: this.name,
    proofName: 'rspauth',
    verifyProof: (data) => this.verifyRspauth(data),
    forgetSecrets: () => (this.password = undefined),
  });

  constructor(credentials: SaslCredentials, options: DigestMd5Options = {}) {
    if (credentials.username === undefined || credentials.username === '') throw new TypeError('SASL DIGEST-MD5 needs a username');
    if (credentials.password === undefined) throw new TypeError('SASL DIGEST-MD5 needs a password');
    this.username = credentials.username;
    this.password = typeof credentials.password === 'string' ? credentials.password : Buffer.from(credentials.password);
    this.authzId = credentials.authzId === '' ? undefined : credentials.authzId;
    this.realm = credentials.realm;
    this.digestUri = `${options.service ?? 'ldap'}/${credentials.host ?? 'localhost'}`;
    this.cnonce = options.cnonce ?? nodeCrypto().randomBytes(24).toString('base64');
    if (this.cnonce === '') throw new TypeError('SASL DIGEST-MD5: the cnonce must not be empty');
  }

  /** True once the server's rspauth has been checked. */
  get serverAuthenticated(): boolean {
    return this.mutual.serverAuthenticated;
  }

  /** DIGEST-MD5 is server-first: the first BindRequest carries no credentials. */
  initial(): undefined {
    return undefined;
  }

  respond(challenge: Buffer): Buffer {
    // After the digest-response: rspauth in a saslBindInProgress, or a challenge too many.
    return this.mutual.pastLastMessage ? this.mutual.respond(challenge) : this.digestResponse(challenge);
  }

  complete(serverSaslCreds: Buffer | undefined): void {
    this.mutual.complete(serverSaslCreds);
  }

  private fail(message: string, options?: { cause?: unknown }): SaslError {
    return this.mutual.fail(message, options);
  }

  private directives(data: Buffer, what: string): Directive[] {
    if (data.length === 0) throw this.fail(`the ${what} is empty`);
    if (data.length >= MAX_CHALLENGE) throw this.fail(`the ${what} is ${data.length} bytes, RFC 2831 allows less than ${MAX_CHALLENGE}`);
    try {
      // latin1: one char per byte, so the grammar sees bytes; UTF-8 values are decoded later,
      // once the charset directive says they are UTF-8.
      return parseDirectives(data.toString('latin1'));
    } catch (error) {
      throw this.fail(`malformed ${what}: ${(error as Error).message}`, { cause: error });
    }
  }

  private parseChallenge(data: Buffer): Challenge {
    const seen = new Map<string, string>();
    const realms: string[] = [];
    for (const { name, value } of this.directives(data, 'challenge')) {
      if (name === 'realm') {
        realms.push(value);
        continue;
      }
      if (ONCE.has(name)) {
        if (seen.has(name)) throw this.fail(`malformed challenge: ${name} appears more than once`);
        seen.set(name, value);
      }
      // Anything else is an auth-param (RFC 2831 §2.1.1): ignored.
    }
    const nonce = seen.get('nonce');
    if (nonce === undefined || nonce === '') throw this.fail('malformed challenge: no nonce');
    // It is hashed and echoed; printable ASCII keeps its bytes the same in either charset.
    if (!/^[\x20-\x7e]+$/.test(nonce)) throw this.fail('malformed challenge: the nonce is not printable ASCII');
    const algorithm = seen.get('algorithm');
    if (algorithm === undefined) throw this.fail('malformed challenge: no algorithm');
    if (algorithm.toLowerCase() !== 'md5-sess') throw this.fail(`unsupported algorithm ${JSON.stringify(algorithm)} (only md5-sess is defined)`);
    const charset = seen.get('charset');
    if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw this.fail(`unsupported charset ${JSON.stringify(charset)} (only utf-8 is defined)`);
    const utf8 = charset !== undefined;
    // RFC 2831 §2.1.1: an absent qop-options means "auth".
    const qops = (seen.get('qop') ?? 'auth').split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== '');
    return {
      // The realms are UTF-8 when the server said so; the grammar parsed them byte by byte.
      realms: utf8 ? realms.map((r) => this.utf8Value(r, 'realm')) : realms,
      nonce,
      qops,
      utf8,
    };
  }

  private utf8Value(latin1: string, what: string): string {
    const bytes = Buffer.from(latin1, 'latin1');
    if (!isUtf8(bytes)) throw this.fail(`malformed challenge: the ${what} is not UTF-8 though charset=utf-8`);
    return bytes.toString('utf8');
  }

  /**
   * RFC 2831 §2.1.2.1: with charset=utf-8, a string whose characters all fit ISO 8859-1 is
   * hashed in ISO 8859-1, otherwise in UTF-8 (each of username, realm and password on its own,
   * as Cyrus SASL does); without it, everything must be ISO 8859-1. A Buffer password that is
   * UTF-8 is treated as the string it encodes, so the result does not depend on the type.
   */
  private hashBytes(value: string | Buffer, utf8: boolean, what: string): Buffer {
    if (Buffer.isBuffer(value)) {
      if (!isUtf8(value)) return value;
      value = value.toString('utf8');
    }
    const latin1 = /^[\u0000-\u00ff]*$/.test(value);
    if (latin1) return Buffer.from(value, 'latin1');
    if (utf8) return Buffer.from(value, 'utf8');
    // The message names the field only: the value may be a password.
    throw this.fail(`the ${what} has characters outside ISO 8859-1 and the server did not offer charset=utf-8`);
  }

  private digestResponse(data: Buffer): Buffer {
    const challenge = this.parseChallenge(data);
    // Only authentication: auth-int and auth-conf would need a security layer this client
    // does not implement, and choosing one silently would leave the session unprotected.
    if (!challenge.qops.includes('auth')) {
      throw this.fail(`the server offers only qop ${challenge.qops.join(',')}; this client supports only qop=auth (no integrity or confidentiality layer)`);
    }
    const password = this.password;
    if (password === undefined) throw this.fail('the password is gone');
    // The authzid is UTF-8 in A1 whatever the charset (RFC 2831 §2.1.2.1); without charset=utf-8
    // the response is ISO 8859-1, where only ASCII reads the same.
    if (this.authzId !== undefined && !utf8OrAscii(challenge.utf8, this.authzId)) throw this.fail('the authzid is not ASCII and the server did not offer charset=utf-8');
    const realm = this.realm ?? challenge.realms[0] ?? '';
    const { utf8, nonce } = challenge;
    const nc = '00000001';
    const qop = 'auth';
    // A1 = H(username ":" realm ":" passwd) ":" nonce ":" cnonce [":" authzid]
    const secret = md5(this.hashBytes(this.username, utf8, 'username'), ':', this.hashBytes(realm, utf8, 'realm'), ':', this.hashBytes(password, utf8, 'password'));
    // Our copy of a Buffer password is wiped; a string cannot be, so it is only dropped.
    if (Buffer.isBuffer(password)) password.fill(0);
    this.password = undefined;
    const a1 = [secret, Buffer.from(`:${nonce}:${this.cnonce}`, 'utf8')];
    if (this.authzId !== undefined) a1.push(Buffer.from(`:${this.authzId}`, 'utf8'));
    this.ha1 = hex(md5(...a1));
    secret.fill(0);
    this.nonce = nonce;
    const response = this.kd(`AUTHENTICATE:${this.digestUri}`);
    // Directive order as in RFC 2831 §4, so the published example compares byte for byte.
    const parts = [
      ...(utf8 ? ['charset=utf-8'] : []),
      `username=${quote(this.username)}`,
      // RFC 2831 §2.1.2: with no realm, the directive is left out and A1 uses "".
      ...(realm === '' ? [] : [`realm=${quote(realm)}`]),
      `nonce=${quote(nonce)}`,
      `nc=${nc}`,
      `cnonce=${quote(this.cnonce)}`,
      `digest-uri=${quote(this.digestUri)}`,
      `response=${response}`,
      `qop=${qop}`,
      ...(this.authzId === undefined ? [] : [`authzid=${quote(this.authzId)}`]),
    ];
    this.mutual.expectProof();
    return Buffer.from(parts.join(','), utf8 ? 'utf8' : 'latin1');
  }

  /** HEX(KD(HEX(H(A1)), nonce ":" nc ":" cnonce ":" qop ":" HEX(H(A2)))) */
  private kd(a2: string): string {
    const ha2 = hex(md5(a2));
    return hex(md5(`${this.ha1}:${this.nonce}:00000001:${this.cnonce}:auth:${ha2}`));
  }

  private verifyRspauth(data: Buffer): void {
    const directives = this.directives(data, 'second challenge');
    const rspauth = directives.filter((d) => d.name === 'rspauth');
    if (rspauth.length !== 1) throw this.fail(rspauth.length === 0 ? 'the second challenge has no rspauth' : 'rspauth appears more than once');
    // A2 for rspauth has no "AUTHENTICATE" (RFC 2831 §2.1.3).
    const expected = Buffer.from(this.kd(`:${this.digestUri}`), 'latin1');
    const [only] = rspauth;
    if (only === undefined) throw this.fail('the second challenge has no rspauth');
    const got = Buffer.from(only.value.toLowerCase(), 'latin1');
    if (got.length !== expected.length || !nodeCrypto().timingSafeEqual(got, expected)) {
      throw this.fail('rspauth is wrong: the server does not know the password (or the exchange was tampered with)');
    }
  }
}

/** A DIGEST-MD5 mechanism for one bind; the digest-uri is `ldap/<credentials.host ?? 'localhost'>`. */
export const digestMd5Mechanism = (credentials: SaslCredentials, options?: DigestMd5Options): DigestMd5Mechanism => new DigestMd5Mechanism(credentials, options);
