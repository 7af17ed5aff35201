import type { Client } from './client';
import type { BoundIdentity } from './events';

const sameIdentity = (a: BoundIdentity | undefined, b: BoundIdentity | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b;
  if (a.method === 'simple') return b.method === 'simple' && a.dn === b.dn;
  if (b.method !== 'sasl') return false;
  return a.mechanism === b.mechanism && a.authzId === b.authzId && a.username === b.username;
};

/** One Client of a ConnectionPool, with what the pool needs to know about it. */
export class PoolMember {
  /** Work the pool gave this member that has not ended (dispatched operations, a health check). */
  inFlight = 0;
  /** Taken by acquire(): no dispatched work goes to it until it is released. */
  leased = false;
  /** Kept free of new dispatched work so that a waiting acquire() gets it once its work ends. */
  reserved = false;
  /** Being authenticated again after a lease left it bound as someone else. */
  restoring = false;
  /** Older than maxLifetime: takes no new work and is closed once idle. */
  expired = false;
  /** A health check is running on it. */
  checking = false;
  idleTimer: NodeJS.Timeout | undefined;
  lifetimeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly client: Client,
    /** Who the pool's bind left the connection bound as (undefined: anonymous). */
    readonly identity: BoundIdentity | undefined,
  ) {}

  /**
   * Whether the member may serve: its connection is still the one the pool bound (a Client
   * whose connection closed would open a new, anonymous one on the next operation) and is
   * bound as the pool's identity.
   */
  get usable(): boolean {
    return this.client.isConnected && this.bindIntact;
  }

  /** Whether the open connection is still bound as the pool's identity. */
  get bindIntact(): boolean {
    return sameIdentity(this.client.boundAs, this.identity);
  }

  /** How busy it is, for least-busy dispatch: the pool's count, or the connection's if higher (a lease may have left work). */
  get load(): number {
    return Math.max(this.inFlight, this.client.pendingOperations);
  }

  get idle(): boolean {
    return this.inFlight === 0 && !this.leased && !this.restoring;
  }

  get dispatchable(): boolean {
    return !this.leased && !this.reserved && !this.restoring && !this.expired && this.usable;
  }

  stopIdleTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  stopTimers(): void {
    this.stopIdleTimer();
    if (this.lifetimeTimer !== undefined) clearTimeout(this.lifetimeTimer);
    this.lifetimeTimer = undefined;
  }
}
