import { compileFilter, DN, parseDN, InvalidDNError, InvalidFilterError } from './deps';
import type { CompiledFilter, Filter, FilterEntry, PartialAttribute, SearchRequest, SearchResultEntry } from './deps';
import type { AccessControl, Identity } from './access';
import type { DirectoryStore } from './directory';
import type { StoredEntry } from './entry';
import { resolveName } from './entry';
import { operationalAttributes, viewEntry } from './operational';
import type { OperationalContext } from './operational';
import { failure, referral } from './result';
import { AttributeSelection } from './selection';

/**
 * One search's view of the directory: its base, scope, alias handling, filter, access and
 * attribute selection, asked entry by entry. A plain search walks it once; a paged or sorted one
 * collects it; syncrepl and persistent search ask `visible()` and `toEntry()` of entries as they
 * change, long after the base was resolved.
 */
export class SearchPlan {
  readonly base: DN;
  readonly selection: AttributeSelection;
  private readonly filter: CompiledFilter;
  private readonly filterAttributes: FilterAttributes;
  private readonly operational: OperationalContext;

  constructor(
    private readonly directory: DirectoryStore,
    private readonly access: AccessControl,
    private readonly identity: Identity,
    readonly request: SearchRequest,
    /** The ManageDsaIT control (RFC 3296) was sent: referral objects are ordinary entries. */
    readonly manageDsaIT = false,
  ) {
    try {
      this.base = parseDN(request.baseObject);
    } catch (error) {
      if (error instanceof InvalidDNError) throw failure('invalidDNSyntax', 'invalid DN');
      throw error;
    }
    try {
      this.filter = compileFilter(request.filter, { schema: directory.schema.model });
    } catch (error) {
      if (error instanceof InvalidFilterError) throw failure('protocolError', 'bad search filter');
      throw error;
    }
    this.filterAttributes = attributesOf(directory, request.filter);
    this.selection = new AttributeSelection(directory.schema, request.attributes);
    this.operational = {
      schema: directory.schema,
      hasChildren: (entry) => directory.hasChildren(entry),
      contextCSN: (entry) => (directory.suffixes.some((suffix) => suffix.equals(entry.dn)) ? directory.contextCSN : undefined),
    };
  }

  /**
   * The base entry, after alias dereferencing when the request asks; noSuchObject (with the
   * matched DN) otherwise, or a referral when the base is (or lies below) a referral object and
   * the request does not manage the DSA IT (RFC 3296).
   */
  resolveBase(): StoredEntry {
    if (!this.manageDsaIT) checkReferral(this.directory, this.base, SCOPE_NAMES[this.request.scope]);
    const found = this.directory.get(this.base);
    if (found === undefined || !this.access.allows(this.identity, found, 'entry', 'disclose')) {
      const matched = this.directory.matchedDN(this.base);
      const shown = matched !== '' && this.access.allows(this.identity, parseDN(matched), 'entry', 'disclose') ? matched : '';
      throw failure('noSuchObject', '', shown);
    }
    const deref = this.request.derefAliases;
    return deref === 'derefFindingBaseObj' || deref === 'derefAlways' ? this.dereference(found) : found;
  }

  /**
   * The entries in scope in slapd's order (creation order for a subtree from a naming context,
   * else level by level in dn2id order), aliases among them followed when the request says so:
   * an alias gives way to its target (and, in a subtree search, the target's subtree), each
   * entry returned once, targets already in scope where they stand.
   */
  *candidates(base: StoredEntry): IterableIterator<StoredEntry> {
    const following = this.request.derefAliases === 'derefInSearching' || this.request.derefAliases === 'derefAlways';
    const scope = this.request.scope;
    if (scope === 'baseObject') {
      yield base;
      return;
    }
    // A subtree from a naming context is every entry in order of creation (back-mdb's "all IDs");
    // a level, or a subtree from below a naming context, comes from its DN index.
    const inScope =
      scope !== 'singleLevel' && this.directory.suffixes.some((suffix) => suffix.equals(base.dn))
        ? [...this.directory.subtree(base, scope === 'wholeSubtree')].sort((a, b) => a.meta.id - b.meta.id)
        : this.directory.walk(base, scope === 'wholeSubtree', scope === 'singleLevel');
    if (!following) {
      yield* inScope;
      return;
    }
    const seen = new Set<string>();
    const targets: StoredEntry[] = [];
    for (const entry of inScope) {
      if (isAlias(entry)) {
        targets.push(this.dereference(entry));
        continue;
      }
      seen.add(entry.key);
      yield entry;
    }
    for (const target of targets) {
      const reached = scope === 'singleLevel' ? [target] : this.directory.walk(target, true, false);
      for (const found of reached) {
        if (seen.has(found.key) || isAlias(found)) continue;
        seen.add(found.key);
        yield found;
      }
    }
  }

  /** Follows an alias chain to a real entry; aliasProblem for a dangling alias or a loop. */
  private dereference(entry: StoredEntry): StoredEntry {
    let current = entry;
    for (let hops = 0; isAlias(current); hops++) {
      const target = current.attribute('aliasedobjectname')?.vals[0];
      if (target === undefined || hops > 16) throw failure('aliasProblem', 'alias problem');
      let next: StoredEntry | undefined;
      try {
        next = this.directory.get(target.toString('utf8'));
      } catch (error) {
        if (!(error instanceof InvalidDNError)) throw error;
      }
      if (next === undefined) throw failure('aliasDereferencingProblem', 'alias dereferencing problem');
      current = next;
    }
    return current;
  }

