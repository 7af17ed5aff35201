import type { ChangeTypeName } from '../protocol/controls/types';
import { Operation } from '../operations/operation';
import type { SearchChannel } from './channel';
import type { SearchEntry } from './entry';
import type { SearchOptions } from './search-request';

export interface PersistentSearchOptions extends Omit<SearchOptions, 'onDone'> {
  /** Which changes to report: names or the draft's bitmask (add 1, delete 2, modify 4, modDN 8); default all. */
  changeTypes?: number | readonly ChangeTypeName[];
  /** Only changes (default true); false first returns the entries that match now, as `initial` events. */
  changesOnly?: boolean;
  /** Ask for Entry Change Notification controls (default true); without them a change's type is unknown. */
  returnECs?: boolean;
  /** Make the persistent search control critical (default true: a server without it must refuse, not run a plain search). */
  critical?: boolean;
}

/** One event of a persistent search. */
export interface ChangeEvent {
  /** The change; `initial` for an entry that matched when the search began (changesOnly false). */
  readonly type: ChangeTypeName | 'initial';
  /** The entry after the change (for a delete: as it was). */
  readonly entry: SearchEntry;
  /** For modDN: the DN before the rename. */
  readonly previousDN?: string;
  /** The server's change number, when it keeps a changelog. */
  readonly changeNumber?: number;
}

/** draft-ietf-ldapext-psearch-03 (implemented by helper A). */
export const persistentSearch = (channel: SearchChannel, base: string, options: PersistentSearchOptions = {}): Operation<ChangeEvent, ChangeEvent[]> => {
  void channel;
  void base;
  void options;
  throw new Error('persistentSearch: not implemented yet');
};
