/**
 * The three Observable shapes the client needs, written on Observable itself. rxjs's `defer`,
 * `from`, `switchMap` and `throwError` would load two dozen more rxjs modules at start-up (about
 * a third of rxldap's import time) for what is a few lines each here.
 */
import { Observable } from '../util/rxjs';
import type { Subscription } from 'rxjs';

/** Like rxjs's defer: `factory` runs per subscription; a throw becomes the error. */
export const deferred = <T>(factory: () => Observable<T>): Observable<T> =>
  new Observable<T>((subscriber) => {
    let source: Observable<T>;
    try {
      source = factory();
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    return source.subscribe(subscriber);
  });

/** Like rxjs's throwError(() => error): errors each subscriber with a fresh `error()`. */
export const failing = <T>(error: () => unknown): Observable<T> => new Observable<T>((subscriber) => subscriber.error(error()));

/**
 * Like defer(() => from(promise())).pipe(switchMap(then)): waits for `promise()` (once per
 * subscription), then mirrors `then(value)`. An unsubscribe before the promise settles means
 * `then` never runs.
 */
export const afterPromise = <V, T>(promise: () => Promise<V>, then: (value: V) => Observable<T>): Observable<T> =>
  new Observable<T>((subscriber) => {
    let inner: Subscription | undefined;
    promise().then(
      (value) => {
        if (subscriber.closed) return;
        try {
          inner = then(value).subscribe(subscriber);
        } catch (error) {
          subscriber.error(error);
        }
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => inner?.unsubscribe();
  });
