import { onAbort } from '../operations/abort';

/** One caller waiting for a pool member: given one (`take`) or failed, exactly once. */
export interface Waiter<M> {
  take(member: M): void;
  fail(error: unknown): void;
}

export interface WaitOptions {
  /** The caller's signal: aborting it fails the waiter with `abortError(signal)`. */
  signal?: AbortSignal | undefined;
  abortError: (signal: AbortSignal) => unknown;
  /** Milliseconds before the waiter fails with `timeoutError()` (0: no limit). */
  timeout: number;
  timeoutError: () => unknown;
  /** Called when the waiter leaves without a member (timeout, abort, cancel). */
  onLeave?: () => void;
}

interface Entry<M> {
  readonly waiter: Waiter<M>;
  cleanup(): void;
}

/**
 * Callers waiting for a pool member, first come first served. Every waiter leaves exactly once:
 * with a member, by its signal or timeout, by being cancelled, or failed with the others when
 * the pool stops, so none is left hanging and none is held after it left (a Set: O(1) removal).
 */
export class WaitQueue<M> {
  readonly #entries = new Set<Entry<M>>();

  get size(): number {
    return this.#entries.size;
  }

  /** Queues `waiter`; the returned function takes it out again without failing it (idempotent). */
  add(waiter: Waiter<M>, options: WaitOptions): () => void {
    let timer: NodeJS.Timeout | undefined;
    let unsubscribeAbort: (() => void) | undefined;
    const entry: Entry<M> = {
      waiter,
      cleanup: () => {
        if (timer !== undefined) clearTimeout(timer);
        unsubscribeAbort?.();
      },
    };
    const leave = (error: unknown): void => {
      if (!this.#entries.delete(entry)) return;
      entry.cleanup();
      waiter.fail(error);
      options.onLeave?.();
    };
    this.#entries.add(entry);
    if (options.timeout > 0 && options.timeout !== Infinity) timer = setTimeout(() => leave(options.timeoutError()), options.timeout);
    const { signal } = options;
    if (signal !== undefined) unsubscribeAbort = onAbort(signal, () => leave(options.abortError(signal)));
    return () => {
      if (!this.#entries.delete(entry)) return;
      entry.cleanup();
      options.onLeave?.();
    };
  }

  /** The longest-waiting caller, taken out of the queue (undefined when none waits). */
  shift(): Waiter<M> | undefined {
    for (const entry of this.#entries) {
      this.#entries.delete(entry);
      entry.cleanup();
      return entry.waiter;
    }
    return undefined;
  }

  /** Fails every waiter with `error` (the pool stopped). */
  failAll(error: unknown): void {
    const entries = [...this.#entries];
    this.#entries.clear();
    for (const entry of entries) {
      entry.cleanup();
      entry.waiter.fail(error);
    }
  }
}
