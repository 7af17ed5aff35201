/** What a PullQueue tells its owner, so that it can pace the producer (see Operation's iterator). */
export interface PullQueueHooks {
  /** A value was taken from the buffer; `held` values are still unread. */
  taken?(held: number): void;
  /** next() found nothing to read and waits for the producer. */
  starved?(): void;
}

const done = <T>(): IteratorResult<T> => ({ value: undefined, done: true });

/**
 * The queue between a push source (an Observable's next, error and complete) and a pull
 * consumer (an AsyncIterator's next): values wait here until asked for, and a next() that finds
 * none waits for the next one. After an error the values already buffered are still delivered,
 * then next() rejects. Once ended (error, complete or return) it takes nothing more.
 *
 * It holds whatever it is given: bounding it is the owner's job (Operation pauses the socket and
 * fails past maxBuffered). Operation's async iterator and search/sync's pull() are built on it.
 */
export class PullQueue<T> implements AsyncIterator<T> {
  private readonly buffer: T[] = [];
  private head = 0;
  private ended: { error: unknown } | { error?: never } | undefined;
  private waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;

  constructor(private readonly hooks: PullQueueHooks = {}) {}

  /** Values buffered and not yet read. */
  get held(): number {
    return this.buffer.length - this.head;
  }

  /** Hands `value` to a waiting next(), or buffers it. */
  push(value: T): void {
    if (this.ended !== undefined) return;
    const waiter = this.waiter;
    if (waiter === undefined) {
      this.buffer.push(value);
      return;
    }
    this.waiter = undefined;
    waiter.resolve({ value, done: false });
  }

  /** No more values: next() rejects with `error` once the buffered values are read. */
  fail(error: unknown): void {
    if (this.ended !== undefined) return;
    this.ended = { error };
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  /** No more values: next() reports done once the buffered values are read. */
  end(): void {
    if (this.ended !== undefined) return;
    this.ended = {};
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(done());
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head] as T;
      // Drop the buffer's reference at once: a consumed value must not outlive its turn.
      (this.buffer as Array<T | undefined>)[this.head++] = undefined;
      if (this.head === this.buffer.length) {
        this.buffer.length = 0;
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        this.buffer.splice(0, this.head); // compact now and then instead of shift()ing every value
        this.head = 0;
      }
      this.hooks.taken?.(this.held);
      return Promise.resolve({ value, done: false });
    }
    const ended = this.ended;
    if (ended !== undefined) return 'error' in ended ? Promise.reject(ended.error) : Promise.resolve(done());
    this.hooks.starved?.();
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Drops what is buffered and ends the queue; a waiting next() resolves as done. */
  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.head = 0;
    this.ended = {};
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(done());
    return Promise.resolve(done());
  }
}
