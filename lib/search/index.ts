export { SearchEntry, SearchReference } from './entry';
export { buildSearchRequest } from './search-request';
export type { SearchOptions, ScopeOption, DerefOption } from './search-request';
