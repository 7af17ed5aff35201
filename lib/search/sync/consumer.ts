import { Subject } from '../../util/rxjs';
import type { Observable } from 'rxjs';
import type { SyncMode } from '../../protocol/controls/types';
import type { SyncreplOptions } from '../syncrepl';
import type { SyncEvent } from '../syncrepl-events';
import { DEFAULT_BINARY_ATTRIBUTES, binaryAttributeSet } from './attributes';
import type { CallbackEvent, ConsumerEvent, SyncCallbacks } from './consumer-events';
import { SyncConsumerStateError } from '../../errors';
import { pull } from './pull';
import { RefreshProgress } from './progress';
import { Replica } from './replica';
import type { ReplicaStep } from './replica';
import type { SyncBatch, SyncStore } from './types';
import { copyRecord } from './memory-store';

/** Where the consumer's SyncEvents come from: a sync request resuming from `cookie`. */
export type SyncSource = (cookie: Buffer | undefined) => Observable<SyncEvent>;

/** What the consumer needs of a client (rxldap's Client has it). */
export interface SyncSourceClient {
  syncrepl(base: string, options?: SyncreplOptions): Observable<SyncEvent>;
}

export interface SyncReplConsumerOptions<C extends SyncSourceClient = SyncSourceClient> {
  /** The client whose `syncrepl` feeds the consumer (required unless `source` is given). */
  client?: C;
  base: string;
  scope?: SyncreplOptions['scope'];
  filter?: SyncreplOptions['filter'];
  /** What to replicate (default: all user attributes). */
  attributes?: readonly string[];
  /** refreshAndPersist (default): refresh, then live changes until stop(); refreshOnly: one refresh per start(). */
  mode?: SyncMode;
  /** Where the replica and its cookie live between runs. */
  store: SyncStore;
  /**
   * Run at each start() before the sync request, e.g. `(client, signal) => client.bind(dn,
   * password, { signal })`. `signal` aborts when stop() is called, so a bind to a frozen
   * server cannot hold stop() up; stop() does not wait for a bind that ignores it.
   */
  bind?: (client: C, signal: AbortSignal) => PromiseLike<unknown>;
  callbacks?: Partial<SyncCallbacks>;
  /** Attribute types whose values are passed as base64 instead of UTF-8 (default DEFAULT_BINARY_ATTRIBUTES). */
  binaryAttributes?: readonly string[];
  /**
   * Pending entry changes (and entries marked present) that make a commit on their own in the
   * refresh stage, without waiting for a cookie (default 500): the initial sync streams into
   * the store in transactions of this size, one of them committing while the next fills, so
   * the consumer holds up to two batches. Its memory grows with it (measured: a larger batch
   * saves little time and costs tens of MiB; at 1,000,000 entries into SqliteSyncStore, 500
   * peaked 14 MiB lower than 1000 and was no slower).
   */
  maxBatch?: number;
  /**
   * Group commit in the persist stage: changes are committed, each batch with the cookie that
   * covers it, once `maxChanges` are pending or `maxDelayMs` after the first of them arrived,
   * whichever comes first (defaults 1000 and 20 ms). One commit (one fsync for a durable store)
   * then covers many changes, so the consumer keeps up with a server that writes thousands per
   * second. `maxDelayMs: 0` commits at each cookie, at once (and at `maxChanges`).
   */
  groupCommit?: { maxChanges?: number; maxDelayMs?: number };
  /** The least time between two `progress` events while a refresh runs (default 1000 ms). */
  progressInterval?: number;
  /**
   * Sync events the consumer may hold unread while its callbacks run and other operations on
   * the same client keep the connection reading (see SyncreplOptions.maxBuffered; default
   * 10,000). Past it the feed fails with BufferOverflowError; a consumer on a client of its own
   * never gets there, because the socket is then paused instead.
   */
  maxBuffered?: number;
  /** Replaces `client.syncrepl(base, …)` as the feed (tests, or a feed of one's own). */
  source?: SyncSource;
}

