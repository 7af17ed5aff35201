import { ConnectionError, ConnectionPoolAbortedError, ConnectionPoolClosedError, ConnectionPoolFullError, ConnectionPoolTimeoutError, RxLdapError, TimeoutError } from '../errors';
import { abortError } from '../operations/abort';
import { settleAll, settleLast } from '../operations/operation';
import type { Operation } from '../operations/operation';
import type { Observable } from '../util/rxjs';
import type { ExtendedResponse } from '../protocol/types';
import type { SearchEntry, SearchReference } from '../search/entry';
import type { SearchOptions } from '../search/search-request';
import type { SearchItem } from '../search/search';
import { Client } from './client';
import type { DNInput, ModifyDNOptions, OperationOptions, PasswordModifyInput } from './client';
import type { AttributeInput, ModificationInput } from './attributes';
import { PoolMember } from './pool-member';
import { resolvePoolOptions } from './pool-options';
import type { AcquireOptions, ConnectionPoolOptions, ConnectionPoolStats, PoolLease, ResolvedPoolOptions } from './pool-options';
import { PooledOperation } from './pooled-operation';
import type { Dispatch } from './pooled-operation';
import { WaitQueue } from './pool-waiters';
import type { Waiter } from './pool-waiters';

type HealthCheck = NonNullable<ResolvedPoolOptions['healthCheck']>;

type PoolState = 'open' | 'draining' | 'closed';

/** Why a member leaves: the first two close it gracefully (Unbind), the others at once. */
type RetireReason = 'expired' | 'idle' | 'unhealthy' | 'lost';

/** A failed member creation is retried after 100 ms, doubling up to this. */
const MAX_REFILL_DELAY = 10_000;

const noop = (): void => undefined;

/**
 * A pool of Clients, each holding one connection bound as the same identity, for services that
 * issue many independent operations. Every operation is given, when it starts, to the least
 * busy healthy member, and the pool grows up to its maximum while all members are busy.
 * `acquire()` lends one member for work that needs a single connection (a paged search, a bind
 * as a user). Members are connected lazily, on the first operation or acquire().
 *
 * A member whose connection is lost is closed and replaced; the operations that were on it fail
 * with the Client's ConnectionError and are never sent again (a write may have been applied).
 * A member is never used after its connection closed: a Client opens a new, anonymous
 * connection on demand, and the pool's work must not run under another identity.
 */
export class ConnectionPool implements AsyncDisposable {
  readonly #options: ResolvedPoolOptions;
  #members: PoolMember[] = [];
  /** Members being connected and bound. */
  readonly #creating = new Set<Client>();
  readonly #dispatchWaiters = new WaitQueue<PoolMember>();
  readonly #acquireWaiters = new WaitQueue<PoolMember>();
  /** Aborted when the pool drains or is destroyed: ends binds under way. */
  readonly #stopping = new AbortController();
  #state: PoolState = 'open';
  #started = false;
  #healthTimer: NodeJS.Timeout | undefined;
  #refillTimer: NodeJS.Timeout | undefined;
  #failedInARow = 0;
  /** Where the search for the least busy member starts, so ties spread across members. */
  #rotation = 0;
  #drained: { promise: Promise<void>; resolve: () => void } | undefined;
  readonly #counts = { created: 0, closed: 0, failedCreations: 0, failedHealthChecks: 0, dispatched: 0 };
  readonly #dispatch: Dispatch = (take, fail, signal) => this.dispatch(take, fail, signal);

  constructor(options: ConnectionPoolOptions) {
    this.#options = resolvePoolOptions(options);
    // A bad client option must fail here, not at the first member's creation.
    new Client(options.client).destroy();
  }

  /** Open members (serving, leased or being re-authenticated). */
  get size(): number {
    return this.#members.length;
  }

  /** Open members with no work in flight and no lease. */
  get idle(): number {
    return this.#members.filter((member) => member.idle).length;
  }

  /** Open members with work in flight or leased. */
  get busy(): number {
    return this.size - this.idle;
  }

