/** The in-memory directory server (`rxldap/server`). */
export { startDirectory } from './server';
export type { StartDirectoryOptions, DirectoryServer } from './server';
export { Directory } from './directory';
export type { DirectoryOptions, EntryInput, Actor } from './directory';
export type { StoredEntry, EntryMeta } from './entry';
export type { DirectoryChange, ChangeKind, ChangeListener } from './changes';
export { FaultInjector } from './faults';
export type { Fault, FaultRule, FaultMatch, FaultAction, FaultOperation } from './faults';
export { DEFAULT_ACCESS } from './access';
export type { AccessRule, AccessClause, AccessLevel, AccessSubject } from './access';
export type { SchemaDefinitions } from './schema/schema';
export { parseLdifEntries } from './ldif';
