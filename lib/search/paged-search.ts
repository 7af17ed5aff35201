import type { Subscriber, Unsubscribable } from 'rxjs';
import { AbandonedError, ProtocolError, ResultCode } from '../errors';
import { Operation, settleAll } from '../operations/operation';
import type { Demand } from '../operations/operation';
import { pagedResultsControl } from '../protocol/controls/factories';
import type { Control } from '../protocol/controls/types';
import { errorFromResult } from '../protocol/error-from-result';
import type { LdapMessage, SearchRequest, SearchResultDone } from '../protocol/types';
import { exchangeOptionsOf } from '../operations/exchange-options';
import { UNDECODED_ENTRIES } from '../operations/exchange';
import type { ExchangeOptionsWithUndecoded } from '../operations/exchange';
import { UndecodedEntry } from '../protocol/undecoded-entry';
import type { SearchChannel } from './channel';
import { SearchEntry } from './entry';
import { DEFAULT_MAX_EMPTY_PAGES, PageProgress } from './page-progress';
import { buildSearchRequest, iteratorOptions } from './search-request';
import type { SearchOptions } from './search-request';

export interface PagedSearchOptions extends Omit<SearchOptions, 'onDone'> {
  /** Entries per page (RFC 2696 size), default 500. */
  pageSize?: number;
  /** Make the paged results control critical: a server that cannot page refuses the search (default false). */
  critical?: boolean;
  /**
   * How many pages in a row may bring no entry while the server still returns a cookie before
   * the search fails with a ProtocolError (default 100; Infinity turns the check off). A page
   * that repeats the previous one, same cookie and same entries, fails the search at once.
   */
  maxEmptyPages?: number;
}

/** One page of a paged search, with what the server said about it. */
export interface SearchPage {
  /** 0 for the first page. */
  readonly index: number;
  readonly entries: readonly SearchEntry[];
  /** The server's estimate of the total number of entries (0 when it does not say). */
  readonly sizeEstimate: number;
  /** The cookie for the next page; empty on the last page. */
  readonly cookie: Buffer;
  /** True when this is the last page. */
  readonly last: boolean;
  /** The response controls of the page's searchResDone (e.g. a sort result). */
  readonly controls: readonly Control[];
}

const DEFAULT_PAGE_SIZE = 500;
/**
 * Results with which servers refuse the paging control itself (slapd: adminLimitExceeded for
 * size.prtotal=disabled, others unavailableCriticalExtension or unwillingToPerform); when the
 * control was not critical, the search is retried without it.
 */
const REFUSALS: ReadonlySet<number> = new Set([ResultCode.adminLimitExceeded, ResultCode.unavailableCriticalExtension, ResultCode.unwillingToPerform]);
const MAX_INT = 2 ** 31 - 1;

type PageEnd = Omit<SearchPage, 'entries'>;

interface PageSink {
  entry(entry: SearchEntry): void;
  pageEnd(page: PageEnd): void;
  error(error: unknown): void;
  complete(): void;
}

/**
 * Runs the page loop for one subscription: one search request per page, the next one only after
 * the consumer has drained the previous page (when it says so through `demand`). Stopping early
 * releases the server's paged state: an unfinished page is abandoned, and between pages a
 * request of size 0 with the last cookie tells the server we are done (RFC 2696 §3).
 */
