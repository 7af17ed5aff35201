import type { SyncEvent } from '../syncrepl-events';
import { UndecodedEntry } from '../../protocol/undecoded-entry';
import type { SearchEntry } from '../entry';
import { entryAttributes, sameAttributes } from './attributes';
import { undecodedAttributesJson } from './attributes-json';
import type { CallbackEvent } from './consumer-events';
import { EncodedRecord, LazyAddEvent } from './encoded-record';
import type { SyncBatch, SyncRecord, SyncStore, SyncStoreState } from './types';

/**
 * An add's or modify's record. The consumer's own sync takes its entries undecoded (pull.ts):
 * their attributes' JSON text is written straight from the BER, and the attribute objects are
 * made only if someone reads them (encoded-record.ts).
 */
const recordOf = (dn: string, entry: SearchEntry, binary: ReadonlySet<string>): SyncRecord =>
  entry instanceof UndecodedEntry ? new EncodedRecord(dn, undecodedAttributesJson(entry, binary)) : { dn, attributes: entryAttributes(entry, binary) };

/** What one SyncEvent asks of the consumer: callbacks to run, in order, then maybe more. */
export interface ReplicaStep {
  readonly actions: readonly CallbackEvent[];
  /** A commit point (a cookie, a phase's end, refreshDone): what is pending may be written now (takeBatch). */
  readonly commit: boolean;
  /**
   * A refresh phase ended that implies deletions (a present phase, or the end of a reload):
   * commit, then delete what the refresh did not report (sweepPage until done), then endPhase.
   */
  readonly sweep?: 'present' | 'delete';
}

const NOTHING: ReplicaStep = { actions: [], commit: false };

/** known(): the answer is in the store. */
const ASK_STORE = Symbol('ask the store');

/** The entries the consumer reads from the store per page of a present phase's deletions. */
const SWEEP_PAGE = 1000;

/**
 * The RFC 4533 bookkeeping of the consumer's replica, which lives in a SyncStore: it turns each
 * SyncEvent into the callbacks it implies, reading an entry's previous state from the store (or
 * from the changes not yet committed), and collects the changes for the next commit. It holds
 * nothing per replicated entry beyond the pending batch.
 *
 * Why cookies are held back during a refresh phase: a present phase deletes, at its end, every
 * entry it did not mention. Committing a cookie before that would let a crash leave a store
 * that claims to be up to date while still holding entries deleted on the server, and a later
 * delete phase (which names only deletions after that cookie) would never remove them. So a
 * cookie received inside a refresh phase is committed with the phase's end; outside a phase
 * (after phaseEnd, in the persist stage) it is committed at once.
 *
 * Which entries a present phase did not mention is kept in the store, not in memory: every
 * entry a refresh reports carries the refresh's mark (SyncBatch.mark), and the phase's end asks
 * the store for what has another (see `sweepPage`).
 */
export class Replica {
  /** The newest cookie accepted (committed, or pending in the batch). */
  private newestCookie: Buffer | undefined;
  private heldCookie: Buffer | undefined;
  private refreshingNow = false;
  /** Inside a refresh phase (from its first event to its phaseEnd). */
  private inPhase = false;
  /**
   * The refresh runs without a cookie (a first sync, a store whose first sync crashed before
   * its cookie was written, or a 4096 full reload): the server sends its whole content, and
   * slapd ends such a refresh with an empty *delete* phase, so whatever phase it names, the
   * stored entries it did not send are gone.
   */
  private reloading = false;
  /** The mark of the refresh under way (a new one per refresh, above every mark in the store). */
  private mark: number;
  /**
   * The store held no entry when this refresh began: an entry it sends cannot be in the store
   * unless this refresh put it there, so no look-up is made (a first sync of a large directory
   * would otherwise pay one per entry), and its end has nothing to sweep. RFC 4533 sends an
   * entry at most once per refresh; should a server send one twice, it is reported as added
   * twice and stored once.
   */
  private emptyAtStart = false;
  private entries: number;
  private puts = new Map<string, SyncRecord>();
  private deletes = new Set<string>();
  private seen = new Set<string>();
  private pendingCookie: Buffer | undefined;

  constructor(
    private readonly store: Pick<SyncStore, 'get' | 'unmarked'>,
    state: SyncStoreState,
    private readonly binary: ReadonlySet<string>,
  ) {
    this.newestCookie = state.cookie;
    this.entries = state.size;
    this.mark = state.mark;
  }

  /** The cookie to resume from. */
  get cookie(): Buffer | undefined {
    return this.newestCookie;
  }

