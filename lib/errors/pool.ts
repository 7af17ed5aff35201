import { RxLdapError } from './base';
import { AbandonedError, TimeoutError } from './operation';

/**
 * The connection pool is draining or destroyed: it takes no new work, and work that was still
 * waiting for a member when it stopped failed with this error (nothing is left hanging).
 */
export class ConnectionPoolClosedError extends RxLdapError {}

/** No pool member became available within the pool's `acquireTimeout`. */
export class ConnectionPoolTimeoutError extends TimeoutError {}

/** A wait for a pool member was ended by its AbortSignal; `cause` is the signal's reason. */
export class ConnectionPoolAbortedError extends AbandonedError {}

/**
 * More work waited for a pool member than the pool's `maxWaiting` allows: memory stays bounded
 * when callers outrun the server, instead of queueing without end.
 */
export class ConnectionPoolFullError extends RxLdapError {}