const runPages = (
  client: SearchChannel,
  request: SearchRequest,
  options: PagedSearchOptions,
  demand: Demand | undefined,
  sink: PageSink,
  /** The sink takes entries undecoded (ldifStream's own paged search; see UndecodedEntry). */
  undecoded = false,
): (() => void) => {
  // Every page (and the release) goes to the connection that holds the paged state.
  const channel = client.session();
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const critical = options.critical ?? false;
  const otherControls = options.controls ?? [];
  const pagingControls = (size: number, cookie: Buffer): Control[] => [pagedResultsControl({ size, cookie }, { critical }), ...otherControls];
  let stopped = false;
  let current: Unsubscribable | undefined;
  /** The cookie of the last finished page while the next is not yet asked for. */
  let heldCookie: Buffer | undefined;
  let index = 0;
  let delivered = false;
  const progress = new PageProgress(options.maxEmptyPages ?? DEFAULT_MAX_EMPTY_PAGES);

  const finish = (): void => {
    stopped = true;
    options.signal?.removeEventListener('abort', onAbort);
  };
  const fail = (error: unknown): void => {
    if (stopped) return;
    finish();
    sink.error(error);
  };
  const onAbort = (): void => {
    // A page in flight is aborted by its own exchange; this covers the wait between pages.
    if (heldCookie !== undefined) {
      const cookie = heldCookie;
      heldCookie = undefined;
      releaseServerState(cookie);
      fail(new AbandonedError('paged search aborted between pages'));
    }
  };
  const releaseServerState = (cookie: Buffer): void => {
    // Fire and forget: the answer (an empty searchResDone) only confirms the release.
    channel.search(request, { controls: pagingControls(0, cookie) }).subscribe({ error: () => undefined });
  };

  /** Sends one request; entries go to the sink, the final searchResDone to `onDone`. */
  const send = (controls: readonly Control[], onDone: (done: SearchResultDone, message: LdapMessage) => void): void => {
    let ended = false;
    let strayed = false;
    let page: Unsubscribable | undefined;
    const exchanged = exchangeOptionsOf({ controls, timeout: options.timeout, signal: options.signal });
    const exchangeOptions: ExchangeOptionsWithUndecoded = undecoded ? { ...exchanged, [UNDECODED_ENTRIES]: true } : exchanged;
    // `page` stays a let: the subscribe callbacks may run (and read it) before the call returns.
    // eslint-disable-next-line prefer-const
    page = current = channel.search(request, exchangeOptions).subscribe({
      next: (message: LdapMessage) => {
        if (ended) return;
        const op = message.protocolOp;
        if (op.type === 'searchResEntry') {
          delivered = true;
          progress.entry(op.objectName);
          // Only the consumer that asked (ldifStream) gets these: it reads them as bytes.
          sink.entry(undecoded && op instanceof UndecodedEntry ? (op as unknown as SearchEntry) : SearchEntry.fromMessage(message, op, channel.typing?.()));
        } else if (op.type === 'searchResDone') {
          ended = true;
          onDone(op, message);
        } else if (op.type !== 'searchResRef' && op.type !== 'intermediateResponse') {
          // searchResRef and intermediate responses carry nothing a paged entry stream reports;
          // any other response breaks RFC 4511 §4.5.2, and the page is abandoned.
          ended = true;
          strayed = true;
          page?.unsubscribe();
          fail(new ProtocolError(`unexpected ${op.type} in a paged search (messageID ${message.messageId})`));
        }
      },
      error: fail,
      complete: () => {
        if (!ended) fail(new ProtocolError('a paged search ended without searchResDone', 0));
      },
    });
    // A violation during subscribe itself came before `page` was known: abandon the page now.
    if (strayed) page.unsubscribe();
  };

  const endPage = (cookie: Buffer, sizeEstimate: number, message: LdapMessage): void => {
    const last = cookie.length === 0;
    // Held before the page is handed over: a consumer that stops while taking it (take(1),
    // firstValueFrom) runs the teardown now, which must release this cookie.
    if (!last) heldCookie = cookie;
    sink.pageEnd({ index: index++, sizeEstimate, cookie, last, controls: message.controls ?? [] });
    if (stopped) return;
    if (last) {
      finish();
      sink.complete();
      return;
    }
    void (demand === undefined ? Promise.resolve() : demand.drained()).then(() => {
      if (!stopped && heldCookie === cookie) fetchPage(cookie);
    });
  };

  const fetchPage = (cookie: Buffer): void => {
    heldCookie = undefined;
    send(pagingControls(pageSize, cookie), (done, message) => {
      if (done.resultCode !== ResultCode.success) {
        if (index === 0 && !delivered && !critical && REFUSALS.has(done.resultCode)) {
          // Paging was optional: run the search unpaged and report it as one last page.
          send(otherControls, (plain, plainMessage) => {
            if (plain.resultCode !== ResultCode.success) fail(errorFromResult(plain, plainMessage.messageId));
            else endPage(Buffer.alloc(0), 0, plainMessage);
          });
          return;
        }
        fail(errorFromResult(done, message.messageId));
        return;
      }
      const response = message.controls?.find((control) => control.type === 'pagedResults');
      // No response control: the server ignored a non-critical request and sent everything at once.
      if (response?.type !== 'pagedResults') {
        endPage(Buffer.alloc(0), 0, message);
        return;
      }
      const next = response.value.cookie;
      const stuck = next.length === 0 ? undefined : progress.pageEnd(index, cookie, next);
      if (stuck !== undefined) {
        // Still told, as on an early stop: a server that is merely buggy frees its paged state
        // (389-ds keeps a few slots per connection). One request, not awaited, bounded by the
        // client's timeout: a hostile server gains nothing from it.
        releaseServerState(next);
        fail(new ProtocolError(`paged search: ${stuck}`));
        return;
      }
      endPage(next, response.value.size, message);
    });
  };

  options.signal?.addEventListener('abort', onAbort, { once: true });
  fetchPage(Buffer.alloc(0));

  return () => {
    if (stopped) return;
    finish();
    current?.unsubscribe(); // an unfinished page: its exchange sends Abandon
    if (heldCookie !== undefined) releaseServerState(heldCookie);
    heldCookie = undefined;
  };
};

