/**
 * The shapes shared by the SyncRepl consumer and its stores: what one replicated entry looks
 * like, what a store holds, and what one commit changes.
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

/** Everything a store holds: the entries by entryUUID, and the cookie that covers them. */
export interface SyncStoreContents {
  readonly cookie?: Buffer;
  readonly records: Map<string, SyncRecord>;
}

/**
 * One atomic step of the replica: the entries written and removed since the previous commit,
 * and the cookie that covers them (absent when it has not changed). A store applies all of it
 * or none of it, so the stored cookie never claims data that is not stored.
 */
export interface SyncBatch {
  readonly puts: ReadonlyMap<string, SyncRecord>;
  readonly deletes: ReadonlySet<string>;
  readonly cookie?: Buffer;
}

/** Where a SyncReplConsumer keeps its replica between runs (MemorySyncStore, FileSyncStore). */
export interface SyncStore {
  /** The committed state; the consumer calls it once, before anything else. */
  load(): Promise<SyncStoreContents>;
  /** Applies the batch atomically and durably (as durable as the store is) before resolving. */
  commit(batch: SyncBatch): Promise<void>;
  /** Releases what the store holds open; the committed state stays. */
  close(): Promise<void>;
}
