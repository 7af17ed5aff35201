import { Operation } from '../operations/operation';
import type { SearchChannel } from './channel';
import type { SearchEntry } from './entry';
import type { SearchOptions } from './search-request';

export interface PagedSearchOptions extends Omit<SearchOptions, 'onDone'> {
  /** Entries per page (RFC 2696 size), default 500. */
  pageSize?: number;
  /** Make the paged results control critical: a server that cannot page refuses the search (default false). */
  critical?: boolean;
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
}

/** An Operation of every entry across pages, plus a page-level view of the same search. */
export interface PagedSearch extends Operation<SearchEntry, SearchEntry[]> {
  /** The same search seen page by page (a separate, cold run of it). */
  pages(): Operation<SearchPage, SearchPage[]>;
}

export const pagedSearch = (channel: SearchChannel, base: string, options: PagedSearchOptions = {}): PagedSearch => {
  void channel;
  void base;
  void options;
  throw new Error('pagedSearch: not implemented yet');
};
