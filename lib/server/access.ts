import { parseDN } from './deps';
import type { DN } from './deps';
import type { StoredEntry } from './entry';
import type { Schema } from './schema/schema';

/**
 * Access control, a small slapd olcAccess: rules tried in order, the first whose entries and
 * attributes match decides through its first matching `by` clause (no match: no access). The
 * root DN may do anything. Enough to make a test see insufficientAccessRights, a hidden
 * userPassword or an entry that does not exist for anonymous users.
 */
export type AccessLevel = 'none' | 'disclose' | 'auth' | 'compare' | 'search' | 'read' | 'write' | 'manage';

/** Who a clause is about: nobody bound, anybody bound, the entry itself, everyone, or DNs. */
export type AccessSubject = 'anonymous' | 'users' | 'self' | '*' | { dn: string; scope?: 'base' | 'subtree' };

export interface AccessClause {
  who: AccessSubject;
  access: AccessLevel;
}

export interface AccessRule {
  /** The entries the rule is about: this DN and, per `scope` (default 'subtree'), those below; every entry when absent. */
  dn?: string;
  scope?: 'base' | 'one' | 'subtree' | 'children';
  /**
   * Attribute names the rule is about; absent: all. `entry` is the entry itself (to find it or
   * read its DN) and `children` its right to gain or lose children (adds, deletes, renames below).
   */
  attributes?: readonly string[];
  by: readonly AccessClause[];
}

/**
 * The default: a user may change their own entry and password, a password is only for binding
 * to anyone else, and everything else is readable by all (Debian's stock slapd, plus self write
 * so that a test can exercise a user changing their own entry without writing rules).
 */
export const DEFAULT_ACCESS: readonly AccessRule[] = [
  { attributes: ['userPassword'], by: [{ who: 'self', access: 'write' }, { who: 'anonymous', access: 'auth' }, { who: '*', access: 'none' }] },
  { by: [{ who: 'self', access: 'write' }, { who: '*', access: 'read' }] },
];

const LEVELS: readonly AccessLevel[] = ['none', 'disclose', 'auth', 'compare', 'search', 'read', 'write', 'manage'];
export const atLeast = (granted: AccessLevel, needed: AccessLevel): boolean => LEVELS.indexOf(granted) >= LEVELS.indexOf(needed);

/** The requester as access control sees it. */
export interface Identity {
  /** The bound DN, undefined when anonymous. */
  readonly dn: DN | undefined;
  readonly root: boolean;
}

interface CompiledRule {
  readonly dn: DN | undefined;
  readonly scope: 'base' | 'one' | 'subtree' | 'children';
  readonly attributes: ReadonlySet<string> | undefined;
  readonly by: ReadonlyArray<{ who: 'anonymous' | 'users' | 'self' | '*' | { dn: DN; scope: 'base' | 'subtree' }; access: AccessLevel }>;
}

export class AccessControl {
  private readonly rules: CompiledRule[];

  constructor(
    rules: readonly AccessRule[],
    private readonly schema: Schema,
  ) {
    this.rules = rules.map((rule) => ({
      dn: rule.dn === undefined ? undefined : parseDN(rule.dn),
      scope: rule.scope ?? 'subtree',
      attributes: rule.attributes === undefined ? undefined : new Set(rule.attributes.map((name) => this.keyOf(name))),
      by: rule.by.map(({ who, access }) => ({
        who: typeof who === 'object' ? { dn: parseDN(who.dn), scope: who.scope ?? 'base' } : who,
        access,
      })),
    }));
  }

  private keyOf(name: string): string {
    const lower = name.toLowerCase();
    if (lower === 'entry' || lower === 'children') return lower;
    return this.schema.attributeType(name.split(';')[0] ?? name)?.key ?? lower;
  }

  /** The access `identity` has to attribute `attribute` (a name, `entry` or `children`) of the entry named `dn`. */
  level(identity: Identity, dn: DN, attribute: string): AccessLevel {
    if (identity.root) return 'manage';
    const key = this.keyOf(attribute);
    for (const rule of this.rules) {
      if (!inScope(rule, dn)) continue;
      if (rule.attributes !== undefined && !rule.attributes.has(key)) continue;
      for (const clause of rule.by) if (applies(clause.who, identity, dn)) return clause.access;
      return 'none';
    }
    return 'none';
  }

  allows(identity: Identity, entry: StoredEntry | DN, attribute: string, needed: AccessLevel): boolean {
    if (identity.root) return true;
    const dn = 'dnText' in entry ? entry.dn : entry;
    return atLeast(this.level(identity, dn, attribute), needed);
  }
}

const inScope = (rule: CompiledRule, dn: DN): boolean => {
  if (rule.dn === undefined) return true;
  switch (rule.scope) {
    case 'base':
      return dn.equals(rule.dn);
    case 'one':
      return dn.isChildOf(rule.dn);
    case 'children':
      return dn.isDescendantOf(rule.dn);
    default:
      return dn.equals(rule.dn) || dn.isDescendantOf(rule.dn);
  }
};

const applies = (who: CompiledRule['by'][number]['who'], identity: Identity, dn: DN): boolean => {
  if (who === '*') return true;
  if (who === 'anonymous') return identity.dn === undefined;
  if (who === 'users') return identity.dn !== undefined;
  if (who === 'self') return identity.dn !== undefined && identity.dn.equals(dn);
  if (identity.dn === undefined) return false;
  return identity.dn.equals(who.dn) || (who.scope === 'subtree' && identity.dn.isDescendantOf(who.dn));
};