const DEFAULT_MAX_BATCH = 500;
const DEFAULT_GROUP_CHANGES = 1000;
const DEFAULT_GROUP_DELAY_MS = 20;
const DEFAULT_PROGRESS_INTERVAL_MS = 1000;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';

const positive = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
};

/**
 * An RFC 4533 consumer that keeps a replica of a subtree in a SyncStore and tells callbacks what
 * changed: adds, deletes, renames and attribute changes with old and new values, worked out from
 * the replica (a present phase's implied deletions included). Callbacks run one at a time, in
 * order, each awaited.
 *
 * The replica lives in the store: the consumer reads an entry's previous state from it when an
 * event needs it and holds only the changes not yet committed (at most twice `maxBatch` in a refresh,
 * `groupCommit.maxChanges` in the persist stage), so its memory does not grow with the
 * directory. Which store holds how much is the store's affair (SqliteSyncStore: disk only).
 *
 * Delivery is at least once: the callbacks of a batch run before the batch (entries and the
 * cookie that covers them) is committed, so after a crash the server sends that batch again and
 * its callbacks run again. A change already committed is never reported twice, since the
 * replica then already holds it.
 *
 * A failure (a callback or the store throwing, the connection failing, the server refusing)
 * ends the consumer: start() rejects with the error, the sync is cancelled and the store
 * closed without committing the failed batch. Resume with a new consumer over the same store.
 */
export class SyncReplConsumer<C extends SyncSourceClient = SyncSourceClient> {
  private readonly subject = new Subject<ConsumerEvent>();
  /** What the consumer does, as data (see ConsumerEvent); completes when the consumer stops or fails. */
  readonly events: Observable<ConsumerEvent> = this.subject.asObservable();
  private readonly source: SyncSource;
  private readonly callbacks: Partial<SyncCallbacks>;
  private readonly maxBatch: number;
  private readonly groupChanges: number;
  private readonly groupDelayMs: number;
  private readonly progress: RefreshProgress;
  private replica: Replica | undefined;
  private running: Promise<void> | undefined;
  private iterator: AsyncIterator<SyncEvent> | undefined;
  /** When the pending persist-stage changes must be committed (performance.now() time), if any are pending. */
  private dueAt: number | undefined;
  private stopRequested = false;
  private stopping: Promise<void> | undefined;
  /** Aborted by stop(): ends waits that the sync itself cannot cut short (the bind). */
  private readonly stopController = new AbortController();
  private closed = false;
  /** A refresh batch's commit still running while the next batch decodes (see commit()). */
  private inFlight: Promise<void> | undefined;
  /** The batch of `inFlight`: look-ups of its entries are answered from it. */
  private inFlightBatch: SyncBatch | undefined;

  constructor(private readonly options: SyncReplConsumerOptions<C>) {
    this.callbacks = options.callbacks ?? {};
    this.maxBatch = positive(options.maxBatch, DEFAULT_MAX_BATCH, 'maxBatch');
    this.groupChanges = positive(options.groupCommit?.maxChanges, DEFAULT_GROUP_CHANGES, 'groupCommit.maxChanges');
    this.groupDelayMs = options.groupCommit?.maxDelayMs ?? DEFAULT_GROUP_DELAY_MS;
    if (!(this.groupDelayMs >= 0)) throw new RangeError('groupCommit.maxDelayMs must be 0 or more');
    this.progress = new RefreshProgress(options.progressInterval ?? DEFAULT_PROGRESS_INTERVAL_MS, (event) => this.subject.next(event));
    const { client, source } = options;
    if (source !== undefined) this.source = source;
    else if (client !== undefined) {
      const mode = options.mode ?? 'refreshAndPersist';
      const search: SyncreplOptions = { mode };
      if (options.scope !== undefined) search.scope = options.scope;
      if (options.filter !== undefined) search.filter = options.filter;
      if (options.attributes !== undefined) search.attributes = options.attributes;
      if (options.maxBuffered !== undefined) search.maxBuffered = options.maxBuffered;
      this.source = (cookie) => client.syncrepl(options.base, cookie === undefined ? search : { ...search, cookie });
    } else {
      throw new TypeError('SyncReplConsumer needs a client (or a source)');
    }
  }

