/** The protocol layer: LDAPMessage types and codecs, the error of a result, controls, extended ops. */
export * from './types';
export * from './filter-types';
export { encodeMessage, writeMessage } from './encode';
export { decodeMessage, readMessage } from './decode';
export { encodeFilter, decodeFilter, writeFilter, readFilter } from './filter-codec';
export { OpTag } from './op-tags';
export { errorFromResult } from './error-from-result';
export * from './controls';
export * from './extended';
export { SYNC_INFO_OID, encodeSyncInfoValue, decodeSyncInfoValue } from './intermediate/sync-info';
export type { SyncInfo, SyncInfoType } from './intermediate/sync-info';
