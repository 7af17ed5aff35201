import { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import type { Subscriber, TeardownLogic } from 'rxjs';

/** Lets a consumer slow the producer down (the connection pauses its socket). */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

export interface OperationOptions<T, R> {
  /** What awaiting the operation resolves to, given the stream of values. */
  settle: (source: Observable<T>) => Promise<R>;
  /** The connection to pause when an async-iterator consumer falls behind. */
  flow?: FlowControl;
  /** Values an iterator may hold unread before the socket is paused (default 1000). */
  highWaterMark?: number;
}

/**
 * The face of every rxldap operation: a cold Observable (nothing is sent until something
 * subscribes), lazily thenable (awaiting subscribes once and resolves via `settle`), and
 * AsyncIterable with backpressure (past `highWaterMark` unread values the socket is paused,
 * and resumed once the consumer has taken half of them).
 */
export class Operation<T, R = T> extends Observable<T> implements PromiseLike<R>, AsyncIterable<T> {
  private settled: Promise<R> | undefined;
  private readonly settle: (source: Observable<T>) => Promise<R>;
  private readonly flow: FlowControl | undefined;
  /** Values held for the consumer at most, before pausing the producer. */
  readonly highWaterMark: number;
  /** For tests and metrics: the most values any iterator of this operation held at once. */
  peakBuffered = 0;

  constructor(subscribe: (subscriber: Subscriber<T>) => TeardownLogic, options: OperationOptions<T, R>) {
    super(subscribe);
    this.settle = options.settle;
    this.flow = options.flow;
    this.highWaterMark = options.highWaterMark ?? 1000;
  }

  then<A = R, B = never>(onfulfilled?: ((value: R) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.settled ??= this.settle(this);
    return this.settled.then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.then(undefined, onrejected);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const buffer: T[] = [];
    let head = 0;
    let finished = false;
    let failure: { error: unknown } | undefined;
    let waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
    let paused = false;
    const resumeAt = Math.floor(this.highWaterMark / 2);

    const release = (): void => {
      if (paused) {
        paused = false;
        this.flow?.resume();
      }
    };

    const subscription = this.subscribe({
      next: (value) => {
        if (waiter !== undefined) {
          const w = waiter;
          waiter = undefined;
          w.resolve({ value, done: false });
          return;
        }
        buffer.push(value);
        const held = buffer.length - head;
        if (held > this.peakBuffered) this.peakBuffered = held;
        if (!paused && this.flow !== undefined && held >= this.highWaterMark) {
          paused = true;
          this.flow.pause();
        }
      },
      // Nothing more can arrive for an ended operation: stop holding the socket back for it.
      error: (error: unknown) => {
        failure = { error };
        release();
        if (waiter !== undefined) waiter.reject(error);
        waiter = undefined;
      },
      complete: () => {
        finished = true;
        release();
        if (waiter !== undefined) waiter.resolve({ value: undefined, done: true });
        waiter = undefined;
      },
    });

    return {
      next: (): Promise<IteratorResult<T>> => {
        if (head < buffer.length) {
          const value = buffer[head++]!;
          if (head > 1024 && head * 2 > buffer.length) {
            buffer.splice(0, head); // compact now and then instead of shift()ing every value
            head = 0;
          }
          if (paused && buffer.length - head <= resumeAt) release();
          return Promise.resolve({ value, done: false });
        }
        if (failure !== undefined) return Promise.reject(failure.error);
        if (finished) return Promise.resolve({ value: undefined, done: true });
        release();
        return new Promise((resolve, reject) => (waiter = { resolve, reject }));
      },
      // break / return out of for-await: unsubscribe, which abandons an unfinished operation.
      return: (): Promise<IteratorResult<T>> => {
        subscription.unsubscribe();
        release();
        buffer.length = 0;
        head = 0;
        finished = true;
        failure = undefined;
        if (waiter !== undefined) waiter.resolve({ value: undefined, done: true });
        waiter = undefined;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** A Node Readable in object mode; its highWaterMark backpressure reaches the socket. */
  toStream(): Readable {
    return Readable.from(this, { objectMode: true, highWaterMark: 16 });
  }
}

/** Resolves with the last value (one-shot operations). */
export const settleLast = <T>(source: Observable<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    let last: { value: T } | undefined;
    source.subscribe({
      next: (value) => (last = { value }),
      error: reject,
      complete: () => (last === undefined ? reject(new Error('operation completed without a result')) : resolve(last.value)),
    });
  });

/** Resolves with every value (searches). */
export const settleAll = <T>(source: Observable<T>): Promise<T[]> =>
  new Promise<T[]>((resolve, reject) => {
    const values: T[] = [];
    source.subscribe({ next: (value) => values.push(value), error: reject, complete: () => resolve(values) });
  });
