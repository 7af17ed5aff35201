export { SearchEntry, SearchReference } from './entry';
export { buildSearchRequest } from './search-request';
export type { SearchOptions, ScopeOption, DerefOption } from './search-request';
export type { SearchChannel } from './channel';
export { PagedSearch } from './paged-search';
export type { PagedSearchOptions, SearchPage } from './paged-search';
export type { ChangeEvent, PersistentSearchOptions } from './persistent-search';
export type { SyncreplOptions } from './syncrepl';
export type * from './syncrepl-events';
