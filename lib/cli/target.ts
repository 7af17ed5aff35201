/**
 * What a search names, as ldapsearch takes it: -b base, -s scope, then the filter and the
 * attributes as arguments (`rxldap search -b dc=example,dc=com '(uid=jdoe)' cn mail`).
 */
import { parseDN, parseFilter } from '../index';
import type { ScopeOption } from '../index';
import { UsageError } from './usage';

export const TARGET_OPTIONS = {
  base: { type: 'string', short: 'b' },
  scope: { type: 'string', short: 's' },
} as const;

export const TARGET_HELP = `  -b, --base DN            where to search                          [RXLDAP_BASE; default: the empty DN]
  -s, --scope SCOPE        base, one, sub (default) or children`;

export interface SearchTarget {
  readonly base: string;
  readonly scope: ScopeOption;
  readonly scopeName: string;
  readonly filter: string;
  readonly attributes: readonly string[];
}

const SCOPES: Record<string, ScopeOption> = { base: 'base', one: 'one', sub: 'sub', children: 'subordinates', subordinates: 'subordinates' };

export const searchTarget = (values: { base?: string; scope?: string }, positionals: readonly string[], env: Readonly<Record<string, string | undefined>>, command: string): SearchTarget => {
  const base = values.base ?? env.RXLDAP_BASE ?? '';
  parseDN(base); // InvalidDNError: a usage error, before anything is sent
  const scopeName = values.scope ?? 'sub';
  const scope = SCOPES[scopeName];
  if (scope === undefined) throw new UsageError(`-s wants base, one, sub or children, not ${JSON.stringify(scopeName)}`, command);
  const [first, ...rest] = positionals;
  // As ldapsearch, the first argument is the filter; but one without `=` (and not in
  // parentheses) cannot be a filter, so it is taken as the first attribute instead.
  const isFilter = first !== undefined && (first.startsWith('(') || first.includes('='));
  const filter = isFilter ? first : '(objectClass=*)';
  parseFilter(filter);
  const attributes = isFilter ? rest : positionals;
  return { base, scope, scopeName, filter, attributes };
};
