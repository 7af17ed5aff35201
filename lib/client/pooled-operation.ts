import type { TeardownLogic } from 'rxjs';
import { Operation } from '../operations/operation';
import { relay } from '../operations/relay';
import type { Observable } from '../util/rxjs';
import type { OperationResult } from '../operations/outcome';
import type { Client } from './client';

/**
 * How a pooled operation gets a member. `take` is called once a member is chosen, with a
 * `done` to call exactly once when the work ends; `fail` when none can be had. The returned
 * function withdraws a wait that has not been served yet.
 */
export type Dispatch = (take: (client: Client, done: () => void) => void, fail: (error: unknown) => void, signal: AbortSignal | undefined) => () => void;

/**
 * An Operation of a ConnectionPool: like the Client's, cold, awaitable and async-iterable; each
 * subscription (or await, or result()) is given to a member when it starts, and runs there as
 * that member's own Operation.
 */
export class PooledOperation<T, R> extends Operation<T, R> {
  readonly #dispatch: Dispatch;
  readonly #start: (client: Client) => Operation<T, R>;
  readonly #signal: AbortSignal | undefined;

  constructor(dispatch: Dispatch, start: (client: Client) => Operation<T, R>, settle: (source: Observable<T>) => Promise<R>, signal: AbortSignal | undefined) {
    super((subscriber, demand): TeardownLogic => {
      let stop: (() => void) | undefined;
      const withdraw = dispatch(
        (client, done) => {
          if (subscriber.closed) return done();
          let operation: Operation<T, R>;
          try {
            operation = start(client);
          } catch (error) {
            done();
            subscriber.error(error);
            return undefined;
          }
          stop = relay(operation, subscriber, demand, (value) => value, { done });
          return undefined;
        },
        (error) => subscriber.error(error),
        signal,
      );
      return () => {
        withdraw();
        stop?.();
      };
    }, { settle });
    this.#dispatch = dispatch;
    this.#start = start;
    this.#signal = signal;
  }

  /** The member's own result(): its value with the server's final response (controls, diagnostic). */
  override result(): Promise<OperationResult<R>> {
    return new Promise<OperationResult<R>>((resolve, reject) => {
      this.#dispatch(
        (client, done) => {
          let running: Promise<OperationResult<R>>;
          try {
            running = this.#start(client).result();
          } catch (error) {
            done();
            reject(error);
            return;
          }
          running.then(
            (result) => {
              done();
              resolve(result);
            },
            (error: unknown) => {
              done();
              reject(error);
            },
          );
        },
        reject,
        this.#signal,
      );
    });
  }
}
