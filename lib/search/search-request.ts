import { parseFilter } from '../filter/parse';
import type { Control } from '../protocol/controls/types';
import type { DerefAliases, Filter, SearchRequest, SearchResultDone, SearchScope } from '../protocol/types';

/** Scope by its short (ldapsearch / URL) name or RFC 4511 name. */
export type ScopeOption = 'base' | 'one' | 'sub' | 'subordinates' | SearchScope;
export type DerefOption = 'never' | 'search' | 'find' | 'always' | DerefAliases;

export interface SearchOptions {
  scope?: ScopeOption;
  /** RFC 4515 text or a Filter (e.g. from the `filter` template, which escapes user input). */
  filter?: string | Filter;
  /** Attribute descriptions; `*` all user attributes, `+` operational, `1.1` none. */
  attributes?: readonly string[];
  derefAliases?: DerefOption;
  sizeLimit?: number;
  /** Seconds the server may spend (0: no limit). */
  timeLimit?: number;
  typesOnly?: boolean;
  controls?: readonly Control[];
  /**
   * Milliseconds of silence before the search fails with TimeoutError and is abandoned: the
   * longest wait for the first response or between two (time the connection spends paused for
   * a slow consumer does not count). 0: none, not even the client's default.
   */
  timeout?: number;
  /** Milliseconds from the request until the whole search must have finished (default none). */
  deadline?: number;
  /** Sent again, once, after a reconnect when the connection was lost before any entry came (see ExchangeOptions.retry). */
  retry?: boolean;
  signal?: AbortSignal;
  /** Entries an async iterator may hold unread before the socket is paused (default 1000). */
  highWaterMark?: number;
  /**
   * Entries an async iterator may hold unread at most (default 10 × highWaterMark, at least
   * 10,000): while other operations share the connection it keeps reading, and past this the
   * search fails with BufferOverflowError. Infinity: no cap.
   */
  maxBuffered?: number;
  /**
   * Called with the final searchResDone and its response controls (sort result, paged cookie…),
   * before the operation completes or fails with the result's error.
   */
  onDone?: (result: SearchResultDone, controls: readonly Control[]) => void;
}

const SCOPES: Record<ScopeOption, SearchScope> = {
  base: 'baseObject', one: 'singleLevel', sub: 'wholeSubtree', subordinates: 'subordinateSubtree',
  baseObject: 'baseObject', singleLevel: 'singleLevel', wholeSubtree: 'wholeSubtree', subordinateSubtree: 'subordinateSubtree',
};
const DEREFS: Record<DerefOption, DerefAliases> = {
  never: 'neverDerefAliases', search: 'derefInSearching', find: 'derefFindingBaseObj', always: 'derefAlways',
  neverDerefAliases: 'neverDerefAliases', derefInSearching: 'derefInSearching', derefFindingBaseObj: 'derefFindingBaseObj', derefAlways: 'derefAlways',
};

/** The searchRequest protocolOp for `base` and friendly options (defaults: sub, (objectClass=*)). */
export const buildSearchRequest = (base: string, options: SearchOptions = {}): SearchRequest => {
  const scope = SCOPES[options.scope ?? 'sub'];
  const derefAliases = DEREFS[options.derefAliases ?? 'never'];
  if (scope === undefined) throw new TypeError(`unknown search scope '${String(options.scope)}'`);
  if (derefAliases === undefined) throw new TypeError(`unknown derefAliases '${String(options.derefAliases)}'`);
  const filter = options.filter === undefined ? parseFilter('(objectClass=*)') : typeof options.filter === 'string' ? parseFilter(options.filter) : options.filter;
  return {
    type: 'searchRequest',
    baseObject: base,
    scope,
    derefAliases,
    sizeLimit: options.sizeLimit ?? 0,
    timeLimit: options.timeLimit ?? 0,
    typesOnly: options.typesOnly ?? false,
    filter,
    attributes: [...(options.attributes ?? [])],
  };
};

/** The iterator settings of a search's Operation, as given (absent ones take Operation's defaults). */
export const iteratorOptions = (options: { highWaterMark?: number; maxBuffered?: number }): { highWaterMark?: number; maxBuffered?: number } => ({
  ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
  ...(options.maxBuffered === undefined ? {} : { maxBuffered: options.maxBuffered }),
});