  /** Whether the entry lies where the search looks (by DN alone; alias targets are not followed here). */
  inScope(dn: DN): boolean {
    switch (this.request.scope) {
      case 'baseObject':
        return dn.equals(this.base);
      case 'singleLevel':
        return dn.isChildOf(this.base);
      case 'subordinateSubtree':
        return dn.isDescendantOf(this.base);
      default:
        return dn.equals(this.base) || dn.isDescendantOf(this.base);
    }
  }

  /** Whether the requester may see the entry and the filter is TRUE for what they may see of it. */
  matches(entry: StoredEntry): boolean {
    if (!this.access.allows(this.identity, entry, 'entry', 'read')) return false;
    return this.filter(this.filterView(entry)) === 'TRUE';
  }

  /** The filter on an entry the directory does not store (the root DSE, cn=Subschema). */
  matchesVirtual(entry: FilterEntry): boolean {
    return this.filter(entry) === 'TRUE';
  }

  /** Whether a changed entry is part of this search's results (syncrepl and persistent search). */
  visible(entry: StoredEntry | undefined): boolean {
    return entry !== undefined && this.inScope(entry.dn) && this.matches(entry);
  }

  /**
   * What the filter sees: the entry's attributes (operational ones too when the filter names
   * one) that the requester may search. Superclasses of objectClass and subtypes are the
   * evaluator's business, through the schema.
   */
  private filterView(entry: StoredEntry): FilterEntry {
    const root = this.identity.root;
    if (root && !this.filterAttributes.operational) return entry;
    let attributes: PartialAttribute[] = [...entry.attributes];
    if (this.filterAttributes.operational) attributes.push(...operationalAttributes(this.operational, entry));
    if (!root) attributes = attributes.filter((attribute) => this.access.allows(this.identity, entry, attribute.type, 'search'));
    return { objectName: entry.dnText, attributes };
  }

  /** The SearchResultEntry for an entry: selected, readable attributes (types only when asked). */
  toEntry(entry: StoredEntry): SearchResultEntry {
    let attributes: PartialAttribute[];
    if (this.identity.root && this.selection.exactlyAllUser) {
      attributes = entry.attributes as PartialAttribute[];
    } else {
      attributes = this.selection.needsOperational ? this.selection.pick(viewEntry(this.operational, entry)) : this.selection.pick(entry.attributes.map((attribute) => ({ attribute, operational: false })));
      if (!this.identity.root) attributes = attributes.filter((attribute) => this.access.allows(this.identity, entry, attribute.type, 'read'));
    }
    if (this.request.typesOnly) attributes = attributes.map((attribute) => ({ type: attribute.type, vals: [] }));
    return { type: 'searchResEntry', objectName: entry.dnText, attributes };
  }

  /** The operational attributes of an entry (for sorting on one, say). */
  operationalOf(entry: StoredEntry): PartialAttribute[] {
    return operationalAttributes(this.operational, entry);
  }
}

/** A referral object (RFC 3296): objectClass referral with ref URLs. */
export const referralOf = (entry: StoredEntry): string[] | undefined => {
  if (!entry.hasObjectClass('referral')) return undefined;
  const urls = entry.attribute('ref')?.vals.map((value) => value.toString('utf8')) ?? [];
  return urls.length === 0 ? undefined : urls;
};

/**
 * A referral result when `dn` is a referral object or lies below one (RFC 3296 §5.6.1): each URL
 * names `dn` itself (the part below the referral object put before the URL's DN) and, for a
 * search, its scope (`scope`, as `??base`, `??one` or `??sub`).
 */
export const checkReferral = (directory: DirectoryStore, dn: DN, scope?: string): void => {
  for (let at: DN | undefined = dn; at !== undefined && at.length > 0; at = at.parent()) {
    const entry = directory.get(at);
    if (entry === undefined) continue;
    const urls = referralOf(entry);
    if (urls === undefined) return;
    const below = dn.rdns.slice(0, dn.length - entry.dn.length);
    throw referral(urls.map((url) => rewriteReferral(url, below, scope)), entry.dnText);
  }
};

const rewriteReferral = (url: string, below: DN['rdns'], scope: string | undefined): string => {
  const match = /^(ldaps?:\/\/[^/]*)(?:\/([^?]*))?(.*)$/i.exec(url);
  if (match === null) return url;
  const [, server = '', path = '', rest = ''] = match;
  let target = path;
  if (below.length > 0) {
    try {
      target = encodeURI(new DN([...below, ...parseDN(decodeURIComponent(path)).rdns]).toString());
    } catch {
      target = path;
    }
  }
  return `${server}/${target}${rest === '' && scope !== undefined ? `??${scope}` : rest}`;
};

const SCOPE_NAMES: Readonly<Record<SearchRequest['scope'], string>> = { baseObject: 'base', singleLevel: 'one', wholeSubtree: 'sub', subordinateSubtree: 'subordinate' };

const isAlias = (entry: StoredEntry): boolean => entry.hasObjectClass('alias') && entry.attribute('aliasedobjectname') !== undefined;

interface FilterAttributes {
  /** The filter names an operational attribute (or any attribute, through an extensibleMatch without a type). */
  readonly operational: boolean;
}

const attributesOf = (directory: DirectoryStore, filter: Filter): FilterAttributes => {
  let operational = false;
  const visit = (node: Filter): void => {
    let name: string | undefined;
    switch (node.type) {
      case 'and':
      case 'or':
        node.filters.forEach(visit);
        return;
      case 'not':
        visit(node.filter);
        return;
      case 'substrings':
      case 'present':
        name = node.attribute;
        break;
      case 'extensibleMatch':
        name = node.attribute;
        if (name === undefined) operational = true;
        break;
      default:
        name = node.attributeDesc;
    }
    if (name === undefined) return;
    if (resolveName(directory.schema, name).type?.operational === true) operational = true;
  };
  visit(filter);
  return { operational };
};