  /** The cookie the replica is at (undefined before the first sync has delivered one). */
  get cookie(): Buffer | undefined {
    return this.replica?.cookie;
  }

  /** Entries in the replica (0 before start()). */
  get size(): number {
    return this.replica?.size ?? 0;
  }

  /**
   * Opens the store (first time), binds, calls bindComplete and syncs. refreshOnly: resolves once
   * the refresh is applied and committed (call start() again to poll). refreshAndPersist:
   * resolves after stop(), or when the server ends the search.
   */
  start(): Promise<void> {
    if (this.stopRequested) return Promise.reject(new SyncConsumerStateError('the consumer has stopped; make a new one to sync again'));
    if (this.running !== undefined) return Promise.reject(new SyncConsumerStateError('the consumer is already running'));
    const run = this.run();
    this.running = run;
    const settled = (): void => {
      this.running = undefined;
    };
    run.then(settled, settled);
    return run;
  }

  /**
   * Ends the sync (Cancel for a running search), waits for the callback under way and the commit
   * of what they applied, then closes the store. Idempotent. From inside a callback, call it
   * without awaiting it: it waits for that very callback to return.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopRequested = true;
      this.stopController.abort();
      await this.iterator?.return?.();
      await this.running?.catch(() => undefined);
      await this.close();
    })();
    return this.stopping;
  }

  private async run(): Promise<void> {
    try {
      const store = this.options.store;
      // The replica reads through this view. An entry the commit in flight is writing or
      // deleting is answered from its batch; any other is as the store has it, commit or not, so
      // the look-up need not wait (a persist stage looks up every change). The sweep's pages
      // depend on marks that commit writes: they wait for it.
      const settled: Pick<SyncStore, 'get' | 'unmarked'> = {
        get: async (entryUUID) => {
          const inFlight = this.inFlightBatch;
          if (inFlight !== undefined) {
            const put = inFlight.puts.get(entryUUID);
            // A copy, as a store's get() gives: a callback may change its oldAttributes while
            // the commit is still writing this very record.
            if (put !== undefined) return copyRecord(put);
            if (inFlight.deletes.has(entryUUID)) return undefined;
          }
          return store.get(entryUUID);
        },
        unmarked: async (mark, limit, after) => {
          await this.settle();
          return store.unmarked(mark, limit, after);
        },
      };
      this.replica ??= new Replica(
        settled,
        await store.open(),
        binaryAttributeSet(this.options.binaryAttributes ?? DEFAULT_BINARY_ATTRIBUTES),
      );
      if (this.stopRequested) return;
      if (this.options.bind !== undefined && this.options.client !== undefined) {
        const signal = this.stopController.signal;
        const bound = Promise.resolve(this.options.bind(this.options.client, signal));
        bound.catch(() => undefined); // if stop() wins the race, a late failure is of no interest
        const stopped = new Promise<'stopped'>((resolve) => signal.addEventListener('abort', () => resolve('stopped'), { once: true }));
        if (signal.aborted || (await Promise.race([bound, stopped])) === 'stopped') return;
      }
      if (this.stopRequested) return;
      await this.call({ type: 'bindComplete' });
      if (this.stopRequested) return;
      await this.sync(this.replica);
    } catch (error) {
      this.stopRequested = true;
      await this.close().catch(() => undefined); // the first error is the one to report
      throw error;
    }
  }

  private async sync(replica: Replica): Promise<void> {
    await this.commit(replica); // a new refresh gets a new mark: nothing of the last one may wait
    replica.beginRefresh();
    this.progress.begin();
    const iterator = pull(this.source(replica.cookie));
    this.iterator = iterator;
    let next: Promise<IteratorResult<SyncEvent>> | undefined;
    try {
      while (!this.stopRequested) {
        next ??= iterator.next();
        const result = await this.nextOrDue(next);
        if (result === 'due') {
          await this.commit(replica, true); // the persist stage's group commit (only it sets dueAt)
          continue;
        }
        next = undefined;
        if (result.done === true) break;
        const handled = this.handle(replica, result.value);
        if (handled !== undefined) await handled;
      }
      // Stopped or ended: keep what the callbacks have seen, under the cookie already stored.
      await this.commit(replica);
    } finally {
      this.iterator = undefined;
      await iterator.return?.(); // cancels a search that is still running (after a failure)
    }
  }

  /**
   * The next event, or 'due' when the group commit's time comes first. Not an async function:
   * with no group commit pending (all of a refresh) it hands back the iterator's own promise,
   * where an async function would wrap it in one more, and cost two more turns of the microtask
   * queue per event.
   */
  private nextOrDue(next: Promise<IteratorResult<SyncEvent>>): Promise<IteratorResult<SyncEvent> | 'due'> {
    const dueAt = this.dueAt;
    if (dueAt === undefined) return next;
    return this.dueOrNext(next, dueAt);
  }

