import type { Subscriber } from 'rxjs';
import type { Demand, Operation } from './operation';

/**
 * Hands one Operation's values on to another Operation's subscriber, each value through `map`.
 * With a Demand (the outer Operation is being iterated) values are pulled from the inner
 * Operation's own async iterator one at a time, only once the consumer holds none: the inner
 * iterator fills up and pauses its socket (or a paged search waits before its next page) when
 * the consumer is slow, so wrapping an Operation keeps its backpressure. Without one, the inner
 * Operation is subscribed plainly. Values for which `keep` says false are dropped. `done` is
 * called exactly once when the inner work ends or is stopped; the returned function stops it.
 */
export const relay = <S, T>(
  operation: Operation<S, unknown>,
  subscriber: Subscriber<T>,
  demand: Demand | undefined,
  map: (value: S) => T,
  { done = () => undefined, keep = () => true }: { done?: () => void; keep?: (value: S) => boolean } = {},
): (() => void) => {
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    done();
  };
  if (demand === undefined) {
    const subscription = operation.subscribe({
      next: (value) => {
        let mapped: T;
        try {
          if (!keep(value)) return;
          mapped = map(value);
        } catch (error) {
          finish();
          subscriber.error(error);
          return;
        }
        subscriber.next(mapped);
      },
      // finish() first: a pool sees a lost member before the caller can start its next operation.
      error: (error: unknown) => {
        finish();
        subscriber.error(error);
      },
      complete: () => {
        finish();
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      finish();
    };
  }
  const iterator = operation[Symbol.asyncIterator]();
  let stopped = false;
  const run = async (): Promise<void> => {
    try {
      for (;;) {
        const step = await iterator.next();
        if (stopped) return;
        if (step.done === true) {
          finish();
          subscriber.complete();
          return;
        }
        if (!keep(step.value)) continue;
        subscriber.next(map(step.value));
        await demand.drained();
        if (stopped) return;
      }
    } catch (error) {
      if (stopped) return;
      stopped = true;
      void iterator.return?.();
      finish();
      subscriber.error(error);
    }
  };
  void run();
  return () => {
    if (stopped) return;
    stopped = true;
    void iterator.return?.();
    finish();
  };
};
