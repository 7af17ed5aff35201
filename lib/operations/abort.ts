import { AbandonedError, TimeoutError } from '../errors';
import type { RxLdapError } from '../errors';

/**
 * One 'abort' listener per AbortSignal, whatever the number of operations sharing it. An
 * EventTarget's removeEventListener scans its listeners, so 80,000 operations each adding and
 * removing their own on one shared signal cost O(n²) (13.9 s against 0.95 s with separate
 * signals) and warned MaxListenersExceeded. Here each operation adds to and deletes from a Set.
 */
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` once when `signal` aborts; the returned function unregisters it in O(1). */
export const onAbort = (signal: AbortSignal, callback: () => void): (() => void) => {
  let callbacks = subscribers.get(signal);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    subscribers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        subscribers.delete(signal);
        for (const call of [...created]) call();
        created.clear();
      },
      { once: true },
    );
  }
  const registered = callbacks;
  registered.add(callback);
  return () => {
    registered.delete(callback);
  };
};

/**
 * The error of an operation ended by its signal: a TimeoutError when the signal's reason is one
 * (AbortSignal.timeout()), else an AbandonedError; either way `cause` is `signal.reason`.
 */
export const abortError = (signal: AbortSignal, what: string): RxLdapError => {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new TimeoutError(`${what} timed out (its AbortSignal)`, { cause: reason });
  return new AbandonedError(`${what} aborted`, { cause: reason });
};
