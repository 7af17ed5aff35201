/**
 * rxldap's SQLite store for the SyncReplConsumer: the package's `./sqlite-store` export
 * (`import { SqliteSyncStore } from 'rxldap/sqlite-store'`). It needs better-sqlite3 12, an
 * optional peer dependency (`npm install better-sqlite3@12`), loaded when a store is opened;
 * the rest of rxldap never loads it. etc/rxldap-sqlite-store.api.md records this surface.
 */
export { SqliteSyncStore } from './stores/sqlite/store';
export type { SqliteSyncStoreOptions, StoredEntry } from './stores/sqlite/store';
