import type { RxLdapError } from '../errors';
import type { SearchEntry } from './entry';

/**
 * The typed events of an RFC 4533 content synchronization (`client.syncrepl`). entryUUIDs are
 * given in their canonical text form (8-4-4-4-12 lowercase hex), as in the entryUUID attribute.
 */
export type SyncEvent =
  | SyncPresentEvent
  | SyncEntryEvent
  | SyncDeleteEvent
  | SyncIdSetEvent
  | SyncCookieEvent
  | SyncPhaseEndEvent
  | SyncRefreshDoneEvent
  | SyncRefreshRequiredEvent
  | SyncResumedEvent;

/** Present phase: the entry is unchanged since the cookie (no attributes are sent). */
export interface SyncPresentEvent {
  readonly type: 'present';
  readonly entryUUID: string;
  /** The DN, when the server sent an entry (empty for UUIDs that came in a syncIdSet). */
  readonly dn: string;
}

/**
 * The entry was added or modified (a rename is a modify whose DN changed). Treat both as
 * "store this entry under its entryUUID": during a refresh slapd reports a changed entry as
 * `add` too, since it cannot tell what the consumer has.
 */
export interface SyncEntryEvent {
  readonly type: 'add' | 'modify';
  readonly entryUUID: string;
  readonly dn: string;
  readonly entry: SearchEntry;
}

/** The entry is gone (or left the scope). The DN may be empty, e.g. from a syncIdSet. */
export interface SyncDeleteEvent {
  readonly type: 'delete';
  readonly entryUUID: string;
  readonly dn: string;
}

/**
 * A Sync Info syncIdSet kept as a set (option `expandIdSets: false`); expanded, it is a run of
 * `present` (refreshDeletes false) or `delete` (refreshDeletes true) events instead.
 */
export interface SyncIdSetEvent {
  readonly type: 'syncIdSet';
  readonly entryUUIDs: readonly string[];
  readonly refreshDeletes: boolean;
}

/**
 * A new cookie: everything emitted before it is covered by it. Sent after the event of the
 * message that carried it (entry, Sync Info, or Sync Done), so storing data and then cookie in
 * order never puts a cookie ahead of the data.
 */
export interface SyncCookieEvent {
  readonly type: 'cookie';
  readonly cookie: Buffer;
}

/**
 * The end of a refresh phase. After a 'present' phase every known entry that was not reported
 * as present, added or modified since the refresh began must be deleted; after a 'delete' phase
 * the deletions were explicit and nothing else is implied. It comes from a Sync Info
 * refreshPresent / refreshDelete, or from the Sync Done of a search that ends its refresh
 * (refreshOnly). A search the server ends during the persist stage gives no phaseEnd.
 */
export interface SyncPhaseEndEvent {
  readonly type: 'phaseEnd';
  readonly phase: 'present' | 'delete';
  /** True when this also ends the refresh stage. */
  readonly refreshDone: boolean;
}

/**
 * The refresh stage is over: for refreshAndPersist, changes now stream live; for refreshOnly, the
 * search completes right after it. It comes once per sync request (again after a restart).
 */
export interface SyncRefreshDoneEvent {
  readonly type: 'refreshDone';
  /**
   * The newest cookie of the session, the one to resume from: that of the last `cookie` event,
   * or the cookie the sync was started with when the server sent none (nothing changed).
   */
  readonly cookie?: Buffer;
}

/**
 * The server answered e-syncRefreshRequired (4096) and the sync restarts at once (RFC 4533
 * §3.8) with the same search: with `cookie` (from the Sync Done), that cookie is sent; with
 * `cookie` undefined it is a full reload, so a consumer should forget what it has seen in this
 * refresh and treat the coming refresh as the whole content: slapd ends a refresh without a
 * cookie with a 'delete' phase that names nothing, so entries held from before and not sent
 * again must be dropped by the consumer itself at refreshDone. After `maxRestarts` of these in
 * a row without a refreshDone the operation fails with SyncRefreshRequiredError instead.
 */
export interface SyncRefreshRequiredEvent {
  readonly type: 'refreshRequired';
  readonly cookie?: Buffer;
}

/**
 * The connection under the sync was lost; the sync starts again from `cookie` (the last one the
 * server sent, or the first request's) on the client's new connection, which the client has
 * made the same identity (on the same server or another of its list). A refresh follows, so a
 * consumer treats what comes next as a refresh from that cookie: nothing changed in between is
 * missed, and some changes may be reported again.
 */
export interface SyncResumedEvent {
  readonly type: 'resumed';
  readonly cookie?: Buffer;
  /** Why the connection ended. */
  readonly reason: RxLdapError;
}
