/** The key-value store over a directory (after indicium-ldap): DirectoryStore and its paths. */
export { DirectoryStore } from './store';
export { parseStorePath, toStorePath } from './path';
export type { DirectoryStoreOptions, ListOptions, PutResult, StoreAttributes, StoreChange, StoreItem, StorePath, WatchOptions } from './types';
