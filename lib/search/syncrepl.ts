import type { SyncMode } from '../protocol/controls/types';
import { Operation } from '../operations/operation';
import type { SearchChannel } from './channel';
import type { SearchOptions } from './search-request';
import type { SyncEvent } from './syncrepl-events';

export interface SyncreplOptions extends Omit<SearchOptions, 'onDone'> {
  /** refreshOnly: one refresh then the search ends; refreshAndPersist (default): refresh, then live changes. */
  mode?: SyncMode;
  /** The cookie of an earlier session, to receive only what changed since. */
  cookie?: Buffer | string;
  reloadHint?: boolean;
  /** Expand Sync Info syncIdSets into `present` / `delete` events (default true). */
  expandIdSets?: boolean;
}

/** RFC 4533 content synchronization (implemented by helper B). */
export const syncrepl = (channel: SearchChannel, base: string, options: SyncreplOptions = {}): Operation<SyncEvent, SyncEvent[]> => {
  void channel;
  void base;
  void options;
  throw new Error('syncrepl: not implemented yet');
};
