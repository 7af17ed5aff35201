import type { StoredEntry } from './entry';

/**
 * What the directory tells its watchers (syncrepl and persistent searches) after each change,
 * and the bounded log a syncrepl refresh reads to say what was deleted since a cookie.
 */
export type ChangeKind = 'add' | 'modify' | 'modDN' | 'delete';

export interface DirectoryChange {
  readonly kind: ChangeKind;
  readonly csn: string;
  /** 1, 2, 3… in the order the changes were made (a persistent search's changeNumber). */
  readonly changeNumber: number;
  /** The entry before the change (undefined for an add). */
  readonly before: StoredEntry | undefined;
  /** The entry after the change (undefined for a delete). */
  readonly after: StoredEntry | undefined;
  /**
   * A descendant whose DN changed because an ancestor was renamed or moved: nothing else about
   * it changed, and slapd reports only the ancestor, so watchers report it only when it enters
   * or leaves what they watch.
   */
  readonly implied: boolean;
}

export type ChangeListener = (change: DirectoryChange) => void;

/**
 * The last `capacity` changes. A refresh from a cookie older than the oldest kept change
 * cannot know what was deleted in between: `since` then answers undefined (the cookie is stale).
 */
export class ChangeLog {
  private readonly records: DirectoryChange[] = [];
  /** Changes at or before this CSN are no longer known. */
  private horizon: string;

  constructor(
    private readonly capacity: number,
    start: string,
  ) {
    this.horizon = start;
  }

  /** Forgets everything before `csn` (after bulk loading, which is not logged). */
  reset(csn: string): void {
    this.records.length = 0;
    this.horizon = csn;
  }

  append(change: DirectoryChange): void {
    if (this.capacity <= 0) {
      this.horizon = change.csn;
      return;
    }
    this.records.push(change);
    if (this.records.length > this.capacity) {
      const dropped = this.records.splice(0, this.records.length - this.capacity);
      const newest = dropped.at(-1);
      if (newest !== undefined) this.horizon = newest.csn;
    }
  }

  /** The changes made after `csn`, oldest first; undefined when some of them are forgotten. */
  since(csn: string): DirectoryChange[] | undefined {
    if (csn < this.horizon) return undefined;
    // Binary search: CSNs grow with the log.
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const record = this.records[middle];
      if (record !== undefined && record.csn <= csn) low = middle + 1;
      else high = middle;
    }
    return this.records.slice(low);
  }
}