  get stats(): ConnectionPoolStats {
    return {
      size: this.size,
      idle: this.idle,
      busy: this.busy,
      leased: this.#members.filter((member) => member.leased).length,
      connecting: this.#creating.size,
      waiting: this.#dispatchWaiters.size + this.#acquireWaiters.size,
      ...this.#counts,
    };
  }

  /** The members' Clients, for inspection (e.g. each one's pendingOperations); do not run work on them. */
  get clients(): readonly Client[] {
    return this.#members.map((member) => member.client);
  }

  // The operations: the Client's, each given to a member when it starts.

  search(base: DNInput, options: SearchOptions & { references: true }): Operation<SearchEntry | SearchReference, Array<SearchEntry | SearchReference>>;
  search(base: DNInput, options?: SearchOptions): Operation<SearchEntry, SearchEntry[]>;
  search(base: DNInput, options: SearchOptions & { references?: boolean } = {}): Operation<SearchEntry, SearchEntry[]> | Operation<SearchItem, SearchItem[]> {
    if (options.references === true) {
      const withReferences = { ...options, references: true as const };
      return this.pooled((client): Operation<SearchItem, SearchItem[]> => client.search(base, withReferences), settleAll, options.signal);
    }
    return this.pooled((client) => client.search(base, options), settleAll, options.signal);
  }

  add(dn: DNInput, attributes: AttributeInput, options?: OperationOptions): Operation<void, void> {
    return this.pooled((client) => client.add(dn, attributes, options), settleLast, options?.signal);
  }

  modify(dn: DNInput, changes: readonly ModificationInput[], options?: OperationOptions): Operation<void, void> {
    return this.pooled((client) => client.modify(dn, changes, options), settleLast, options?.signal);
  }

  delete(dn: DNInput, options?: OperationOptions): Operation<void, void> {
    return this.pooled((client) => client.delete(dn, options), settleLast, options?.signal);
  }

  modifyDN(dn: DNInput, newRdn: string, options?: ModifyDNOptions): Operation<void, void> {
    return this.pooled((client) => client.modifyDN(dn, newRdn, options), settleLast, options?.signal);
  }

  compare(dn: DNInput, attribute: string, value: string | Buffer, options?: OperationOptions): Operation<boolean, boolean> {
    return this.pooled((client) => client.compare(dn, attribute, value, options), settleLast, options?.signal);
  }

  extended(requestName: string, requestValue?: Buffer, options?: OperationOptions): Operation<ExtendedResponse, ExtendedResponse> {
    return this.pooled((client) => client.extended(requestName, requestValue, options), settleLast, options?.signal);
  }

  whoami(options?: OperationOptions): Operation<string, string> {
    return this.pooled((client) => client.whoami(options), settleLast, options?.signal);
  }

  passwordModify(input?: PasswordModifyInput, options?: OperationOptions): Operation<string | undefined, string | undefined> {
    return this.pooled((client) => client.passwordModify(input, options), settleLast, options?.signal);
  }

  private pooled<T, R>(start: (client: Client) => Operation<T, R>, settle: (source: Observable<T>) => Promise<R>, signal: AbortSignal | undefined): Operation<T, R> {
    return new PooledOperation(this.#dispatch, start, settle, signal);
  }

  /**
   * Lends one member for work that needs a single connection. It is bound as the pool's
   * identity, and no other work goes to it until `release()`. Waits while every member is
   * leased or busy and the pool is at its maximum, up to `acquireTimeout`
   * (ConnectionPoolTimeoutError) or until `signal` aborts (ConnectionPoolAbortedError, `cause`
   * the signal's reason). A member still running dispatched work is kept from new work, and
   * lent once that work has ended.
   */
  acquire(options: AcquireOptions = {}): Promise<PoolLease> {
    const { signal } = options;
    if (this.#state !== 'open') return Promise.reject(this.closedError());
    if (signal?.aborted === true) return Promise.reject(new ConnectionPoolAbortedError('acquire() was aborted', { cause: signal.reason }));
    this.start();
    return new Promise<PoolLease>((resolve, reject) => {
      const waiter: Waiter<PoolMember> = { take: (member) => resolve(this.leaseOf(member)), fail: reject };
      const idle = this.#members.find((member) => member.idle && !member.expired && member.usable);
      if (idle !== undefined) {
        this.lend(idle, waiter);
        return;
      }
      if (!this.roomToWait(reject)) return;
      this.#acquireWaiters.add(waiter, {
        signal,
        abortError: (aborted) => new ConnectionPoolAbortedError('acquire() was aborted while it waited for a pool member', { cause: aborted.reason }),
        timeout: this.#options.acquireTimeout,
        timeoutError: () => new ConnectionPoolTimeoutError(`no pool member became free within ${this.#options.acquireTimeout} ms`),
        onLeave: () => this.releaseReservations(),
      });
      this.fill();
      this.reserveForAcquires();
    });
  }

