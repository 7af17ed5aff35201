import type { RxLdapError } from '../../errors';
import type { SyncAttributes } from './types';

/**
 * How far a refresh has got, for a long initial sync: emitted at most once per
 * `progressInterval` while entries arrive, when the deletions a present phase implies begin,
 * and once more at refreshDone.
 */
export interface SyncProgress {
  readonly type: 'progress';
  /**
   * `refresh`: entries are arriving; `sweep`: the refresh's phase ended and the stored entries
   * it did not report are being deleted; `done`: refreshDone (the final figures of the refresh).
   */
  readonly phase: 'refresh' | 'sweep' | 'done';
  /** Entries the refresh has sent so far (added, changed, present or deleted; each member of a syncIdSet counts). */
  readonly entries: number;
  /** Of those, the ones that changed the replica (adds, changes, renames, deletions). */
  readonly changes: number;
  /** Entries in the replica now. */
  readonly size: number;
  /** Since the sync request was sent. */
  readonly elapsedMs: number;
  /** entries / elapsed seconds. */
  readonly rate: number;
}

/**
 * What a SyncReplConsumer does, as data: the same information as its callbacks, in the same
 * order (each event is emitted just before its callback runs), plus what has no callback:
 * `phaseEnd` (a refresh phase ended, before the deletions it implies), `refreshRequired` (the
 * server restarted the refresh), `resumed` (the connection was lost and the sync carried on over
 * a new one), `commit` (a batch became durable in the store) and `progress` (SyncProgress).
 */
export type ConsumerEvent =
  | { readonly type: 'bindComplete' }
  | { readonly type: 'add'; readonly entryUUID: string; readonly dn: string; readonly attributes: SyncAttributes }
  | { readonly type: 'delete'; readonly entryUUID: string; readonly dn: string }
  | { readonly type: 'rename'; readonly entryUUID: string; readonly oldDn: string; readonly newDn: string }
  | {
      readonly type: 'change';
      readonly entryUUID: string;
      readonly dn: string;
      readonly oldAttributes: SyncAttributes;
      readonly newAttributes: SyncAttributes;
    }
  | { readonly type: 'cookie'; readonly cookie: Buffer }
  | { readonly type: 'refreshDone' }
  | { readonly type: 'phaseEnd'; readonly phase: 'present' | 'delete' }
  | { readonly type: 'refreshRequired' }
  /** The connection was lost; the client reconnected (and rebound) and the sync resumes from its last cookie. */
  | { readonly type: 'resumed'; readonly reason: RxLdapError }
  /** A batch became durable: entries written, deleted and marked present (`seen`), and its cookie, if any. */
  | { readonly type: 'commit'; readonly puts: number; readonly deletes: number; readonly seen: number; readonly cookie?: Buffer }
  | SyncProgress;

/** The events that have a callback. */
export type CallbackEvent = Exclude<ConsumerEvent, { type: 'commit' | 'phaseEnd' | 'refreshRequired' | 'resumed' | 'progress' }>;

/**
 * What the consumer calls, strictly one at a time and in order; each may return a Promise, which
 * the consumer waits for before going on. A callback that throws (or rejects) ends the sync, and
 * start() rejects with that error. The new attribute objects passed are the ones the next commit
 * writes: read or copy them, do not change them.
 */
export interface SyncCallbacks {
  /** After `bind` (if any) succeeded, before the sync request is sent; once per start(). */
  bindComplete(): unknown;
  /** The refresh stage is over: for refreshAndPersist, changes stream live from now on. */
  refreshDone(): unknown;
  /** A new entry (its entryUUID was not in the replica). */
  recordAdd(dn: string, attributes: SyncAttributes): unknown;
  /** An entry is gone or left the scope; `dn` is the last DN the replica knew. */
  recordDelete(dn: string): unknown;
  /**
   * The entry's DN changed. When its attributes changed too (as they do when the RDN value
   * changes), recordChange follows, with the new DN.
   */
  recordRename(oldDn: string, newDn: string): unknown;
  /** The entry's attributes changed; never called when they did not. */
  recordChange(dn: string, oldAttributes: SyncAttributes, newAttributes: SyncAttributes): unknown;
  /** The replica is now at this cookie (called just before it is committed with the data it covers). */
  cookieChange(cookie: Buffer): unknown;
}
