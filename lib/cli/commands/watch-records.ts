/** The NDJSON records `rxldap watch` writes for syncrepl and persistent search events. */
import type { ChangeEvent, SearchEntry, SyncEvent } from '../../index';

type Attributes = (entry: SearchEntry) => Record<string, string[]>;
export type WatchRecord = Readonly<Record<string, unknown>>;

/** The record for a syncrepl event, or undefined for one that is not written (a cookie). */
export const syncRecord = (event: SyncEvent, attributes: Attributes): WatchRecord | undefined => {
  switch (event.type) {
    case 'add':
    case 'modify':
      return { type: event.type, dn: event.dn, entryUUID: event.entryUUID, attributes: attributes(event.entry) };
    case 'delete':
      return { type: 'delete', entryUUID: event.entryUUID, ...(event.dn === '' ? {} : { dn: event.dn }) };
    case 'present':
      return { type: 'present', entryUUID: event.entryUUID, ...(event.dn === '' ? {} : { dn: event.dn }) };
    case 'syncIdSet':
      return { type: event.refreshDeletes ? 'delete' : 'present', entryUUIDs: event.entryUUIDs };
    case 'phaseEnd':
      return { type: 'phaseEnd', phase: event.phase };
    case 'refreshDone':
      return { type: 'refreshDone' };
    case 'refreshRequired':
      return { type: 'refreshRequired', reload: event.cookie === undefined };
    case 'resumed':
      return { type: 'resumed', reason: event.reason.message };
    case 'cookie':
      return undefined;
  }
};

/** The record for a persistent search event. */
export const changeRecord = (event: ChangeEvent, attributes: Attributes): WatchRecord => ({
  type: event.type,
  dn: event.entry.dn,
  ...(event.previousDN === undefined ? {} : { previousDN: event.previousDN }),
  ...(event.changeNumber === undefined ? {} : { changeNumber: event.changeNumber }),
  attributes: attributes(event.entry),
});
