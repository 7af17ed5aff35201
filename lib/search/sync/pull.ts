import type { Observable } from 'rxjs';

const isAsyncIterable = <T>(value: object): value is AsyncIterable<T> =>
  typeof (value as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function';

/**
 * Pulls the values of an Observable one at a time. An rxldap Operation is AsyncIterable with
 * backpressure (a consumer that falls behind pauses the socket), so its own iterator is used;
 * any other Observable is buffered without bound. `return()` unsubscribes, also while a
 * `next()` is waiting, which then resolves as done.
 */
export const pull = <T>(source: Observable<T>): AsyncIterator<T> => {
  if (isAsyncIterable<T>(source)) return source[Symbol.asyncIterator]();
  const buffer: T[] = [];
  let head = 0;
  let ended: { error?: unknown; failed: boolean } | undefined;
  let waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  const done = (): IteratorResult<T> => ({ value: undefined, done: true });
  const subscription = source.subscribe({
    next: (value) => {
      if (waiter === undefined) buffer.push(value);
      else {
        const w = waiter;
        waiter = undefined;
        w.resolve({ value, done: false });
      }
    },
    error: (error: unknown) => {
      ended = { error, failed: true };
      waiter?.reject(error);
      waiter = undefined;
    },
    complete: () => {
      ended = { failed: false };
      waiter?.resolve(done());
      waiter = undefined;
    },
  });
  return {
    next: () => {
      if (head < buffer.length) {
        const value = buffer[head++] as T;
        if (head === buffer.length || (head > 1024 && head * 2 > buffer.length)) {
          buffer.splice(0, head); // drop the consumed prefix now and then instead of shift()ing each value
          head = 0;
        }
        return Promise.resolve({ value, done: false });
      }
      if (ended !== undefined) return ended.failed ? Promise.reject(ended.error) : Promise.resolve(done());
      return new Promise((resolve, reject) => (waiter = { resolve, reject }));
    },
    return: () => {
      subscription.unsubscribe();
      buffer.length = 0;
      head = 0;
      ended = { failed: false };
      waiter?.resolve(done());
      waiter = undefined;
      return Promise.resolve(done());
    },
  };
};
