/**
 * The sync stores as the specs use them: the durable ones by name (so a child process can be
 * told which), and a store's whole content read back through the SyncStore interface.
 */
import { join } from 'node:path';
import { FileSyncStore } from '../../lib/search/sync';
import type { SyncRecord, SyncStore } from '../../lib/search/sync';
import { SqliteSyncStore } from '../../lib/sqlite-store';

/** 'sqlite-thread': SqliteSyncStore committing on its worker thread (`writer: 'thread'`), killed as the others are. */
export type DurableStoreName = 'file' | 'sqlite' | 'sqlite-thread';
export const DURABLE_STORES: readonly DurableStoreName[] = ['file', 'sqlite', 'sqlite-thread'];

/** A durable store kept in `dir` (a directory of its own for FileSyncStore, a file in it for SQLite). */
export const durableStore = (name: DurableStoreName, dir: string): SyncStore =>
  name === 'file' ? new FileSyncStore(dir) : new SqliteSyncStore(join(dir, 'replica.sqlite'), name === 'sqlite-thread' ? { writer: 'thread' } : {});

export interface StoreContents {
  cookie?: Buffer;
  records: Map<string, SyncRecord>;
}

/** Opens the store, reads its cookie and every entry, and closes it. */
export const readStore = async (store: SyncStore): Promise<StoreContents> => {
  const state = await store.open();
  const records = new Map<string, SyncRecord>();
  try {
    for await (const [entryUUID, record] of store.entries()) records.set(entryUUID, record);
  } finally {
    await store.close();
  }
  return state.cookie === undefined ? { records } : { cookie: state.cookie, records };
};
