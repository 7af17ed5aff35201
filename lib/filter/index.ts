/** RFC 4515 search filters: parse, serialise, escape, the `filter` template, and evaluation. */
export { parseFilter, DEFAULT_MAX_FILTER_DEPTH } from './parse';
export type { ParseFilterOptions } from './parse';
export { filterToString } from './serialize';
export { escapeFilterValue } from './escape';
export { filter } from './template';
export type { FilterTemplateValue } from './template';
export { matches, evaluateFilter, compileFilter } from './evaluate';
export type { FilterResult, FilterEntry, CompiledFilter, EvaluationOptions } from './evaluate';
export type { AttributeTypeResolver, ResolvedAttributeType } from './description';
export { findMatchingRule, supportedMatchingRules } from './rules';
export type { MatchingRule } from './matching-rules';
