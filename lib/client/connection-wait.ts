import type { Connection } from '../connection/connection';
import { TimeoutError, isConnectionLoss } from '../errors';
import { abortError, onAbort } from '../operations/abort';
import type { ExchangeOptions } from '../operations/exchange';
import { ExtendedOid } from '../protocol/extended/oids';
import type { LdapMessage, RequestOp } from '../protocol/types';
import { Observable } from '../util/rxjs';

/*
 * How an operation meets a client that is (re)connecting: it waits, bounded by its own limits,
 * and a read may be sent once more after a lost connection.
 */

/** Requests that change nothing on the server: only these may be sent again after a lost connection. */
export const isRead = (op: RequestOp): boolean =>
  op.type === 'searchRequest' || op.type === 'compareRequest' || (op.type === 'extendedReq' && op.requestName === ExtendedOid.whoAmI);

/**
 * Waits for the client's connection, bounded by the operation's timeout, deadline and signal,
 * so an operation started while the client reconnects does not wait longer than it would for
 * its answer.
 */
export const waitForConnection = (connecting: Promise<Connection>, options: ExchangeOptions, what: string): Promise<Connection> => {
  const limits = [options.timeout, options.deadline].filter((ms): ms is number => ms !== undefined && ms > 0);
  const signal = options.signal;
  // Always the same path, bounded or not: operations waiting together must resume in the order
  // they started, so their requests go out in that order (a bind before what follows it).
  return new Promise<Connection>((resolve, reject) => {
    const ms = limits.length === 0 ? undefined : Math.min(...limits);
    let stopListening: (() => void) | undefined;
    const finish = (error: unknown, connection?: Connection): void => {
      if (timer !== undefined) clearTimeout(timer);
      stopListening?.();
      if (connection !== undefined) resolve(connection);
      else reject(error);
    };
    const timer = ms === undefined ? undefined : setTimeout(() => finish(new TimeoutError(`${what} waited ${ms} ms for a connection`)), ms);
    if (signal !== undefined) {
      if (signal.aborted) return finish(abortError(signal, `${what}, waiting for a connection,`));
      // One listener per signal however many operations share it (see operations/abort.ts).
      stopListening = onAbort(signal, () => finish(abortError(signal, `${what}, waiting for a connection,`)));
    }
    connecting.then((connection) => finish(undefined, connection), (error: unknown) => finish(error));
  });
};

/** Subscribes again, once, when the first try lost its connection before any response arrived. */
export const retryOnceAfterLoss = (attempt: () => Observable<LdapMessage>): Observable<LdapMessage> =>
  new Observable<LdapMessage>((subscriber) => {
    let received = false;
    let inner = attempt().subscribe({
      next: (message) => {
        received = true;
        subscriber.next(message);
      },
      error: (error: unknown) => {
        if (received || !isConnectionLoss(error)) {
          subscriber.error(error);
          return;
        }
        inner = attempt().subscribe(subscriber);
      },
      complete: () => subscriber.complete(),
    });
    return () => inner.unsubscribe();
  });
