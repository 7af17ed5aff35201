import { parseDN } from '../dn/dn';
import type { SyncEvent } from '../search/syncrepl-events';
import { toStorePath } from './path';
import type { StoreChange } from './types';

const sameDN = (a: string, b: string): boolean => a === b || parseDN(a).equals(b);

/**
 * Turns a syncrepl session's events into store changes. Syncrepl names entries by entryUUID and
 * reports a rename as a modify under the new DN, a delete from a syncIdSet without any DN, and
 * (after a resume from a cookie) the deletions of a present phase only by leaving entries out;
 * so the tracker keeps the DN of every entry under the prefix by entryUUID. That is one map
 * entry per entry watched: memory grows with the watched subtree, not with the changes.
 */
export class SyncTracker {
  private readonly known = new Map<string, string>();
  /** During a refresh: the entries reported present, added or modified since it began. */
  private seen: Set<string> | undefined = new Set();
  /** The refresh under way reloads everything (a start without cookie after e-syncRefreshRequired). */
  private fullReload = false;
  private live = false;

  constructor(private readonly initial: boolean) {}

  /** The changes one event means, in order. */
  changes(event: SyncEvent): StoreChange[] {
    switch (event.type) {
      case 'add':
      case 'modify': {
        const previous = this.known.get(event.entryUUID);
        this.known.set(event.entryUUID, event.dn);
        this.seen?.add(event.entryUUID);
        if (!this.live && !this.initial) return [];
        const path = toStorePath(event.dn);
        if (previous !== undefined && !sameDN(previous, event.dn)) {
          return [{ type: 'move', path, dn: event.dn, previousPath: toStorePath(previous), previousDN: previous, entry: event.entry }];
        }
        return [{ type: 'put', path, dn: event.dn, entry: event.entry, initial: !this.live }];
      }
      case 'present':
        this.seen?.add(event.entryUUID);
        return [];
      case 'delete':
        return this.forget(event.entryUUID);
      case 'phaseEnd':
        // After a present phase, what was neither present nor sent is gone (RFC 4533 §3.3.1).
        return event.phase === 'present' ? this.dropUnseen() : [];
      case 'refreshDone': {
        const dropped = this.fullReload ? this.dropUnseen() : [];
        this.seen = undefined;
        this.fullReload = false;
        if (this.live) return dropped;
        this.live = true;
        return [...dropped, { type: 'ready' }];
      }
      case 'refreshRequired':
        this.seen = new Set();
        this.fullReload = event.cookie === undefined;
        return [];
      case 'resumed':
        this.seen = new Set();
        return [];
      case 'syncIdSet':
      case 'cookie':
        return [];
    }
  }

  private forget(entryUUID: string): StoreChange[] {
    const known = this.known.get(entryUUID);
    this.known.delete(entryUUID);
    // An entry never seen (deleted before the first refresh sent it) changes nothing here. The
    // DN it had here, not the one the server names: an entry moved out of the prefix is reported
    // as deleted under its new DN, but what left the prefix is the path it had in it.
    if (known === undefined || (!this.live && !this.initial)) return [];
    return [{ type: 'delete', path: toStorePath(known), dn: known }];
  }

  private dropUnseen(): StoreChange[] {
    const seen = this.seen;
    if (seen === undefined) return [];
    const gone: StoreChange[] = [];
    for (const entryUUID of [...this.known.keys()]) if (!seen.has(entryUUID)) gone.push(...this.forget(entryUUID));
    return gone;
  }
}