  private async dueOrNext(next: Promise<IteratorResult<SyncEvent>>, dueAt: number): Promise<IteratorResult<SyncEvent> | 'due'> {
    const wait = dueAt - performance.now();
    if (wait <= 0) return 'due';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const due = new Promise<'due'>((resolve) => (timer = setTimeout(() => resolve('due'), wait)));
    try {
      return await Promise.race([next, due]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One event: the replica's step, its callbacks, then the commit decision. Returns a promise only
   * when something had to wait (a store look-up, an async callback, a commit), so the bulk of a
   * large refresh runs without a promise per event.
   */
  private handle(replica: Replica, event: SyncEvent): void | Promise<void> {
    if (event.type === 'phaseEnd') this.subject.next({ type: 'phaseEnd', phase: event.phase });
    if (Replica.restartsRefresh(event)) return this.restart(replica, event);
    const refreshing = replica.refreshing;
    const step = replica.apply(event);
    if (step instanceof Promise) return step.then((ready) => this.afterStep(replica, event, refreshing, ready));
    return this.afterStep(replica, event, refreshing, step);
  }

  private async restart(replica: Replica, event: Extract<SyncEvent, { type: 'refreshRequired' | 'resumed' }>): Promise<void> {
    this.subject.next(event.type === 'resumed' ? { type: 'resumed', reason: event.reason } : { type: 'refreshRequired' });
    await this.commit(replica);
    replica.beginRefresh();
    if (event.cookie === undefined) replica.reload();
  }

  private afterStep(replica: Replica, event: SyncEvent, refreshing: boolean, step: ReplicaStep): void | Promise<void> {
    const ran = this.callAll(step.actions);
    if (ran !== undefined) return ran.then(() => this.decide(replica, event, refreshing, step));
    return this.decide(replica, event, refreshing, step);
  }

  /** The callbacks of a step in order, each awaited only if it returned a promise. */
  private callAll(actions: readonly CallbackEvent[], from = 0): void | Promise<void> {
    for (let i = from; i < actions.length; i++) {
      const result = this.call(actions[i]!);
      if (isThenable(result)) return Promise.resolve(result).then(() => this.callAll(actions, i + 1));
    }
  }

  /** After a step's callbacks: progress, and whether to commit now, later (group commit) or not yet. */
  private decide(replica: Replica, event: SyncEvent, refreshing: boolean, step: ReplicaStep): void | Promise<void> {
    if (refreshing) this.progress.count(event, step.actions, replica.size);
    if (step.sweep !== undefined) return this.sweep(replica);
    if (replica.refreshing || event.type === 'refreshDone' || event.type === 'phaseEnd') {
      if (event.type !== 'refreshDone') {
        if (step.commit) return this.commit(replica);
        // A batch full of refresh entries and no cookie: written while the next one decodes.
        return replica.pending >= this.maxBatch ? this.commit(replica, true) : undefined;
      }
      const now = step.commit || replica.pending >= this.maxBatch;
      const done = (): void => this.progress.report('done', replica.size);
      return now ? this.commit(replica).then(done) : done();
    }
    if (!replica.hasPending) return undefined;
    // The persist stage: group commit. With no delay, each cookie commits what it covers at once.
    const now = this.groupDelayMs === 0 ? step.commit || replica.pending >= this.groupChanges : replica.pending >= this.groupChanges;
    // In flight while the next changes are read, so those that arrive during its fsync start
    // their own delay at once instead of after it (live lag).
    if (now) return this.commit(replica, true);
    if (this.groupDelayMs > 0) this.dueAt ??= performance.now() + this.groupDelayMs;
    return undefined;
  }

  /**
   * The deletions a present phase (or a reload) implies, a page at a time from the store, each
   * page committed before the next is read; then the phase's held cookie is accepted.
   */
  private async sweep(replica: Replica): Promise<void> {
    await this.commit(replica);
    this.progress.report('sweep', replica.size);
    let after: string | undefined;
    do {
      const page = await replica.sweepPage(after);
      for (const action of page.actions) await this.call(action);
      this.progress.swept(page.actions);
      await this.commit(replica);
      after = page.next;
    } while (after !== undefined && !this.stopRequested);
    if (this.stopRequested) return; // the phase did not end here: its cookie stays unaccepted
    for (const action of replica.endPhase()) await this.call(action);
    await this.commit(replica);
  }

  /**
   * Commits what is pending. With `overlap` (a full refresh batch, or a group commit of the
   * persist stage) the commit is left in flight and the consumer goes on reading meanwhile: a
   * store that writes off the main thread (SqliteSyncStore) then costs a refresh little more
   * than its slower half, and live changes do not queue behind an fsync. At most one commit is
   * in flight; the next commit, a look-up, a sweep and the end of the sync wait for it, so
   * batches are applied in order and a cookie is never committed before the batches it covers.
   * A failed commit in flight fails the next of those.
   */
  private async commit(replica: Replica, overlap = false): Promise<void> {
    this.dueAt = undefined;
    const batch = replica.takeBatch();
    await this.settle();
    if (batch === undefined) return;
    const committed = this.options.store.commit(batch).then(() => {
      const { puts, deletes, seen, cookie } = batch;
      const counts = { type: 'commit', puts: puts.size, deletes: deletes.size, seen: seen.size } as const;
      this.subject.next(cookie === undefined ? counts : { ...counts, cookie });
    });
    if (!overlap) return committed;
    // Reported by settle(), not as an unhandled rejection. It also ends the event stream, so a
    // consumer waiting for the next change (a quiet persist stage) gets to the settle() that
    // reports it now, not at the next change.
    committed.catch(() => void this.iterator?.return?.());
    this.inFlight = committed;
    this.inFlightBatch = batch;
  }

  /** Waits for the commit in flight, if any; throws its error. */
  private async settle(): Promise<void> {
    const inFlight = this.inFlight;
    if (inFlight === undefined) return;
    try {
      await inFlight;
    } finally {
      if (this.inFlight === inFlight) {
        this.inFlight = undefined;
        this.inFlightBatch = undefined;
      }
    }
  }

  /** Emits the action and runs its callback; returns what the callback returned (maybe a promise). */
  private call(action: CallbackEvent): unknown {
    this.subject.next(action);
    const callbacks = this.callbacks;
    switch (action.type) {
      case 'bindComplete':
        return callbacks.bindComplete?.();
      case 'refreshDone':
        return callbacks.refreshDone?.();
      case 'add':
        return callbacks.recordAdd?.(action.dn, action.attributes);
      case 'delete':
        return callbacks.recordDelete?.(action.dn);
      case 'rename':
        return callbacks.recordRename?.(action.oldDn, action.newDn);
      case 'change':
        return callbacks.recordChange?.(action.dn, action.oldAttributes, action.newAttributes);
      case 'cookie':
        return callbacks.cookieChange?.(action.cookie);
    }
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.settle().catch(() => undefined); // a failure has been reported already, or is reported by start()
    this.subject.complete();
    await this.options.store.close();
  }
}
