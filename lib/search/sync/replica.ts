import type { SyncEvent } from '../syncrepl-events';
import { entryAttributes, sameAttributes } from './attributes';
import type { CallbackEvent } from './consumer-events';
import type { SyncBatch, SyncRecord, SyncStoreContents } from './types';

/** What one SyncEvent asks of the consumer: callbacks to run, in order, then maybe a commit. */
export interface ReplicaStep {
  readonly actions: readonly CallbackEvent[];
  /** A commit point: what is pending may be written now (takeBatch). */
  readonly commit: boolean;
}

const NOTHING: ReplicaStep = { actions: [], commit: false };

/**
 * The consumer's copy of the content (entryUUID → DN and attributes) and the RFC 4533
 * bookkeeping around it, with no I/O: it turns each SyncEvent into the callbacks it implies and
 * collects the changes not yet committed.
 *
 * Why cookies are held back during a refresh phase: a present phase deletes, at its end, every
 * entry it did not mention. Committing a cookie before that would let a crash leave a store
 * that claims to be up to date while still holding entries deleted on the server, and a later
 * delete phase (which names only deletions after that cookie) would never remove them. So a
 * cookie received inside a refresh phase is committed with the phase's end; outside a phase
 * (after phaseEnd, in the persist stage) it is committed at once.
 */
export class Replica {
  private readonly records: Map<string, SyncRecord>;
  /** The newest cookie accepted (committed, or pending in the batch). */
  private newestCookie: Buffer | undefined;
  private heldCookie: Buffer | undefined;
  private refreshing = false;
  /** Inside a refresh phase (from its first event to its phaseEnd). */
  private inPhase = false;
  /**
   * The refresh runs without a cookie (a first sync, a store whose first sync crashed before
   * its cookie was written, or a 4096 full reload): the server sends its whole content, and
   * slapd ends such a refresh with an empty *delete* phase, so whatever phase it names, the
   * stored entries it did not send are gone.
   */
  private reloading = false;
  /** UUIDs reported present, added or modified since the refresh began. */
  private seen = new Set<string>();
  private puts = new Map<string, SyncRecord>();
  private deletes = new Set<string>();
  private pendingCookie: Buffer | undefined;

  constructor(
    state: SyncStoreContents,
    private readonly binary: ReadonlySet<string>,
    /** Pending entries that make a commit point on their own (so a long refresh is committed in parts). */
    private readonly maxBatch: number,
  ) {
    this.records = state.records;
    this.newestCookie = state.cookie;
  }

  /** The cookie to resume from. */
  get cookie(): Buffer | undefined {
    return this.newestCookie;
  }

  get size(): number {
    return this.records.size;
  }

  /** The replica's record for an entryUUID (do not mutate it). */
  get(entryUUID: string): SyncRecord | undefined {
    return this.records.get(entryUUID);
  }

  /** A sync request is about to be sent: its refresh stage begins. */
  beginRefresh(): void {
    this.reloading = this.newestCookie === undefined;
    this.refreshing = true;
    this.inPhase = true;
    this.seen = new Set();
    this.heldCookie = undefined;
  }

  apply(event: SyncEvent): ReplicaStep {
    switch (event.type) {
      case 'present':
        this.markSeen(event.entryUUID);
        return NOTHING;
      case 'add':
      case 'modify':
        return this.atLimit(this.upsert(event.entryUUID, { dn: event.dn, attributes: entryAttributes(event.entry, this.binary) }));
      case 'delete':
        return this.atLimit(this.remove(event.entryUUID));
      case 'syncIdSet': {
        const actions: CallbackEvent[] = [];
        for (const entryUUID of event.entryUUIDs) {
          if (event.refreshDeletes) actions.push(...this.remove(entryUUID));
          else this.markSeen(entryUUID);
        }
        return this.atLimit(actions);
      }
      case 'cookie':
        if (this.refreshing && this.inPhase) {
          this.heldCookie = event.cookie;
          return { actions: [], commit: true };
        }
        return { actions: this.accept(event.cookie), commit: true };
      case 'phaseEnd':
        return { actions: this.endPhase(event.phase), commit: true };
      case 'refreshDone': {
        const cookie = event.cookie ?? this.heldCookie;
        const actions = cookie === undefined ? [] : this.accept(cookie);
        this.refreshing = false;
        this.inPhase = false;
        this.heldCookie = undefined;
        this.seen = new Set();
        return { actions: [...actions, { type: 'refreshDone' }], commit: true };
      }
      case 'refreshRequired':
        // The server starts over: what this refresh reported so far says nothing about the next one.
        this.beginRefresh();
        if (event.cookie === undefined) this.reloading = true;
        return NOTHING;
      case 'resumed':
        // A new connection: the sync starts again from the stream's last cookie, with a refresh.
        // What is pending stays pending (committed with the next cookie); the refresh's present
        // bookkeeping starts over, as for a restart.
        this.beginRefresh();
        if (event.cookie === undefined) this.reloading = true;
        return NOTHING;
    }
  }