  /**
   * Stops taking work (new operations and acquire() calls fail with ConnectionPoolClosedError,
   * as do acquire() calls still waiting), runs the operations already started or waiting for a
   * member, waits for every lease to be released, then unbinds every member. Resolves once all
   * sockets are closed.
   */
  drain(): Promise<void> {
    if (this.#drained !== undefined) return this.#drained.promise;
    let resolve = noop;
    const promise = new Promise<void>((done) => (resolve = done));
    this.#drained = { promise, resolve };
    if (this.#state === 'closed') {
      resolve();
      return promise;
    }
    this.#state = 'draining';
    // Operations already waiting for a member were accepted: they still run. acquire() calls
    // waiting are refused, since a new lease would hold the drain up for as long as it lasts.
    clearInterval(this.#healthTimer);
    this.#acquireWaiters.failAll(new ConnectionPoolClosedError('the connection pool is draining'));
    this.releaseReservations();
    this.finishDrainWhenQuiet();
    return promise;
  }

  /** Closes every member at once, without Unbind: work under way fails with ConnectionError, waiters with ConnectionPoolClosedError. */
  destroy(reason: RxLdapError = new ConnectionError('connection destroyed: the connection pool was destroyed')): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const error = new ConnectionPoolClosedError('the connection pool was destroyed');
    this.stopTaking(error);
    this.#dispatchWaiters.failAll(error);
    this.#acquireWaiters.failAll(error);
    const members = this.#members;
    this.#members = [];
    for (const member of members) {
      member.stopTimers();
      member.client.destroy(reason);
    }
    this.#drained?.resolve();
  }

  /** `await using pool = new ConnectionPool(…)` drains it when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.drain();
  }

  // Dispatch.

  private dispatch(take: (client: Client, done: () => void) => void, fail: (error: unknown) => void, signal: AbortSignal | undefined): () => void {
    if (this.#state !== 'open') {
      fail(this.closedError());
      return noop;
    }
    if (signal?.aborted === true) {
      fail(abortError(signal, 'the operation'));
      return noop;
    }
    this.start();
    const waiter: Waiter<PoolMember> = { take: (member) => take(member.client, this.begin(member)), fail };
    const member = this.leastBusy();
    if (member !== undefined) {
      this.growIfAllBusy(member);
      waiter.take(member);
      return noop;
    }
    if (!this.roomToWait(fail)) return noop;
    const withdraw = this.#dispatchWaiters.add(waiter, {
      signal,
      abortError: (aborted) => abortError(aborted, 'the operation'),
      timeout: this.#options.acquireTimeout,
      timeoutError: () => new ConnectionPoolTimeoutError(`no pool member could take the operation within ${this.#options.acquireTimeout} ms`),
    });
    if (this.#creating.size === 0) this.fill(1);
    return withdraw;
  }

  /** Counts one piece of work on `member`; the function returned ends it (once). */
  private begin(member: PoolMember): () => void {
    member.inFlight++;
    member.stopIdleTimer();
    this.#counts.dispatched++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      member.inFlight--;
      this.afterWork(member);
    };
  }

