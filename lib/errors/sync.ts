import { RxLdapError } from './base';

/** A sync store whose files are not what it wrote (not merely cut short by a crash). */
export class SyncStoreCorruptError extends RxLdapError {
  constructor(
    message: string,
    /** The file that failed the check. */
    readonly path: string,
  ) {
    super(`${message} (${path})`);
  }
}

/** A SyncReplConsumer used out of order: started twice at once, or started after stop(). */
export class SyncConsumerStateError extends RxLdapError {}

/** A sync store used before load() or after a write failed (its files may be behind its memory). */
export class SyncStoreStateError extends RxLdapError {}
