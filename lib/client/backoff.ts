/**
 * When and for how long a client reconnects after losing its connection: exponential backoff
 * with jitter, bounded by a number of attempts and by time. `false` turns reconnection off (a
 * lost connection's next operation then fails at once if the first try fails).
 */
export interface ReconnectOptions {
  /** Milliseconds before the first retry (default 100). */
  initialDelay?: number;
  /** The longest wait between two attempts (default 10,000). */
  maxDelay?: number;
  /** Each wait is this many times the one before (default 2). */
  factor?: number;
  /** Each wait varies by up to this fraction either way, so many clients do not retry in step (default 0.2). */
  jitter?: number;
  /** Attempts per outage before giving up (default Infinity: bounded by maxTime). */
  maxAttempts?: number;
  /** Milliseconds per outage before giving up (default 60,000). */
  maxTime?: number;
}

export type ReconnectPolicy = Required<ReconnectOptions>;

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelay: 100, maxDelay: 10_000, factor: 2, jitter: 0.2, maxAttempts: Infinity, maxTime: 60_000 };

export const reconnectPolicy = (options: ReconnectOptions | boolean | undefined): ReconnectPolicy | undefined => {
  if (options === false) return undefined;
  const policy = { ...DEFAULT_RECONNECT, ...(options === true || options === undefined ? {} : options) };
  for (const [name, value] of Object.entries(policy)) {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new RangeError(`reconnect.${name} must be a number ≥ 0, got ${String(value)}`);
  }
  if (policy.jitter > 1) throw new RangeError(`reconnect.jitter is a fraction (0 to 1), got ${policy.jitter}`);
  return policy;
};

/** The wait before retry number `attempt` (1 for the first retry). */
export const backoffDelay = (policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number => {
  const base = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
};
