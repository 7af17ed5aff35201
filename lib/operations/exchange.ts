import { Observable } from '../util/rxjs';
import type { Connection, ResponseHandler } from '../connection/connection';
import { ResultCode, TimeoutError } from '../errors';
import type { RxLdapError } from '../errors';
import type { Control } from '../protocol/controls/types';
import { cancelRequest } from '../protocol/extended/cancel';
import type { LdapMessage, RequestOp } from '../protocol/types';
import { abortError, onAbort } from './abort';

export interface ExchangeOptions {
  controls?: readonly Control[];
  /**
   * Milliseconds of silence before the operation fails with TimeoutError and is abandoned: the
   * longest wait for its first response and, for a stream (a search), between two responses.
   * Time the connection spends paused because the consumer is slow does not count. 0: none.
   */
  timeout?: number;
  /** Milliseconds from the request until the whole operation must have finished (default none). */
  deadline?: number;
  /**
   * A read (search, compare, whoami) whose connection was lost before any response is sent
   * again, once, after the client reconnected and rebound (the Client honours it). Writes never
   * are: whether a lost write was applied is unknown.
   */
  retry?: boolean;
  /**
   * Aborting fails the operation with AbandonedError (TimeoutError for AbortSignal.timeout()),
   * whose `cause` is the signal's reason, and abandons it.
   */
  signal?: AbortSignal;
  /**
   * How an unsubscribe ends an unfinished operation: 'abandon' (default, RFC 4511 §4.11) or
   * 'cancel' (RFC 3909), which the server answers, so a syncrepl persist stage is ended
   * explicitly; the late responses are then drained and dropped until the final one.
   */
  stopWith?: 'abandon' | 'cancel';
}

/**
 * Set on an operation's ExchangeOptions, asks for its entries undecoded (see UndecodedEntry).
 * A symbol, not an option: only ldifStream's own searches ask, through Operation's Demand.
 */
export const UNDECODED_ENTRIES: unique symbol = Symbol('rxldap.undecodedEntries');
export type ExchangeOptionsWithUndecoded = ExchangeOptions & { [UNDECODED_ENTRIES]?: true };

/**
 * The cold Observable of one request's responses: subscribing sends the request, each response
 * routed to its messageID is emitted, `isFinal` decides which one completes it. Unsubscribing
 * before then, a timeout, or an abort sends Abandon and frees the messageID; neighbours on the
 * connection are untouched.
 */
export const exchange = (
  connection: Connection,
  protocolOp: RequestOp,
  isFinal: (message: LdapMessage) => boolean,
  options: ExchangeOptions = {},
): Observable<LdapMessage> =>
  new Observable<LdapMessage>((subscriber) => {
    let messageId: number | undefined;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;
    let stopListening: (() => void) | undefined;
    const stop = (error: RxLdapError): void => {
      if (done) return;
      done = true;
      if (messageId !== undefined) connection.abandon(messageId, error);
      subscriber.error(error);
    };
    const describe = (): string => `${protocolOp.type}${messageId === undefined ? '' : ` (messageID ${messageId})`}`;
    const handler: ResponseHandler = {
      undecodedEntries: (options as ExchangeOptionsWithUndecoded)[UNDECODED_ENTRIES] === true,
      onMessage: (message) => {
        const final = isFinal(message);
        if (final) done = true;
        else if (timer !== undefined) timer.refresh(); // silence is measured from the last response
        subscriber.next(message);
        if (final) subscriber.complete();
        return final;
      },
      onError: (error) => {
        done = true;
        subscriber.error(error);
      },
    };
    const signal = options.signal;
    if (signal?.aborted === true) {
      subscriber.error(abortError(signal, `${protocolOp.type}, before it was sent,`));
      return undefined;
    }
    try {
      messageId = connection.request(protocolOp, options.controls, handler);
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    if (options.timeout !== undefined && options.timeout > 0) {
      const ms = options.timeout;
      const onSilence = (): void => {
        // Paused for a slow consumer: the server is being held back by us, not silent.
        if (connection.isPaused && !connection.isClosed) timer = setTimeout(onSilence, ms);
        else stop(new TimeoutError(`${describe()} got no response for ${ms} ms`));
      };
      timer = setTimeout(onSilence, ms);
    }
    if (options.deadline !== undefined && options.deadline > 0) {
      const ms = options.deadline;
      deadlineTimer = setTimeout(() => stop(new TimeoutError(`${describe()} did not finish within its deadline of ${ms} ms`)), ms);
    }
    if (signal !== undefined) stopListening = onAbort(signal, () => stop(abortError(signal, describe())));
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
      stopListening?.();
      if (!done && messageId !== undefined) {
        done = true;
        if (options.stopWith === 'cancel' && !connection.isClosed && !connection.isQueued(messageId)) {
          // The search's handler stays registered (its subscriber is closed, so what arrives
          // is dropped) until the server ends it with `canceled`. A server that refuses the
          // Cancel (cannotCancel, tooLate, or no RFC 3909 at all) would leave it running and
          // its messageID held forever: then fall back to Abandon.
          const id = messageId;
          const onCancelAnswer: ResponseHandler = {
            onMessage: (answer) => {
              const op = answer.protocolOp;
              if (op.type === 'extendedResp' && op.resultCode !== ResultCode.success && !connection.isClosed) connection.abandon(id);
              return true;
            },
            onError: () => undefined,
          };
          try {
            connection.request(cancelRequest(id), undefined, onCancelAnswer);
          } catch {
            connection.abandon(messageId); // the connection failed meanwhile: forget it locally
          }
        } else {
          connection.abandon(messageId);
        }
      }
    };
  });