const validate = (options: PagedSearchOptions): void => {
  const size = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_INT) throw new RangeError(`pageSize must be an integer from 1 to ${MAX_INT}, got ${String(size)}`);
  const empty = options.maxEmptyPages ?? DEFAULT_MAX_EMPTY_PAGES;
  if (!(Number.isInteger(empty) || empty === Number.POSITIVE_INFINITY) || empty < 0) throw new RangeError(`maxEmptyPages must be an integer from 0, or Infinity, got ${String(empty)}`);
};

/**
 * RFC 2696 simple paged results: an Operation of every entry across all pages, plus `pages()`,
 * a page-level view of the same search. Subscribe, await or iterate as any search.
 */
export class PagedSearch extends Operation<SearchEntry, SearchEntry[]> {
  private readonly request: SearchRequest;

  constructor(
    private readonly channel: SearchChannel,
    base: string,
    private readonly options: PagedSearchOptions = {},
  ) {
    const request = buildSearchRequest(base, options);
    validate(options);
    super(
      (subscriber: Subscriber<SearchEntry>, demand) =>
        runPages(channel, request, options, demand, {
          entry: (entry) => subscriber.next(entry),
          pageEnd: () => undefined,
          error: (error) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }, demand?.undecodedEntries === true),
      { settle: settleAll, flow: channel.flow, ...iteratorOptions(options) },
    );
    this.request = request;
  }

  /** The same search seen page by page (a separate, cold run of it); the next page is asked for once this one was taken. */
  pages(): Operation<SearchPage, SearchPage[]> {
    return new Operation<SearchPage, SearchPage[]>(
      (subscriber: Subscriber<SearchPage>, demand) => {
        let collected: SearchEntry[] = [];
        return runPages(this.channel, this.request, this.options, demand, {
          entry: (entry) => collected.push(entry),
          pageEnd: (page) => {
            const full: SearchPage = { ...page, entries: collected };
            collected = [];
            subscriber.next(full);
          },
          error: (error) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      },
      // A page is a single value, so there is nothing to pause mid-page for.
      { settle: settleAll },
    );
  }
}

export const pagedSearch = (channel: SearchChannel, base: string, options: PagedSearchOptions = {}): PagedSearch => new PagedSearch(channel, base, options);