  private afterWork(member: PoolMember): void {
    if (!this.#members.includes(member)) return this.finishDrainWhenQuiet();
    if (!member.usable && !member.leased && !member.restoring) return this.retire(member, 'lost');
    if (member.inFlight === 0) this.becameAvailable(member);
  }

  /** The dispatchable member with the least work, searching from a rotating start so that ties spread. */
  private leastBusy(): PoolMember | undefined {
    const members = this.#members;
    const count = members.length;
    let best: PoolMember | undefined;
    let lost: PoolMember[] | undefined;
    for (let i = 0; i < count; i++) {
      const member = members[(this.#rotation + i) % count];
      if (member === undefined) break; // not while i < count
      if (!member.dispatchable) {
        if (!member.leased && !member.restoring && !member.usable) (lost ??= []).push(member);
        continue;
      }
      if (best === undefined || member.load < best.load) best = member;
      if (best.load === 0) break;
    }
    this.#rotation = (this.#rotation + 1) % Math.max(count, 1);
    for (const member of lost ?? []) this.retire(member, 'lost');
    return best;
  }

  /** Whether one more caller may wait; if not, fails it with ConnectionPoolFullError. */
  private roomToWait(fail: (error: unknown) => void): boolean {
    if (this.#dispatchWaiters.size + this.#acquireWaiters.size < this.#options.maxWaiting) return true;
    fail(new ConnectionPoolFullError(`${this.#options.maxWaiting} callers already wait for a pool member (maxWaiting)`));
    return false;
  }

  // Leases.

  private lend(member: PoolMember, waiter: Waiter<PoolMember>): void {
    member.leased = true;
    member.reserved = false;
    member.stopIdleTimer();
    waiter.take(member);
  }

  private leaseOf(member: PoolMember): PoolLease {
    let released: Promise<void> | undefined;
    const release = (): Promise<void> => (released ??= this.giveBack(member));
    return { client: member.client, release, [Symbol.asyncDispose]: release };
  }

  private async giveBack(member: PoolMember): Promise<void> {
    member.leased = false;
    if (!this.#members.includes(member)) return;
    // A bind as a user on the lease: the member serves again only once bound as the pool's identity.
    if (member.client.isConnected && !member.bindIntact && this.#state === 'open') {
      member.restoring = true;
      try {
        await (this.#options.bind === undefined ? member.client.anonymousBind() : this.#options.bind(member.client, this.#stopping.signal));
      } catch {
        // Left to the usable check below: the member is closed and replaced.
      } finally {
        member.restoring = false;
      }
      if (!this.#members.includes(member)) return;
    }
    if (!member.usable) return this.retire(member, 'lost');
    if (member.inFlight === 0) this.becameAvailable(member);
    else this.flushDispatch();
  }

  /**
   * Keeps one busy member per waiting acquire() (beyond members being opened for them) from
   * new work, so that a steady stream of operations cannot starve acquire().
   */
  private reserveForAcquires(): void {
    let needed = this.#acquireWaiters.size - this.#creating.size - this.#members.filter((member) => member.reserved).length;
    while (needed > 0) {
      const member = this.leastBusy();
      if (member === undefined) return;
      member.reserved = true;
      needed--;
    }
  }

  /** An acquire() left without a member: members reserved beyond those still wanted serve again. */
  private releaseReservations(): void {
    let excess = this.#members.filter((member) => member.reserved).length - Math.max(0, this.#acquireWaiters.size - this.#creating.size);
    for (const member of this.#members) {
      if (excess <= 0) break;
      if (!member.reserved) continue;
      member.reserved = false;
      excess--;
      if (member.inFlight === 0) this.becameAvailable(member);
    }
    this.flushDispatch();
  }

  // A member's life.

  private start(): void {
    if (this.#started) return;
    this.#started = true;
    const health = this.#options.healthCheck;
    if (health !== undefined) this.#healthTimer = setInterval(() => this.checkIdleMembers(health), health.interval).unref();
    this.fill();
  }

  /**
   * Opens members up to `min` (not counting expired ones), plus `extra` (for work that found no
   * free member), never more than `max` open or opening; after a failed creation, not before
   * its back-off has passed.
   */
  private fill(extra = 0): void {
    if (this.#refillTimer !== undefined) return;
    if (this.#state !== 'open' && (this.#state !== 'draining' || this.#dispatchWaiters.size === 0)) return;
    const live = this.#members.filter((member) => !member.expired).length + this.#creating.size;
    const floor = this.#state === 'open' ? this.#options.min - live : 0;
    const wanted = Math.max(floor, extra, this.#acquireWaiters.size - this.#creating.size - this.idle);
    const room = this.#options.max - this.#members.length - this.#creating.size;
    for (let i = Math.min(wanted, room); i > 0; i--) this.create();
  }

  private create(): void {
    const client = new Client(this.#options.client);
    this.#creating.add(client);
    this.open(client).then(
      (identity) => {
        this.#creating.delete(client);
        if (this.#state === 'closed' || (this.#state === 'draining' && this.#dispatchWaiters.size === 0)) {
          void client.unbind().catch(noop);
          return this.finishDrainWhenQuiet();
        }
        this.#failedInARow = 0;
        this.#counts.created++;
        const member = new PoolMember(client, identity);
        this.#members.push(member);
        this.armLifetime(member);
        this.becameAvailable(member);
      },
      (error: unknown) => {
        this.#creating.delete(client);
        client.destroy();
        if (this.#state === 'closed') return;
        this.#counts.failedCreations++;
        this.creationFailed(error);
        this.finishDrainWhenQuiet();
      },
    );
  }

  private async open(client: Client): Promise<Client['boundAs']> {
    const signal = this.#stopping.signal;
    await client.connect();
    signal.throwIfAborted();
    if (this.#options.bind !== undefined) await this.#options.bind(client, signal);
    signal.throwIfAborted();
    if (!client.isConnected) throw new ConnectionError('the connection closed while the pool member was being bound');
    return client.boundAs;
  }

  /**
   * Nothing can serve the callers waiting for a member now: they fail with the reason, rather
   * than wait for a server that may stay down. Opening members is tried again after a back-off.
   */
  private creationFailed(error: unknown): void {
    const reason = error instanceof RxLdapError ? error : new ConnectionError('a pool member could not be opened', { cause: error });
    if (this.#creating.size === 0) {
      if (!this.#members.some((member) => member.dispatchable)) this.#dispatchWaiters.failAll(reason);
      if (this.#members.length === 0) this.#acquireWaiters.failAll(reason);
    }
    if (this.#state !== 'open') return;
    this.#failedInARow++;
    const delay = Math.min(MAX_REFILL_DELAY, 100 * 2 ** (this.#failedInARow - 1));
    this.#refillTimer = setTimeout(() => {
      this.#refillTimer = undefined;
      this.fill(this.#dispatchWaiters.size > 0 ? 1 : 0);
    }, delay).unref();
  }

  /** A member may serve (new, released, or its work ended): to a waiting acquire() first, then to waiting operations. */
  private becameAvailable(member: PoolMember): void {
    if (this.#state === 'closed') return;
    if (!member.usable) return this.retire(member, 'lost');
    if (member.leased || member.restoring) return;
    if (member.inFlight === 0) {
      if (member.expired) return this.retire(member, 'expired');
      const acquirer = this.#state === 'open' ? this.#acquireWaiters.shift() : undefined;
      if (acquirer !== undefined) return this.lend(member, acquirer);
      member.reserved = false;
      if (this.#state === 'open') this.armIdleTimeout(member);
    }
    this.flushDispatch();
    this.finishDrainWhenQuiet();
  }

  /** Gives waiting operations to members, each to the least busy one at that moment. */
  private flushDispatch(): void {
    while (this.#dispatchWaiters.size > 0) {
      const member = this.leastBusy();
      if (member === undefined) return;
      this.growIfAllBusy(member);
      this.#dispatchWaiters.shift()?.take(member); // size > 0: there is one
    }
  }

  /** The least busy member has work already, so every one has: open one more (up to max) for what comes next. */
  private growIfAllBusy(leastBusy: PoolMember): void {
    if (leastBusy.load > 0 && this.#creating.size === 0) this.fill(1);
  }

  private armIdleTimeout(member: PoolMember): void {
    const { idleTimeout, min } = this.#options;
    if (idleTimeout === 0 || idleTimeout === Infinity || member.idleTimer !== undefined) return;
    member.idleTimer = setTimeout(() => {
      member.idleTimer = undefined;
      const live = this.#members.filter((other) => !other.expired).length;
      if (member.idle && live > min && this.#members.includes(member)) this.retire(member, 'idle');
    }, idleTimeout).unref();
  }

  private armLifetime(member: PoolMember): void {
    const { maxLifetime } = this.#options;
    if (maxLifetime === 0 || maxLifetime === Infinity) return;
    // Up to 10% earlier, at random: members opened together do not all expire together.
    member.lifetimeTimer = setTimeout(() => {
      member.lifetimeTimer = undefined;
      member.expired = true;
      if (member.idle) this.retire(member, 'expired');
    }, maxLifetime * (1 - Math.random() / 10)).unref();
  }

  private checkIdleMembers(health: HealthCheck): void {
    for (const member of [...this.#members]) {
      if (member.idle && !member.checking) void this.checkHealth(member, health);
    }
  }

  /** Runs the health check on an idle member; no answer within the interval counts as a failure. */
  private async checkHealth(member: PoolMember, health: HealthCheck): Promise<void> {
    if (!member.usable) return this.retire(member, 'lost');
    const done = this.begin(member);
    member.checking = true;
    let timer: NodeJS.Timeout | undefined;
    let failure: { error: unknown } | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(`the pool's health check had no answer within ${health.interval} ms`)), health.interval);
      });
      await Promise.race([Promise.resolve().then(() => health.check(member.client)), timedOut]);
    } catch (error) {
      failure = { error };
    } finally {
      clearTimeout(timer);
      member.checking = false;
    }
    if (failure !== undefined && this.#members.includes(member)) {
      this.#counts.failedHealthChecks++;
      this.retire(member, 'unhealthy');
    }
    done();
  }

  /** Takes a member out of the pool and closes it; the pool opens a replacement when below `min`. */
  private retire(member: PoolMember, reason: RetireReason): void {
    const index = this.#members.indexOf(member);
    if (index === -1) return;
    this.#members.splice(index, 1);
    member.stopTimers();
    this.#counts.closed++;
    if (reason === 'expired' || reason === 'idle') void member.client.unbind().catch(noop);
    else member.client.destroy(new ConnectionError(reason === 'unhealthy' ? 'connection closed by the connection pool: its health check failed' : 'the pool member lost its connection'));
    this.fill(this.#dispatchWaiters.size > 0 ? 1 : 0);
    this.finishDrainWhenQuiet();
  }

  // Stopping.

  private stopTaking(error: ConnectionPoolClosedError): void {
    clearInterval(this.#healthTimer);
    clearTimeout(this.#refillTimer);
    this.#stopping.abort(error);
    for (const client of this.#creating) client.destroy();
  }

  private finishDrainWhenQuiet(): void {
    if (this.#state !== 'draining') return;
    if (this.#dispatchWaiters.size > 0 || this.#members.some((member) => !member.idle)) return;
    this.stopTaking(new ConnectionPoolClosedError('the connection pool has drained'));
    this.#state = 'closed';
    const members = this.#members;
    this.#members = [];
    for (const member of members) member.stopTimers();
    // A closing socket no longer keeps the process alive: without this hold, a script whose last
    // work is `await pool.drain()` would exit before the drain resolved, skipping what follows.
    const hold = setInterval(noop, 1000);
    void Promise.all(members.map((member) => member.client.unbind().catch(noop))).then(() => {
      clearInterval(hold);
      this.#drained?.resolve();
    });
  }

  private closedError(): ConnectionPoolClosedError {
    return new ConnectionPoolClosedError(this.#state === 'draining' ? 'the connection pool is draining' : 'the connection pool is closed');
  }
}
