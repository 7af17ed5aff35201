import type { Client, ClientOptions } from './client';

/** How a pool checks that an idle member still answers (see ConnectionPoolOptions.healthCheck). */
export interface PoolHealthCheck {
  /** Milliseconds between two checks of each idle member. */
  interval: number;
  /**
   * The check; a rejection (or no answer within `interval`) closes the member and replaces it.
   * Default: a base search of the root DSE asking for no attributes.
   */
  check?: (client: Client) => PromiseLike<unknown>;
}

export interface ConnectionPoolOptions {
  /** The options of every member's Client (each member is one Client, holding one connection). */
  client: ClientOptions;
  /** A fixed number of members, or bounds: `min` are kept open, up to `max` when all are busy. Default `{ min: 1, max: 10 }`. */
  size?: number | { min: number; max: number };
  /**
   * How each new member authenticates, before any work is given to it (e.g.
   * `(client) => client.bind(dn, password)`). The signal aborts when the pool is destroyed or
   * has drained meanwhile. The identity it leaves is the member's: a member found bound as anyone
   * else (a lease that bound as a user) is re-authenticated with it before it serves again.
   */
  bind?: (client: Client, signal: AbortSignal) => PromiseLike<unknown>;
  /** Milliseconds after which a member is closed once idle, and replaced (default: no limit). */
  maxLifetime?: number;
  /** Milliseconds after which an idle member above `min` is closed (default 60,000; 0: never). */
  idleTimeout?: number;
  /** Periodic check of idle members (default: none). */
  healthCheck?: PoolHealthCheck;
  /**
   * Milliseconds an operation or acquire() waits for a member before failing with
   * ConnectionPoolTimeoutError (default 30,000; 0: no limit, the caller's signal or timeout bounds it).
   */
  acquireTimeout?: number;
  /**
   * Operations and acquire() calls that may wait for a member at once; past it they fail with
   * ConnectionPoolFullError (default 10,000; Infinity: no limit).
   */
  maxWaiting?: number;
}

/** The options with defaults applied and checked (a bad value is a RangeError at construction). */
export interface ResolvedPoolOptions {
  readonly client: ClientOptions;
  readonly min: number;
  readonly max: number;
  readonly bind: ((client: Client, signal: AbortSignal) => PromiseLike<unknown>) | undefined;
  readonly maxLifetime: number;
  readonly idleTimeout: number;
  readonly healthCheck: { readonly interval: number; readonly check: (client: Client) => PromiseLike<unknown> } | undefined;
  readonly acquireTimeout: number;
  readonly maxWaiting: number;
}

const DEFAULT_SIZE = { min: 1, max: 10 };
const DEFAULT_IDLE_TIMEOUT = 60_000;
const DEFAULT_ACQUIRE_TIMEOUT = 30_000;
const DEFAULT_MAX_WAITING = 10_000;

/** The cheapest question every LDAPv3 server answers: the root DSE, no attributes. */
export const rootDseCheck = (client: Client): PromiseLike<unknown> => client.search('', { scope: 'base', attributes: ['1.1'] });

const checkCount = (name: string, value: number, least: number): number => {
  if (!Number.isInteger(value) || value < least) throw new RangeError(`${name} must be an integer of at least ${least}, got ${value}`);
  return value;
};

const checkMs = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!(value >= 0) || (!Number.isFinite(value) && value !== Infinity)) throw new RangeError(`${name} must be a number of milliseconds (0 or more), got ${value}`);
  return value;
};

export const resolvePoolOptions = (options: ConnectionPoolOptions): ResolvedPoolOptions => {
  const size = options.size ?? DEFAULT_SIZE;
  const [min, max] = typeof size === 'number' ? [checkCount('size', size, 1), size] : [checkCount('size.min', size.min, 0), checkCount('size.max', size.max, 1)];
  if (min > max) throw new RangeError(`size.min (${min}) must not exceed size.max (${max})`);
  const maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
  if (maxWaiting !== Infinity) checkCount('maxWaiting', maxWaiting, 0);
  let healthCheck: ResolvedPoolOptions['healthCheck'];
  if (options.healthCheck !== undefined) {
    const interval = options.healthCheck.interval;
    if (!(interval > 0) || !Number.isFinite(interval)) throw new RangeError(`healthCheck.interval must be a positive number of milliseconds, got ${interval}`);
    healthCheck = { interval, check: options.healthCheck.check ?? rootDseCheck };
  }
  return {
    client: options.client,
    min,
    max,
    bind: options.bind,
    maxLifetime: checkMs('maxLifetime', options.maxLifetime, 0),
    idleTimeout: checkMs('idleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT),
    healthCheck,
    acquireTimeout: checkMs('acquireTimeout', options.acquireTimeout, DEFAULT_ACQUIRE_TIMEOUT),
    maxWaiting,
  };
};

/** A member taken out of dispatch for work that needs one connection (see ConnectionPool.acquire). */
export interface PoolLease extends AsyncDisposable {
  /** The member's Client, bound as the pool's identity; yours alone until released. */
  readonly client: Client;
  /**
   * Gives the member back (idempotent). Resolves once it serves again, is re-authenticated
   * (when the lease bound it as someone else) or was closed and replaced (when its connection
   * is gone). Never rejects. Do not use `client` afterwards.
   */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Ends the wait for a member with ConnectionPoolAbortedError (its `cause` is the signal's reason). */
  signal?: AbortSignal;
}

/** A snapshot of a pool (ConnectionPool.stats). */
export interface ConnectionPoolStats {
  /** Members open and serving, leased or re-authenticating. */
  readonly size: number;
  /** Open members with nothing in flight and no lease. */
  readonly idle: number;
  /** Open members with work in flight or leased. */
  readonly busy: number;
  readonly leased: number;
  /** Members being connected and bound. */
  readonly connecting: number;
  /** Operations and acquire() calls waiting for a member. */
  readonly waiting: number;
  /** Members created since the pool started. */
  readonly created: number;
  /** Members closed since the pool started (expired, idle, unhealthy, or their connection lost). */
  readonly closed: number;
  /** Attempts to create a member that failed (connect or bind). */
  readonly failedCreations: number;
  /** Health checks that failed. */
  readonly failedHealthChecks: number;
  /** Operations given to members. */
  readonly dispatched: number;
}
