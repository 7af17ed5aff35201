import { RxLdapError } from './base';

/** An operation or a connect did not finish within its time budget. */
export class TimeoutError extends RxLdapError {}

/** An operation was abandoned (unsubscribed, aborted) before its result arrived. */
export class AbandonedError extends RxLdapError {}

/**
 * An async-iterator consumer fell so far behind that its operation held `maxBuffered` unread
 * values while other operations kept the shared socket reading. The operation was abandoned;
 * the values already buffered are still delivered before this error.
 */
export class BufferOverflowError extends RxLdapError {
  constructor(
    message: string,
    /** How many values the operation held unread when it was stopped. */
    readonly buffered: number,
  ) {
    super(message);
  }
}
