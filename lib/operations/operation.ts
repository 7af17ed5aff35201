import { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import { ObservableBase } from '../util/observable-base';
import type { Subscriber, TeardownLogic } from 'rxjs';
import { BufferOverflowError, ProtocolError } from '../errors';
import type { LdapOutcome, OperationResult } from './outcome';
import { PullQueue } from './pull-queue';

/** Lets a consumer slow the producer down (the connection pauses its socket). */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/**
 * What an async-iterator consumer tells the producer about its appetite. A producer that can
 * pace itself at the protocol level (a paged search asks for the next page) waits on
 * `drained()` instead of letting values pile up; a plain Observable subscriber has no Demand.
 */
export interface Demand {
  /** Resolves once the consumer holds no unread values (at once if it holds none now). */
  drained(): Promise<void>;
  /** The consumer writes entries out as bytes (ldifStream): a search may hand them over undecoded. */
  readonly undecodedEntries?: boolean;
}

/** Set only for the synchronous length of iterateUndecoded's iterate() call. */
let nextIterationUndecoded = false;

/** Where a producer reports its final response's outcome (see Operation.result()). */
export type OutcomeSink = (outcome: LdapOutcome) => void;

/**
 * An operation's producer: like an Observable's subscribe function, plus the consumer's Demand
 * when there is one, and where to report the server's final response.
 */
export type OperationProducer<T> = (subscriber: Subscriber<T>, demand: Demand | undefined, outcome: OutcomeSink) => TeardownLogic;

const ignoreOutcome: OutcomeSink = () => undefined;

export interface OperationOptions<T, R> {
  /** What awaiting the operation resolves to, given the stream of values. */
  settle: (source: Observable<T>) => Promise<R>;
  /** The connection to pause when an async-iterator consumer falls behind. */
  flow?: FlowControl;
  /** Values an iterator may hold unread before the socket is paused (default 1000). */
  highWaterMark?: number;
  /**
   * Values an iterator may hold unread at most (default: 10 × highWaterMark, at least 10,000).
   * The socket is shared: while other operations wait for answers it keeps reading, so a
   * stalled consumer's values pile up; past this the operation fails with BufferOverflowError
   * and is abandoned. Infinity turns the cap off.
   */
  maxBuffered?: number;
}

/** The floor of the default maxBuffered: one socket read can bring a couple of thousand small entries at once. */
const MIN_DEFAULT_MAX_BUFFERED = 10_000;

/** Checks a maxBuffered option: a positive number (Infinity allowed), else RangeError. */
export const checkMaxBuffered = (value: number): number => {
  if (!(value > 0)) throw new RangeError(`maxBuffered must be a positive number (Infinity for no cap), got ${value}`);
  return value;
};

/**
 * The face of every rxldap operation: a cold Observable (nothing is sent until something
 * subscribes), lazily thenable (awaiting subscribes once and resolves via `settle`), and
 * AsyncIterable with backpressure (past `highWaterMark` unread values the socket is paused,
 * and resumed once the consumer has taken half of them).
 */
export class Operation<T, R = T> extends ObservableBase<T> implements PromiseLike<R>, AsyncIterable<T> {
  private settled: Promise<R> | undefined;
  private readonly settle: (source: Observable<T>) => Promise<R>;
  private readonly flow: FlowControl | undefined;
  /** Values held for the consumer at most, before pausing the producer. */
  readonly highWaterMark: number;
  /** Values held for the consumer at most; past it the operation fails with BufferOverflowError. */
  readonly maxBuffered: number;
  /** For tests and metrics: the most values any iterator of this operation held at once. */
  peakBuffered = 0;
  /** Hands an iterator's Demand to the producer during its (synchronous) subscribe call. */
  private readonly handoff: { demand: Demand | undefined; outcome: OutcomeSink | undefined };

  constructor(produce: OperationProducer<T>, options: OperationOptions<T, R>) {
    const handoff: { demand: Demand | undefined; outcome: OutcomeSink | undefined } = { demand: undefined, outcome: undefined };
    super((subscriber) => {
      const { demand, outcome } = handoff;
      handoff.demand = undefined;
      handoff.outcome = undefined;
      return produce(subscriber, demand, outcome ?? ignoreOutcome);
    });
    this.handoff = handoff;
    this.settle = options.settle;
    this.flow = options.flow;
    this.highWaterMark = options.highWaterMark ?? 1000;
    this.maxBuffered = options.maxBuffered === undefined ? Math.max(10 * this.highWaterMark, MIN_DEFAULT_MAX_BUFFERED) : checkMaxBuffered(options.maxBuffered);
  }

  then<A = R, B = never>(onfulfilled?: ((value: R) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.settled ??= this.settle(this);
    return this.settled.then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.then(undefined, onrejected);
  }

  /**
   * Runs the operation (a subscription of its own, like awaiting it) and resolves with its value
   * and everything the server's final response said: result code, diagnostic message, matched
   * DN, referrals and response controls (password policy, pre/post-read entries, sort result).
   * A failure rejects with the same typed error as awaiting; an LdapError carries the response
   * controls too.
   */
  result(): Promise<OperationResult<R>> {
    let outcome: LdapOutcome | undefined;
    this.handoff.outcome = (final) => (outcome = final);
    let settling: Promise<R>;
    try {
      settling = this.settle(this);
    } finally {
      this.handoff.outcome = undefined;
    }
    return settling.then((value) => {
      if (outcome === undefined) throw new TypeError('this operation has no LDAP result to report');
      return { ...outcome, value };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.iterate();
  }

  /**
   * An async iterator, as `for await` gets, that holds at most `highWaterMark` unread values
   * before it pauses the producer (default: the operation's own). A consumer that turns values
   * into something smaller and waits on its own destination (ldifStream, writing LDIF to a file)
   * asks for a small window, so that what waits is bytes and not a thousand entries.
   */
  iterate(highWaterMark: number = this.highWaterMark): AsyncIterator<T> {
    if (!Number.isInteger(highWaterMark) || highWaterMark < 1) throw new RangeError(`highWaterMark must be a positive integer, got ${highWaterMark}`);
    let paused = false;
    const release = (): void => {
      if (paused) {
        paused = false;
        this.flow?.resume();
      }
    };
    const resumeAt = Math.floor(highWaterMark / 2);
    let drainWaiters: Array<() => void> = [];
    const queue = new PullQueue<T>({
      taken: (held) => {
        if (paused && held <= resumeAt) release();
      },
      starved: () => {
        release();
        if (drainWaiters.length === 0) return;
        const waiters = drainWaiters;
        drainWaiters = [];
        for (const wake of waiters) wake();
      },
    });
    const demand: Demand = {
      drained: () => (queue.held === 0 ? Promise.resolve() : new Promise<void>((resolve) => drainWaiters.push(resolve))),
      undecodedEntries: nextIterationUndecoded,
    };
    nextIterationUndecoded = false;

    this.handoff.demand = demand;
    // Declared before subscribe: an overflow may happen during the subscribe call itself.
    let subscription: { unsubscribe(): void } | undefined;
    let overflowed = false;
    subscription = this.subscribe({
      next: (value) => {
        if (overflowed) return;
        queue.push(value);
        const held = queue.held;
        if (held > this.peakBuffered) this.peakBuffered = held;
        if (!paused && this.flow !== undefined && held >= highWaterMark) {
          paused = true;
          this.flow.pause();
        }
        if (held >= this.maxBuffered) {
          // Stop taking values: the operation is abandoned, what is buffered is still delivered, then the error.
          overflowed = true;
          queue.fail(
            new BufferOverflowError(
              `the consumer left ${held} values unread while other operations kept the connection reading; the operation was abandoned (raise maxBuffered, use pagedSearch, or give this operation its own Client)`,
              held,
            ),
          );
          release();
          queueMicrotask(() => subscription?.unsubscribe());
        }
      },
      // Nothing more can arrive for an ended operation: stop holding the socket back for it.
      error: (error: unknown) => {
        if (overflowed) return;
        queue.fail(error);
        release();
      },
      complete: () => {
        if (overflowed) return;
        queue.end();
        release();
      },
    });

    return {
      next: () => queue.next(),
      // break / return out of for-await: unsubscribe, which abandons an unfinished operation.
      return: (): Promise<IteratorResult<T>> => {
        subscription?.unsubscribe();
        release();
        drainWaiters = []; // the producer is unsubscribed: nobody waits for these any more
        return queue.return();
      },
    };
  }

  /** A Node Readable in object mode; its highWaterMark backpressure reaches the socket. */
  toStream(): Readable {
    return Readable.from(this, { objectMode: true, highWaterMark: 16 });
  }
}

/**
 * operation.iterate(highWaterMark), telling its producer that the consumer takes entries
 * undecoded: a plain search then emits an UndecodedEntry for each entry whose attributes have
 * the usual shape (any other item as usual). For ldifStream, which owns the iteration.
 */
export const iterateUndecoded = <T>(operation: Operation<T, unknown>, highWaterMark: number): AsyncIterator<T> => {
  nextIterationUndecoded = true;
  try {
    return operation.iterate(highWaterMark);
  } finally {
    nextIterationUndecoded = false;
  }
};

/** Resolves with the last value (one-shot operations). */
export const settleLast = <T>(source: Observable<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    let last: { value: T } | undefined;
    source.subscribe({
      next: (value) => (last = { value }),
      error: reject,
      complete: () => (last === undefined ? reject(new ProtocolError('the operation completed without a result')) : resolve(last.value)),
    });
  });

/** Resolves with every value (searches). */
export const settleAll = <T>(source: Observable<T>): Promise<T[]> =>
  new Promise<T[]>((resolve, reject) => {
    const values: T[] = [];
    source.subscribe({ next: (value) => values.push(value), error: reject, complete: () => resolve(values) });
  });