  /** Entries in the replica, counting the changes not yet committed. */
  get size(): number {
    return this.entries;
  }

  /** In the refresh stage (from the sync request to refreshDone). */
  get refreshing(): boolean {
    return this.refreshingNow;
  }

  /** Entry changes and marks waiting for the next commit. */
  get pending(): number {
    return this.puts.size + this.deletes.size + this.seen.size;
  }

  /** Anything to commit, a cookie included. */
  get hasPending(): boolean {
    return this.pending > 0 || this.pendingCookie !== undefined;
  }

  /**
   * A sync request is about to be sent: its refresh stage begins. What is pending must have been
   * committed first (takeBatch), since it carries the previous refresh's mark.
   */
  beginRefresh(): void {
    this.reloading = this.newestCookie === undefined;
    this.refreshingNow = true;
    this.inPhase = true;
    this.mark++;
    this.emptyAtStart = this.entries === 0 && this.pending === 0;
    this.heldCookie = undefined;
  }

  /**
   * What an event implies. Synchronous whenever the previous state of the entry is known without
   * the store (a first sync into an empty store, or an entry already pending): most events of a
   * large refresh then cost no promise at all.
   */
  apply(event: SyncEvent): ReplicaStep | Promise<ReplicaStep> {
    if (event.type === 'add' || event.type === 'modify') {
      const { entryUUID } = event;
      const record = recordOf(event.dn, event.entry, this.binary);
      if (this.refreshingNow) this.inPhase = true;
      const known = this.known(entryUUID, true);
      if (known !== ASK_STORE) return { actions: this.upsert(entryUUID, record, known), commit: false };
      return this.store.get(entryUUID).then((existing) => ({ actions: this.upsert(entryUUID, record, existing), commit: false }));
    }
    if (event.type === 'present') {
      this.markSeen(event.entryUUID);
      return NOTHING;
    }
    return this.applyOther(event as Exclude<SyncEvent, { type: 'add' | 'modify' | 'present' }>); // TypeScript does not narrow the 'add' | 'modify' union away
  }

  private async applyOther(event: Exclude<SyncEvent, { type: 'add' | 'modify' | 'present' }>): Promise<ReplicaStep> {
    switch (event.type) {
      case 'delete':
        return { actions: await this.remove(event.entryUUID), commit: false };
      case 'syncIdSet': {
        const actions: CallbackEvent[] = [];
        for (const entryUUID of event.entryUUIDs) {
          if (event.refreshDeletes) actions.push(...(await this.remove(entryUUID)));
          else this.markSeen(entryUUID);
        }
        return { actions, commit: false };
      }
      case 'cookie':
        if (this.refreshingNow && this.inPhase) {
          this.heldCookie = event.cookie;
          return { actions: [], commit: true };
        }
        return { actions: this.accept(event.cookie), commit: true };
      case 'phaseEnd': {
        const sweeps = this.refreshingNow && (event.phase === 'present' || this.reloading) && !this.emptyAtStart;
        return sweeps ? { actions: [], commit: true, sweep: event.phase } : { actions: this.endPhase(), commit: true };
      }
      case 'refreshDone': {
        const cookie = event.cookie ?? this.heldCookie;
        const actions = cookie === undefined ? [] : this.accept(cookie);
        this.refreshingNow = false;
        this.inPhase = false;
        this.heldCookie = undefined;
        return { actions: [...actions, { type: 'refreshDone' }], commit: true };
      }
      case 'refreshRequired':
      case 'resumed':
        // refreshRequired: the server starts over, and what this refresh reported so far says
        // nothing about the next one. resumed: a new connection, and the sync starts again from
        // the stream's last cookie with a refresh. Either way the consumer commits what is
        // pending, then calls beginRefresh (restartsRefresh).
        return NOTHING;
    }
  }

  /** Whether an event starts the refresh over (the consumer commits, then calls beginRefresh and reload). */
  static restartsRefresh(event: SyncEvent): event is Extract<SyncEvent, { type: 'refreshRequired' | 'resumed' }> {
    return event.type === 'refreshRequired' || event.type === 'resumed';
  }

  /** After beginRefresh for a refreshRequired or resumed event without a cookie: the next refresh is a full reload. */
  reload(): void {
    this.reloading = true;
  }

