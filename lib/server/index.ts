/** The in-memory directory server (`rxldap/server`). */
export { startDirectory } from './server';
export type { StartDirectoryOptions, DirectoryServer } from './server';
export { createDirectory } from './directory-api';
export type { Directory, DirectoryEntry, DirectoryChangeEvent, CreateDirectoryOptions } from './directory-api';
export type { DirectoryOptions, EntryInput } from './directory';
export type { ChangeKind } from './changes';
export type { Faults, Fault, FaultRule, FaultMatch, FaultAction, FaultOperation } from './faults';
export { DEFAULT_ACCESS } from './access';
export type { AccessRule, AccessClause, AccessLevel, AccessSubject } from './access';
// The client's types the server's take, under the same names (structural types: the same whichever entry names them).
export type { Attribute, AttributeInput, AttributeValues, ModificationInput, ModifyOperation, PartialAttribute, ResultCodeName, SchemaDefinitions, SchemaJSON } from './deps';
