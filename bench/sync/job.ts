/**
 * What bench/sync.ts asks a consumer process to do, and what the process answers. Free of
 * imports, so it adds nothing to a child's start-up.
 */

/** 'sqlite-thread': SqliteSyncStore with `writer: 'thread'` (not in the default list). */
export type StoreKind = 'memory' | 'file' | 'sqlite' | 'sqlite-thread';

export interface SyncJob {
  url: string;
  bindDN: string;
  password: string;
  base: string;
  filter: string;
  store: StoreKind;
  /** The file store's directory or the SQLite file. */
  storePath: string;
  /** 'refreshOnly': one refresh, then exit. 'live': refreshAndPersist, measuring the lag of live changes until `liveChanges` are committed. */
  mode: 'refreshOnly' | 'live';
  liveChanges: number;
  /** SyncReplConsumerOptions.maxBatch, when not the default. */
  maxBatch?: number;
}

export interface SyncJobResult {
  entries: number;
  adds: number;
  changes: number;
  deletes: number;
  size: number;
  /** Progress events seen (the long initial sync is observable). */
  progress: number;
  /** From the sync request to the last commit. */
  syncMs: number;
  /** 'live': lag from a write's request to the commit that made it durable, in ms. */
  lag?: { count: number; p50: number; p99: number; max: number; ratePerSecond: number };
  /** 'live': each live change's request time (its stamp) and the time of the commit that made it durable. */
  commits?: Array<[stamp: number, committedAt: number]>;
}

export const readSyncJob = (): SyncJob => {
  const text = process.argv[2];
  if (text === undefined) throw new Error('usage: node sync-consumer.js <job as JSON>');
  return JSON.parse(text) as SyncJob;
};
