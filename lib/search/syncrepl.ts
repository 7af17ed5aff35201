import type { Subscription } from 'rxjs';
import { ResumePolicy, isResumable } from './resume-policy';
import { syncRequestControl } from '../protocol/controls/factories';
import type { SyncMode } from '../protocol/controls/types';
import { UNDECODED_ENTRIES } from '../operations/exchange';
import type { ExchangeOptions, ExchangeOptionsWithUndecoded } from '../operations/exchange';
import { exchangeOptionsOf, ownTimeoutOnly } from '../operations/exchange-options';
import { Operation, settleAll } from '../operations/operation';
import type { SearchChannel } from './channel';
import { buildSearchRequest, iteratorOptions } from './search-request';
import type { SearchOptions } from './search-request';
import type { SyncEvent } from './syncrepl-events';
import { SyncMessageTranslator } from './syncrepl-translate';
import type { SyncOutcome, SyncTranslation } from './syncrepl-translate';

export interface SyncreplOptions extends Omit<SearchOptions, 'onDone'> {
  /** refreshOnly: one refresh then the search ends; refreshAndPersist (default): refresh, then live changes. */
  mode?: SyncMode;
  /** The cookie of an earlier session, to receive only what changed since; undefined (what a SyncSource gets before the first sync) means none. */
  cookie?: Buffer | string | undefined;
  reloadHint?: boolean;
  /** Expand Sync Info syncIdSets into `present` / `delete` events (default true). */
  expandIdSets?: boolean;
  /**
   * How many times in a row the sync restarts after e-syncRefreshRequired (4096) before it fails
   * with SyncRefreshRequiredError (default 5). The count starts again at each refreshDone.
   */
  maxRestarts?: number;
  /**
   * When the connection is lost, start again from the last cookie on the client's new
   * connection (announced by a `resumed` event) instead of failing (default true). The client
   * reconnects and rebinds by its `reconnect` options; a client that cannot fails the sync.
   */
  resume?: boolean;
}



export const DEFAULT_MAX_SYNC_RESTARTS = 5;

const toBuffer = (cookie: Buffer | string | undefined): Buffer | undefined =>
  cookie === undefined ? undefined : typeof cookie === 'string' ? Buffer.from(cookie, 'utf8') : cookie;

/**
 * RFC 4533 content synchronization as typed events (see SyncEvent). Every request of the session
 * carries the same search and a critical Sync Request control, so a server without syncprov
 * refuses instead of running a plain search. e-syncRefreshRequired restarts the sync
 * transparently (with the server's cookie, or none for a full reload), announced by a
 * `refreshRequired` event. Unsubscribing ends the search with Cancel (RFC 3909).
 *
 * refreshOnly completes after `refreshDone`; refreshAndPersist completes only if the server ends
 * it. A `timeout` bounds each request; in refreshAndPersist mode the client's default timeout
 * does not apply (it would cut the persist stage), only an explicit one.
 */
export const syncrepl = (channel: SearchChannel, base: string, options: SyncreplOptions = {}): Operation<SyncEvent, SyncEvent[]> => {
  const request = buildSearchRequest(base, options);
  const mode = options.mode ?? 'refreshAndPersist';
  const expandIdSets = options.expandIdSets ?? true;
  const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_SYNC_RESTARTS;
  const initialCookie = toBuffer(options.cookie);
  const exchangeFor = (cookie: Buffer | undefined): ExchangeOptions =>
    exchangeOptionsOf({
      controls: [
        syncRequestControl(cookie === undefined ? { mode, reloadHint: options.reloadHint ?? false } : { mode, cookie, reloadHint: options.reloadHint ?? false }, { critical: true }),
        ...(options.controls ?? []),
      ],
      stopWith: 'cancel',
      timeout: mode === 'refreshAndPersist' ? ownTimeoutOnly(options.timeout) : options.timeout,
      signal: options.signal,
    });

  return new Operation<SyncEvent, SyncEvent[]>(
    (subscriber, demand) => {
      // The consumer takes entries undecoded (the SyncReplConsumer's own pull): their events'
      // `entry` is then an UndecodedEntry, for that consumer only (see SyncMessageTranslator).
      const undecoded = demand?.undecodedEntries === true;
      // A restart after 4096 must reach the same (bound) connection, never a fresh one; after a
      // lost connection a new session follows the client to its new, rebound connection.
      let session = channel.session();
      let current: Subscription | undefined;
      let restartsInARow = 0;
      const resumes = new ResumePolicy();
      let resumeTimer: NodeJS.Timeout | undefined;
      let lastCookie = initialCookie;

      const run = (cookie: Buffer | undefined): void => {
        const translator = new SyncMessageTranslator(expandIdSets, cookie, () => channel.typing?.(), undecoded);
        let outcome: SyncOutcome | undefined;
        const exchanged: ExchangeOptionsWithUndecoded = undecoded ? { ...exchangeFor(cookie), [UNDECODED_ENTRIES]: true } : exchangeFor(cookie);
        current = session.search(request, exchanged).subscribe({
          next: (message) => {
            if (subscriber.closed) return;
            const wasRefreshing = !translator.refreshDone;
            let translation: SyncTranslation;
            try {
              translation = translator.translate(message);
            } catch (error) {
              subscriber.error(error); // the teardown below cancels the search
              return;
            }
            for (const event of translation.events) {
              if ('cookie' in event && event.cookie !== undefined) lastCookie = event.cookie;
              subscriber.next(event);
            }
            if (wasRefreshing && translator.refreshDone) restartsInARow = 0;
            if (translation.outcome !== undefined) outcome = translation.outcome;
          },
          error: (error: unknown) => {
            const delay = options.resume === false || subscriber.closed || !isResumable(error) ? undefined : resumes.next();
            if (delay === undefined || !isResumable(error)) {
              subscriber.error(error);
              return;
            }
            subscriber.next(lastCookie === undefined ? { type: 'resumed', reason: error } : { type: 'resumed', cookie: lastCookie, reason: error });
            if (subscriber.closed) return;
            resumeTimer = setTimeout(() => {
              session = channel.session();
              run(lastCookie);
            }, delay);
          },
          complete: () => {
            if (outcome === undefined || outcome.kind === 'complete') subscriber.complete();
            else if (outcome.kind === 'fail') subscriber.error(outcome.error);
            else if (restartsInARow >= maxRestarts) subscriber.error(outcome.error);
            else {
              restartsInARow++;
              subscriber.next(outcome.cookie === undefined ? { type: 'refreshRequired' } : { type: 'refreshRequired', cookie: outcome.cookie });
              if (!subscriber.closed) run(outcome.cookie);
            }
          },
        });
      };

      run(initialCookie);
      return () => {
        if (resumeTimer !== undefined) clearTimeout(resumeTimer);
        current?.unsubscribe();
      };
    },
    { settle: settleAll, flow: channel.flow, ...iteratorOptions(options) },
  );
};
