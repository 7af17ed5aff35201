import { SaslError } from '../errors';

/** What the shared steps need to know of the mechanism they serve. */
export interface MutualMechanism {
  readonly name: string;
  /** How messages name the server's proof: 'its signature', 'rspauth'. */
  readonly proofName: string;
  /** Checks the server's proof; throws the MutualAuthentication's fail(…) when it does not hold. */
  verifyProof(data: Buffer): void;
  /** Wipes or drops the password and anything derived from it. */
  forgetSecrets(): void;
}

/**
 * What DIGEST-MD5 and SCRAM share: once the client has sent its last message the server owes a
 * proof that it knows the password (rspauth, the server signature). It may send that proof in a
 * saslBindInProgress, answered with an empty response (RFC 4422 §5: no additional data with the
 * success), or with its success. Either way the bind succeeds only once the proof has been
 * checked: a server that says "success" without it may be an impostor that does not know the
 * password. A success that brings other data after the proof is refused too. Any failure ends
 * the exchange and drops the password; a mechanism serves one bind.
 *
 * Each mechanism runs its own steps up to its last message, then calls expectProof() and hands
 * respond() and complete() to this.
 */
export class MutualAuthentication {
  private stage: 'exchanging' | 'proof-due' | 'done' | 'failed' = 'exchanging';
  /** The proof as the server sent it, kept to accept the same message repeated with the success. */
  private verifiedProof: Buffer | undefined;

  constructor(private readonly mechanism: MutualMechanism) {}

  /** True once the server has proved that it knows the password. */
  get serverAuthenticated(): boolean {
    return this.stage === 'done';
  }

  /** True once the exchange has failed. */
  get failed(): boolean {
    return this.stage === 'failed';
  }

  /** True once the mechanism's own steps are over: respond() belongs to this from then on. */
  get pastLastMessage(): boolean {
    return this.stage !== 'exchanging';
  }

  /** The client's last message is out: the server owes its proof now. */
  expectProof(): void {
    if (this.stage === 'exchanging') this.stage = 'proof-due';
  }

  /** A challenge after the client's last message: the proof is checked, and the empty response lets the server send its success. */
  respond(challenge: Buffer): Buffer {
    switch (this.stage) {
      case 'proof-due':
        this.checkProof(challenge);
        return Buffer.alloc(0);
      case 'done':
        throw this.fail(`the server sent another challenge after ${this.mechanism.proofName}`);
      case 'failed':
        throw this.fail('the exchange has already failed');
      case 'exchanging':
        throw this.fail('a challenge arrived before the client sent its last message');
    }
  }

  /** The server's success, with its serverSaslCreds (undefined or empty when it brought none). */
  complete(serverSaslCreds: Buffer | undefined): void {
    const data = serverSaslCreds === undefined || serverSaslCreds.length === 0 ? undefined : serverSaslCreds;
    switch (this.stage) {
      case 'proof-due':
        if (data === undefined) throw this.fail(`the server reported success without ${this.mechanism.proofName}, so it has not proved that it knows the password`);
        this.checkProof(data);
        return;
      case 'done':
        // Already checked from a saslBindInProgress; the success may repeat the same message.
        if (data !== undefined && !(this.verifiedProof?.equals(data) ?? false)) throw this.fail(`the server sent unexpected data with its success after ${this.mechanism.proofName}`);
        return;
      case 'failed':
        throw this.fail('the exchange has already failed');
      case 'exchanging':
        throw this.fail('the server reported success before the exchange finished, so it has not proved that it knows the password');
    }
  }

  /** Ends the exchange: the password goes, and the error to throw comes back. */
  fail(message: string, options?: { serverError?: string; cause?: unknown }): SaslError {
    this.stage = 'failed';
    this.mechanism.forgetSecrets();
    return new SaslError(this.mechanism.name, message, options);
  }

  private checkProof(data: Buffer): void {
    this.mechanism.verifyProof(data);
    this.stage = 'done';
    this.verifiedProof = Buffer.from(data);
  }
}