  /**
   * One page of the deletions a present phase (or a reload) implies: stored entries without this
   * refresh's mark. The consumer runs the actions, commits, and asks for the next page with
   * `next`, until there is none; then it calls endPhase.
   */
  async sweepPage(after: string | undefined): Promise<{ actions: CallbackEvent[]; next?: string }> {
    const page = await this.store.unmarked(this.mark, SWEEP_PAGE, after);
    const actions: CallbackEvent[] = [];
    for (const { entryUUID, dn } of page.entries) {
      if (this.puts.has(entryUUID) || this.seen.has(entryUUID) || this.deletes.has(entryUUID)) continue; // reported meanwhile (not expected: pending is committed before each page)
      this.deletes.add(entryUUID);
      this.entries--;
      actions.push({ type: 'delete', entryUUID, dn });
    }
    return page.next === undefined ? { actions } : { actions, next: page.next };
  }

  /** The end of a refresh phase, after its deletions: the held cookie is accepted. */
  endPhase(): CallbackEvent[] {
    this.inPhase = false;
    this.reloading = false; // the whole content has been accounted for
    const actions = this.heldCookie === undefined ? [] : this.accept(this.heldCookie);
    this.heldCookie = undefined;
    return actions;
  }

  /** The changes since the last batch, or undefined when there are none. */
  takeBatch(): SyncBatch | undefined {
    if (!this.hasPending) return undefined;
    const batch: SyncBatch = {
      puts: this.puts,
      deletes: this.deletes,
      seen: this.seen,
      ...(this.refreshingNow ? { mark: this.mark } : {}),
      ...(this.pendingCookie === undefined ? {} : { cookie: this.pendingCookie }),
    };
    this.puts = new Map();
    this.deletes = new Set();
    this.seen = new Set();
    this.pendingCookie = undefined;
    return batch;
  }

  private markSeen(entryUUID: string): void {
    if (!this.refreshingNow) return;
    this.inPhase = true;
    if (!this.puts.has(entryUUID)) this.seen.add(entryUUID);
  }

  /** The entry as the replica has it, when that is known without the store: pending changes first. */
  private known(entryUUID: string, adding = false): SyncRecord | undefined | typeof ASK_STORE {
    const pending = this.puts.get(entryUUID);
    if (pending !== undefined) return pending;
    if (this.deletes.has(entryUUID)) return undefined;
    // Deletions (rare in a refresh) are always looked up, so an entry is never left behind.
    if (adding && this.emptyAtStart && this.refreshingNow) return undefined;
    return ASK_STORE;
  }

  /** The entry as the replica has it: pending changes first, then the store. */
  private async current(entryUUID: string): Promise<SyncRecord | undefined> {
    const known = this.known(entryUUID);
    return known === ASK_STORE ? this.store.get(entryUUID) : known;
  }

  /** An add or modify, given the entry's previous state. */
  private upsert(entryUUID: string, record: SyncRecord, existing: SyncRecord | undefined): CallbackEvent[] {
    if (existing === undefined) {
      this.entries++;
      this.put(entryUUID, record);
      // Not record.attributes: read now, they would be made for every entry of a first sync.
      return [record instanceof EncodedRecord ? new LazyAddEvent(entryUUID, record) : { type: 'add', entryUUID, dn: record.dn, attributes: record.attributes }];
    }
    const actions: CallbackEvent[] = [];
    if (existing.dn !== record.dn) actions.push({ type: 'rename', entryUUID, oldDn: existing.dn, newDn: record.dn });
    if (!sameAttributes(existing.attributes, record.attributes)) {
      actions.push({ type: 'change', entryUUID, dn: record.dn, oldAttributes: existing.attributes, newAttributes: record.attributes });
    }
    if (actions.length > 0) this.put(entryUUID, record);
    else this.markSeen(entryUUID);
    return actions;
  }

  private put(entryUUID: string, record: SyncRecord): void {
    this.puts.set(entryUUID, record);
    this.deletes.delete(entryUUID);
    this.seen.delete(entryUUID);
  }

  private async remove(entryUUID: string): Promise<CallbackEvent[]> {
    if (this.refreshingNow) this.inPhase = true;
    const existing = await this.current(entryUUID);
    if (existing === undefined) return []; // never seen, or already gone: nothing to tell
    this.entries--;
    this.puts.delete(entryUUID);
    this.seen.delete(entryUUID);
    this.deletes.add(entryUUID);
    return [{ type: 'delete', entryUUID, dn: existing.dn }];
  }

  private accept(cookie: Buffer): CallbackEvent[] {
    if (this.newestCookie !== undefined && this.newestCookie.equals(cookie)) return [];
    this.newestCookie = cookie;
    this.pendingCookie = cookie;
    return [{ type: 'cookie', cookie }];
  }
}
