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
  | SyncRefreshRequiredEvent;

/** Present phase: the entry is unchanged since the cookie (no attributes are sent). */
export interface SyncPresentEvent {
  readonly type: 'present';
  readonly entryUUID: string;
  /** The DN, when the server sent an entry (empty for UUIDs that came in a syncIdSet). */
  readonly dn: string;
}

/** The entry was added or modified (a rename is a modify whose DN changed). */
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
 * the deletions were explicit and nothing else is implied.
 */
export interface SyncPhaseEndEvent {
  readonly type: 'phaseEnd';
  readonly phase: 'present' | 'delete';
  /** True when this also ends the refresh stage. */
  readonly refreshDone: boolean;
}

/**
 * The refresh stage is over: for refreshAndPersist, changes now stream live; for refreshOnly, the
 * search has ended and `cookie` is the one to resume from next time.
 */
export interface SyncRefreshDoneEvent {
  readonly type: 'refreshDone';
  readonly cookie?: Buffer;
}

/**
 * The server answered e-syncRefreshRequired (4096) and the sync restarts (RFC 4533 §3.8):
 * with `cookie` undefined it is a full reload, so a consumer should forget what it has seen in
 * this refresh and treat the coming present phase as the whole content.
 */
export interface SyncRefreshRequiredEvent {
  readonly type: 'refreshRequired';
  readonly cookie?: Buffer;
}
