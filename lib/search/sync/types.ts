/**
 * The shapes shared by the SyncRepl consumer and its stores: what one replicated entry looks
 * like, what one commit changes, and what a store must answer.
 *
 * The replica lives in the store, not in the consumer: the consumer asks for an entry when an
 * event needs its previous state (the old values for recordChange, the old DN for recordRename
 * and recordDelete) and keeps in memory only the changes not yet committed. So the consumer's
 * memory depends on its batch size, not on the directory's size; the store's own memory depends
 * on the store (MemorySyncStore and FileSyncStore hold the replica in memory, SqliteSyncStore on
 * disk).
 */

/**
 * An entry's attributes as the consumer sees them: attribute description as the server spelled
 * it → values. Values are UTF-8 strings, except for the binary attributes (SyncReplConsumer's
 * `binaryAttributes`, and any description with the `;binary` option), whose values are base64.
 * A value that is not valid UTF-8 in an attribute not listed as binary is decoded lossily (bad
 * bytes become U+FFFD): list such attributes in `binaryAttributes`.
 */
export type SyncAttributes = Record<string, string[]>;

/** One replicated entry, keyed by its entryUUID elsewhere (the DN can change, the UUID cannot). */
export interface SyncRecord {
  readonly dn: string;
  readonly attributes: SyncAttributes;
}

/** What a store tells the consumer when it opens. */
export interface SyncStoreState {
  /** The cookie that covers what the store holds; undefined before a first sync got that far. */
  readonly cookie?: Buffer;
  /** Entries the store holds. */
  readonly size: number;
  /** The highest refresh mark a commit has carried (0 for a new store); see SyncBatch.mark. */
  readonly mark: number;
}

/**
 * One atomic step of the replica: the entries written and removed since the previous commit,
 * the entries a refresh reported unchanged, and the cookie that covers them (absent when it has
 * not changed). A store applies all of it or none of it, so the stored cookie never claims data
 * that is not stored.
 *
 * Marks are how a present phase's deletions are found without holding the set of reported
 * entries in memory: each refresh gets a mark higher than any before it; every entry the refresh
 * reports (put, or listed in `seen`) is stored with that mark; when the phase ends, what still
 * has another mark was not reported and is deleted (SyncStore.unmarked). A crash in between
 * costs nothing: the next refresh uses a new mark.
 */
export interface SyncBatch {
  /** New or changed entries by entryUUID (they carry `mark`, or 0 outside a refresh). */
  readonly puts: ReadonlyMap<string, SyncRecord>;
  readonly deletes: ReadonlySet<string>;
  /** Stored entries a refresh reported without a change: their mark becomes `mark`, their data stays. */
  readonly seen: ReadonlySet<string>;
  /** The mark of the refresh the batch belongs to; absent outside a refresh (the persist stage). */
  readonly mark?: number;
  readonly cookie?: Buffer;
}

/** One entry SyncStore.unmarked found: what the consumer needs to report its deletion. */
export interface UnmarkedEntry {
  readonly entryUUID: string;
  readonly dn: string;
}

/** A page of SyncStore.unmarked. */
export interface UnmarkedPage {
  readonly entries: readonly UnmarkedEntry[];
  /** Pass as `after` for the next page; absent when there is none. */
  readonly next?: string;
}

/** Where a SyncReplConsumer keeps its replica between runs (MemorySyncStore, FileSyncStore, SqliteSyncStore). */
export interface SyncStore {
  /** Opens the store (the consumer calls it once, before anything else) and says what it holds. */
  open(): Promise<SyncStoreState>;
  /**
   * The committed entry with this entryUUID, or undefined. The consumer may change what it gets.
   * It may ask while a commit is running (one it has not awaited yet), but only for an entry
   * that commit does not put or delete: the answer must then not depend on the commit.
   */
  get(entryUUID: string): Promise<SyncRecord | undefined>;
  /**
   * Applies the batch atomically and durably (as durable as the store is) before resolving. The
   * consumer has at most one commit running, and calls commit(), unmarked() and close() only
   * once it has resolved.
   */
  commit(batch: SyncBatch): Promise<void>;
  /**
   * Up to `limit` stored entries whose mark is not `mark`, in the store's own order, starting
   * after the cursor `after` (a page's `next`). The consumer deletes and commits each page before
   * asking for the next, so a store may count on the entries it returned being gone by then.
   */
  unmarked(mark: number, limit: number, after?: string): Promise<UnmarkedPage>;
  /** Every committed entry, in the store's own order, read a bounded number at a time. */
  entries(): AsyncIterable<[string, SyncRecord]>;
  /** Releases what the store holds open; the committed state stays. */
  close(): Promise<void>;
}
