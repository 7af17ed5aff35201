import { SaslError } from '../errors';
import type { SaslMechanism } from './sasl';

/**
 * Where a mutually authenticating exchange stands once the client has said its piece: the
 * server owes its proof ('proof-due'), has given it ('done'), or the exchange failed. The
 * mechanism's own steps before that are `Step`.
 */
export type MutualState<Step extends string> = Step | 'proof-due' | 'done' | 'failed';

/**
 * What DIGEST-MD5 and SCRAM share: after the client's last message the server owes a proof that
 * it knows the password (rspauth, the server signature). It may send that proof in a
 * saslBindInProgress, answered with an empty response (RFC 4422 §5: no additional data with
 * the success), or with its success. Either way the bind succeeds only once the proof has been
 * checked: a server that says "success" without it may be an impostor that does not know the
 * password. A success that brings other data after the proof is refused too. Any failure ends
 * the exchange and drops the password; a mechanism serves one bind.
 */
export abstract class MutualSaslMechanism<Step extends string> implements SaslMechanism {
  abstract readonly name: string;
  protected abstract state: MutualState<Step>;
  /** How messages name the server's proof: 'its signature', 'rspauth'. */
  protected abstract readonly proofName: string;
  /** The proof as the server sent it, kept to accept the same message repeated with the success. */
  private verifiedProof: Buffer | undefined;

  abstract initial(): Buffer | undefined;
  abstract respond(challenge: Buffer): Buffer | undefined | Promise<Buffer | undefined>;
  /** Checks the server's proof; throws `this.fail(…)` when it does not hold. */
  protected abstract verifyProof(data: Buffer): void;
  /** Wipes or drops the password and anything derived from it. */
  protected abstract forgetSecrets(): void;

  /** True once the server has proved that it knows the password. */
  get serverAuthenticated(): boolean {
    return this.state === 'done';
  }

  complete(serverSaslCreds: Buffer | undefined): void {
    const data = serverSaslCreds === undefined || serverSaslCreds.length === 0 ? undefined : serverSaslCreds;
    switch (this.state) {
      case 'proof-due':
        if (data === undefined) throw this.fail(`the server reported success without ${this.proofName}, so it has not proved that it knows the password`);
        this.checkProof(data);
        return;
      case 'done':
        // Already checked from a saslBindInProgress; the success may repeat the same message.
        if (data !== undefined && !(this.verifiedProof?.equals(data) ?? false)) throw this.fail(`the server sent unexpected data with its success after ${this.proofName}`);
        return;
      case 'failed':
        throw this.fail('the exchange has already failed');
      default:
        throw this.fail('the server reported success before the exchange finished, so it has not proved that it knows the password');
    }
  }

  /**
   * respond() once the client's last message is out: the proof in a saslBindInProgress is
   * checked and answered with an empty response, which lets the server send its success.
   */
  protected respondAfterLastMessage(challenge: Buffer, state: 'proof-due' | 'done' | 'failed'): Buffer {
    switch (state) {
      case 'proof-due':
        this.checkProof(challenge);
        return Buffer.alloc(0);
      case 'done':
        throw this.fail(`the server sent another challenge after ${this.proofName}`);
      case 'failed':
        throw this.fail('the exchange has already failed');
    }
  }

  /** Ends the exchange: the password goes, and the error to throw comes back. */
  protected fail(message: string, options?: { serverError?: string; cause?: unknown }): SaslError {
    this.state = 'failed';
    this.forgetSecrets();
    return new SaslError(this.name, message, options);
  }

  private checkProof(data: Buffer): void {
    this.verifyProof(data);
    this.state = 'done';
    this.verifiedProof = Buffer.from(data);
  }
}
