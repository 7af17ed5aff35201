export { SyncReplConsumer } from './consumer';
export type { SyncReplConsumerOptions, SyncSource, SyncSourceClient } from './consumer';
export type { ConsumerEvent, SyncCallbacks, SyncProgress } from './consumer-events';
export { DEFAULT_BINARY_ATTRIBUTES } from './attributes';
export { MemorySyncStore } from './memory-store';
export { FileSyncStore } from './file-store';
export type { FileSyncStoreOptions } from './file-store';
export type { SyncAttributes, SyncBatch, SyncRecord, SyncStore, SyncStoreState, UnmarkedEntry, UnmarkedPage } from './types';
