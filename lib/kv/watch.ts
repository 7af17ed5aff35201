import type { Client } from '../client/client';
import { afterPromise } from '../operations/observables';
import type { ChangeEvent } from '../search/persistent-search';
import { Observable } from '../util/rxjs';
import { parseStorePath, toStorePath } from './path';
import { SyncTracker } from './sync-tracker';
import type { StoreChange, StorePath } from './types';

interface WatchSettings {
  readonly initial: boolean;
  readonly attributes: readonly string[];
}

/** A persistent search event as a store change (its Entry Change Notification says which). */
const fromChangeEvent = (event: ChangeEvent): StoreChange => {
  const { entry } = event;
  const path = toStorePath(entry.dn);
  switch (event.type) {
    case 'delete':
      return { type: 'delete', path, dn: entry.dn };
    case 'modDN':
      if (event.previousDN !== undefined) return { type: 'move', path, dn: entry.dn, previousPath: toStorePath(event.previousDN), previousDN: event.previousDN, entry };
      return { type: 'put', path, dn: entry.dn, entry, initial: false };
    default:
      return { type: 'put', path, dn: entry.dn, entry, initial: event.type === 'initial' };
  }
};

const bySyncrepl = (client: Client, base: string, settings: WatchSettings): Observable<StoreChange> =>
  new Observable<StoreChange>((subscriber) => {
    const tracker = new SyncTracker(settings.initial);
    const subscription = client.syncrepl(base, { mode: 'refreshAndPersist', scope: 'sub', attributes: settings.attributes }).subscribe({
      next: (event) => {
        for (const change of tracker.changes(event)) subscriber.next(change);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => subscription.unsubscribe();
  });

const byPersistentSearch = (client: Client, base: string, settings: WatchSettings): Observable<StoreChange> =>
  new Observable<StoreChange>((subscriber) => {
    const subscription = client.persistentSearch(base, { scope: 'sub', attributes: settings.attributes, changesOnly: !settings.initial }).subscribe({
      next: (event) => subscriber.next(fromChangeEvent(event)),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => subscription.unsubscribe();
  });

/** The changes under `prefix`, by the method `method()` picks (asked once per subscription). */
export const watchChanges = (client: Client, prefix: StorePath, settings: WatchSettings, method: () => Promise<'syncrepl' | 'persistentSearch'>): Observable<StoreChange> =>
  afterPromise(
    async () => ({ base: parseStorePath(prefix).toString(), method: await method() }),
    ({ base, method: chosen }) => (chosen === 'syncrepl' ? bySyncrepl(client, base, settings) : byPersistentSearch(client, base, settings)),
  );
