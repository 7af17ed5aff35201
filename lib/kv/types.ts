import type { SearchEntry } from '../search/entry';
import type { AttributeValues } from '../client/attributes';
import type { DN } from '../dn/dn';

/** A key of a DirectoryStore: a store path (`/dc=org/dc=example`), DN text, or a DN. */
export type StorePath = string | DN;

/** What put() writes: attribute name → one value or several (strings are sent as UTF-8). */
export type StoreAttributes = Readonly<Record<string, AttributeValues>>;

/** How a DirectoryStore reads and follows the directory. */
export interface DirectoryStoreOptions {
  /** The attributes get(), list() and watch() return (default `['*']`: every user attribute). */
  attributes?: readonly string[];
  /** Entries per page of list(), which pages (RFC 2696) so a long listing is never cut by a size limit (default 500). */
  pageSize?: number;
  /**
   * How watch() follows changes: 'auto' (default) uses syncrepl (RFC 4533) when the root DSE
   * lists its control, else persistent search; or either by name.
   */
  watchWith?: 'auto' | 'syncrepl' | 'persistentSearch';
  /** Per-operation timeout in ms (the longest silence), as OperationOptions.timeout; default the client's. */
  timeout?: number;
}

/** What put() did: made a new entry, or replaced the given attributes of an existing one. */
export type PutResult = 'added' | 'replaced';

/** What list() returns. */
export interface ListOptions {
  /** 'one' (default): the entries directly below the prefix; 'sub': every entry below it, at any depth. */
  scope?: 'one' | 'sub';
  /** Only entries matching this RFC 4515 filter (default all). */
  filter?: string;
}

/** One entry of list(): its path, DN, and the entry with the store's attributes. */
export interface StoreItem {
  /** The entry's path, `\2F` for a `/` in a value. */
  readonly path: string;
  /** The entry's DN as the server sent it. */
  readonly dn: string;
  /** The entry, with the store's attributes. */
  readonly entry: SearchEntry;
}

/** What watch() reports besides the changes. */
export interface WatchOptions {
  /** Also report the entries under the prefix when the watch starts, as `put` events with `initial: true` (default false). */
  initial?: boolean;
}

/**
 * A change under a watched prefix. `put`: an entry was added or changed (or, with `initial`,
 * was there when the watch began); `move`: renamed or moved within the prefix; `delete`: gone,
 * or moved out of the prefix. `ready`: the watch is live, every change from here on will be
 * reported (syncrepl only: a persistent search has no such signal).
 */
export type StoreChange =
  | { readonly type: 'put'; readonly path: string; readonly dn: string; readonly entry: SearchEntry; readonly initial: boolean }
  | { readonly type: 'move'; readonly path: string; readonly dn: string; readonly previousPath: string; readonly previousDN: string; readonly entry: SearchEntry }
  | { readonly type: 'delete'; readonly path: string; readonly dn: string }
  | { readonly type: 'ready' };
