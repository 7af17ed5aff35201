import type { Observable } from 'rxjs';
import { iterateUndecoded, Operation } from '../../operations/operation';
import { PullQueue } from '../../operations/pull-queue';

const isAsyncIterable = <T>(value: object): value is AsyncIterable<T> =>
  typeof (value as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function';

/**
 * Pulls the values of an Observable one at a time. An rxldap Operation is AsyncIterable with
 * backpressure (a consumer that falls behind pauses the socket), so its own iterator is used,
 * with the same window, asking for entries undecoded: the consumer reads an entry's attributes
 * once, straight from the BER (undecodedEntryAttributes), instead of a Buffer per value and an
 * object per attribute made only to be turned into strings. Any other AsyncIterable is iterated as it
 * is; any other Observable is buffered without bound. `return()` unsubscribes, also while a
 * `next()` is waiting, which then resolves as done.
 */
export const pull = <T>(source: Observable<T>): AsyncIterator<T> => {
  if (source instanceof Operation) return iterateUndecoded(source as Operation<T, unknown>, source.highWaterMark);
  if (isAsyncIterable<T>(source)) return source[Symbol.asyncIterator]();
  const queue = new PullQueue<T>();
  const subscription = source.subscribe({
    next: (value) => queue.push(value),
    error: (error: unknown) => queue.fail(error),
    complete: () => queue.end(),
  });
  return {
    next: () => queue.next(),
    return: () => {
      subscription.unsubscribe();
      return queue.return();
    },
  };
};