  /** The changes since the last batch, or undefined when there are none. */
  takeBatch(): SyncBatch | undefined {
    if (this.puts.size === 0 && this.deletes.size === 0 && this.pendingCookie === undefined) return undefined;
    const batch: SyncBatch = this.pendingCookie === undefined
      ? { puts: this.puts, deletes: this.deletes }
      : { puts: this.puts, deletes: this.deletes, cookie: this.pendingCookie };
    this.puts = new Map();
    this.deletes = new Set();
    this.pendingCookie = undefined;
    return batch;
  }

  private markSeen(entryUUID: string): void {
    if (!this.refreshing) return;
    this.inPhase = true;
    this.seen.add(entryUUID);
  }

  private upsert(entryUUID: string, record: SyncRecord): CallbackEvent[] {
    this.markSeen(entryUUID);
    const existing = this.records.get(entryUUID);
    if (existing === undefined) {
      this.store(entryUUID, record);
      return [{ type: 'add', entryUUID, dn: record.dn, attributes: record.attributes }];
    }
    const actions: CallbackEvent[] = [];
    if (existing.dn !== record.dn) actions.push({ type: 'rename', entryUUID, oldDn: existing.dn, newDn: record.dn });
    if (!sameAttributes(existing.attributes, record.attributes)) {
      actions.push({ type: 'change', entryUUID, dn: record.dn, oldAttributes: existing.attributes, newAttributes: record.attributes });
    }
    if (actions.length > 0) this.store(entryUUID, record);
    return actions;
  }

  private store(entryUUID: string, record: SyncRecord): void {
    this.records.set(entryUUID, record);
    this.puts.set(entryUUID, record);
    this.deletes.delete(entryUUID);
  }

  private remove(entryUUID: string): CallbackEvent[] {
    if (this.refreshing) this.inPhase = true;
    const existing = this.records.get(entryUUID);
    if (existing === undefined) return []; // never seen, or already gone: nothing to tell
    this.records.delete(entryUUID);
    this.puts.delete(entryUUID);
    this.deletes.add(entryUUID);
    return [{ type: 'delete', entryUUID, dn: existing.dn }];
  }

  private endPhase(phase: 'present' | 'delete'): CallbackEvent[] {
    const actions: CallbackEvent[] = [];
    if (this.refreshing && (phase === 'present' || this.reloading)) {
      const gone = [...this.records.keys()].filter((entryUUID) => !this.seen.has(entryUUID));
      for (const entryUUID of gone) actions.push(...this.remove(entryUUID));
    }
    this.inPhase = false;
    this.reloading = false; // the whole content has been accounted for
    this.seen = new Set();
    if (this.heldCookie !== undefined) actions.push(...this.accept(this.heldCookie));
    this.heldCookie = undefined;
    return actions;
  }

  private accept(cookie: Buffer): CallbackEvent[] {
    if (this.newestCookie !== undefined && this.newestCookie.equals(cookie)) return [];
    this.newestCookie = cookie;
    this.pendingCookie = cookie;
    return [{ type: 'cookie', cookie }];
  }

  private atLimit(actions: CallbackEvent[]): ReplicaStep {
    return { actions, commit: this.puts.size + this.deletes.size >= this.maxBatch };
  }
}
