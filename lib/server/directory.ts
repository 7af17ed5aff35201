import { randomUUID } from 'node:crypto';
import { DN, parseDN, toAttributes, toChanges, InvalidDNError } from './deps';
import type { AttributeInput, Change, ModificationInput, PartialAttribute } from './deps';
import { ChangeLog } from './changes';
import type { ChangeKind, ChangeListener, DirectoryChange } from './changes';
import { CsnClock } from './clock';
import { AttributeBag, META, StoredEntry, layoutAfterChange, layoutForAdd, parentKeyOf, resolveName } from './entry';
import type { EntryMeta } from './entry';
import { applyModifications } from './modify';
import { failure } from './result';
import { checkAttribute, checkEntry, structuralClassOf } from './schema/check';
import type { Schema } from './schema/schema';
import type { SchemaJSON } from './deps';
import { META_ATTRIBUTES, metaFromAttributes } from './operational';
import { renamedAttributes } from './rename';

/** One entry given to the directory as data: its DN and attributes (`{ cn: 'x', objectClass: ['top', 'person'] }`). */
export interface EntryInput {
  dn: string;
  attributes: AttributeInput;
}

export interface DirectoryOptions {
  /**
   * The naming contexts (`dc=example,dc=com`). Default: the DNs of the loaded entries that have
   * no parent among them, or dc=example,dc=com for an empty directory.
   */
  suffix?: string | readonly string[];
  /**
   * What entries are checked against: true (default) for the schema slapd 2.5 publishes with
   * core, cosine, inetorgperson and nis (rxldap/schemas' 'openldap-2.5'), a saved schema
   * (`schema.toJSON()`, or another of rxldap/schemas' snapshots), or false to accept any
   * attribute and object class (names and matching rules then still come from slapd's schema).
   */
  schema?: boolean | SchemaJSON;
  /** How many changes the log keeps for syncrepl refreshes from a cookie (default 10,000). */
  syncLogSize?: number;
  /** creatorsName and modifiersName of loaded entries (default: `cn=admin,<first suffix>`, the default root DN, as slapadd names the rootdn). */
  loadedBy?: string;
}

/** Who makes a change: their DN ('' for the directory itself), and whether they are the root DN. */
export interface Actor {
  readonly dn: string;
  readonly root: boolean;
}

const LOADER: Actor = { dn: '', root: true };

const toDN = (dn: string | DN): DN => (typeof dn === 'string' ? parseDN(dn) : dn);

/**
 * The directory's data: entries by normalised DN with a child index, every update with slapd's
 * checks and result codes, operational attributes, a CSN per change, and the change stream and
 * log that syncrepl and persistent search serve from. Several servers may share one DirectoryStore
 * (as two providers replicating would), and it outlives a server's close() and restart.
 */
export class DirectoryStore {
  readonly schema: Schema;
  readonly checking: boolean;
  private readonly entries = new Map<string, StoredEntry>();
  private readonly childKeys = new Map<string, Set<string>>();
  /** Children in slapd's dn2id order, per parent, computed when first asked and forgotten when they change. */
  private readonly childOrder = new Map<string, string[]>();
  private readonly byUuid = new Map<string, string>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly clock = new CsnClock();
  private readonly log: ChangeLog;
  private suffixList: DN[];
  /** While the initial entries load without a configured suffix, their roots become the suffixes. */
  private findingSuffixes = false;
  private changeCount = 0;
  private nextId = 1;
  private lastCsn: string;
  private readonly loadedByOption: string | undefined;
  /** When the directory was made (cn=Subschema's timestamps). */
  readonly createdAt: string;

  constructor(options: DirectoryOptions, initial: readonly EntryInput[], schema: Schema) {
    this.checking = options.schema !== false;
    this.schema = schema;
    const start = this.clock.next();
    this.lastCsn = start.csn;
    this.createdAt = start.time;
    this.log = new ChangeLog(options.syncLogSize ?? 10_000, this.lastCsn);
    const given = options.suffix === undefined ? undefined : typeof options.suffix === 'string' ? [options.suffix] : options.suffix;
    this.suffixList = given === undefined ? [] : given.map((text) => parseDN(text));
    // Without a suffix, the loaded entries' roots are the naming contexts (found as they load,
    // parents first, as slapadd wants them), and an empty directory gets dc=example,dc=com.
    this.findingSuffixes = given === undefined && initial.length > 0;
    if (given === undefined && initial.length === 0) this.suffixList = [parseDN('dc=example,dc=com')];
    this.loadedByOption = options.loadedBy;
    this.load(initial);
    this.findingSuffixes = false;
  }

  /** The naming contexts. */
  get suffixes(): readonly DN[] {
    return this.suffixList;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The CSN of the last change (slapd's contextCSN). */
  get contextCSN(): string {
    return this.lastCsn;
  }

  /** Adds entries as data (slapadd-like): operational attributes in them are kept, nothing is logged or announced. */
  load(entries: Iterable<EntryInput>): void {
    for (const input of entries) this.insert(parseDN(input.dn), toAttributes(input.attributes), LOADER, { loading: true });
    this.log.reset(this.lastCsn);
  }

  /** The entry a DN names, if any. */
  get(dn: string | DN): StoredEntry | undefined {
    const key = (typeof dn === 'string' ? parseDN(dn) : dn).toNormalizedString();
    return this.entries.get(key);
  }

  /** By normalised DN. */
  getByKey(key: string): StoredEntry | undefined {
    return this.entries.get(key);
  }

  /** By entryUUID (the 32 hex digits without dashes). */
  getByUuid(uuidHex: string): StoredEntry | undefined {
    const key = this.byUuid.get(uuidHex);
    return key === undefined ? undefined : this.entries.get(key);
  }

  /** Every entry, parents before children. */
  *all(): IterableIterator<StoredEntry> {
    for (const suffix of this.suffixList) {
      const root = this.entries.get(suffix.toNormalizedString());
      if (root !== undefined) yield* this.subtree(root, true);
    }
  }

  /** The entries directly below `entry`, in the order they were added. */
  *children(entry: StoredEntry): IterableIterator<StoredEntry> {
    const keys = this.childKeys.get(entry.key);
    if (keys === undefined) return;
    for (const key of keys) {
      const child = this.entries.get(key);
      if (child !== undefined) yield child;
    }
  }

  /**
   * The entries below `entry` level by level, each level's children in slapd's dn2id order (by
   * the length of their normalised RDN, then its bytes): how back-mdb answers a one-level or
   * subtree search whose base is not a naming context. `one` stops after the first level.
   */
  walk(entry: StoredEntry, includeBase: boolean, one: boolean): StoredEntry[] {
    const found: StoredEntry[] = includeBase ? [entry] : [];
    let level: StoredEntry[] = [entry];
    while (level.length > 0) {
      const next: StoredEntry[] = [];
      for (const parent of level) {
        for (const key of this.orderedChildren(parent)) {
          const child = this.entries.get(key);
          if (child !== undefined) next.push(child);
        }
      }
      found.push(...next);
      if (one) break;
      level = next;
    }
    return found;
  }

  private orderedChildren(parent: StoredEntry): string[] {
    const cached = this.childOrder.get(parent.key);
    if (cached !== undefined) return cached;
    const rdnOf = (key: string): Buffer => Buffer.from(key.slice(0, key.length - parent.key.length - 1), 'utf8');
    // Each key beside its RDN octets, so the comparator has both without a lookup.
    const pairs = [...(this.childKeys.get(parent.key) ?? [])].map((key): [string, Buffer] => [key, rdnOf(key)]);
    pairs.sort(([, x], [, y]) => x.length - y.length || Buffer.compare(x, y));
    const keys = pairs.map(([key]) => key);
    this.childOrder.set(parent.key, keys);
    return keys;
  }

  hasChildren(entry: StoredEntry): boolean {
    return (this.childKeys.get(entry.key)?.size ?? 0) > 0;
  }

  /** `entry` (when asked) and everything below it, depth first, parents before children. */
  *subtree(entry: StoredEntry, includeBase: boolean): IterableIterator<StoredEntry> {
    if (includeBase) yield entry;
    const stack: StoredEntry[] = [...this.children(entry)].reverse();
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      yield next;
      const below = [...this.children(next)];
      for (const child of below.reverse()) stack.push(child);
    }
  }

  /** The nearest existing superior of `dn` (its text), or '' when none exists: a noSuchObject's matchedDN. */
  matchedDN(dn: DN): string {
    for (let at = dn.parent(); at !== undefined && at.length > 0; at = at.parent()) {
      const found = this.entries.get(at.toNormalizedString());
      if (found !== undefined) return found.dnText;
    }
    return '';
  }

  /** The entry, or noSuchObject with the matched DN. */
  require(dn: DN): StoredEntry {
    const entry = this.entries.get(dn.toNormalizedString());
    if (entry === undefined) throw failure('noSuchObject', '', this.matchedDN(dn));
    return entry;
  }

  /** Whether `dn` is a naming context or lies below one. */
  holds(dn: DN): boolean {
    return this.suffixList.some((suffix) => dn.equals(suffix) || dn.isDescendantOf(suffix));
  }

  /** Calls `listener` after every change until the returned function is called. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The changes after a CSN, or undefined when the log no longer reaches back that far. */
  changesSince(csn: string): DirectoryChange[] | undefined {
    if (csn > this.lastCsn) return undefined;
    return this.log.since(csn);
  }

  /**
   * Adds an entry with the checks an LDAP add gets (schema, parent, duplicates); throws the
   * client's typed error (EntryAlreadyExistsError, ObjectClassViolationError, …) when refused.
   * `actor` is who the operational attributes name (default: the directory itself).
   */
  add(dn: string | DN, attributes: AttributeInput, actor: Actor = LOADER): StoredEntry {
    const entry = this.insert(toDN(dn), toAttributes(attributes), actor, { loading: false });
    this.announce('add', undefined, entry, false);
    return entry;
  }

  /** Changes an entry as an LDAP modify would (`{ operation: 'replace', attribute: 'mail', values: [...] }`). */
  modify(dn: string | DN, changes: readonly ModificationInput[], actor: Actor = LOADER, options: { permissive?: boolean } = {}): StoredEntry {
    return this.applyChanges(toDN(dn), toChanges(changes), actor, options);
  }

  /** modify() with the changes in their wire form (what a ModifyRequest carries). */
  applyChanges(dn: DN, changes: readonly Change[], actor: Actor, options: { permissive?: boolean } = {}): StoredEntry {
    const before = this.require(dn);
    const bag = before.toBag(this.schema);
    applyModifications(this.schema, this.checking, before, bag, changes, { permissive: options.permissive === true });
    const after = this.version(before, before.dn, bag, actor);
    this.replace(before, after);
    this.announce('modify', before, after, false);
    return after;
  }

  /** Renames or moves an entry (and everything below it), as an LDAP modify DN would. */
  rename(dn: string | DN, newRdnText: string, deleteOldRdn = true, newSuperior?: string | DN, actor: Actor = LOADER): StoredEntry {
    const before = this.require(toDN(dn));
    let newRdn: DN;
    try {
      newRdn = parseDN(newRdnText);
    } catch (error) {
      if (error instanceof InvalidDNError) throw failure('invalidDNSyntax', 'invalid new RDN');
      throw error;
    }
    const rdn = newRdn.rdn;
    if (newRdn.length !== 1 || rdn === undefined) throw failure('invalidDNSyntax', 'invalid new RDN');
    let parent = before.dn.parent() ?? new DN();
    if (newSuperior !== undefined) {
      const superior = this.entries.get(toDN(newSuperior).toNormalizedString());
      if (superior === undefined) throw failure('noSuchObject', 'new superior not found');
      if (superior.key === before.key || superior.dn.isDescendantOf(before.dn)) throw failure('unwillingToPerform', 'cannot place an entry below itself');
      parent = superior.dn;
    }
    const newDN = parent.child(rdn);
    const existing = this.entries.get(newDN.toNormalizedString());
    if (existing !== undefined && existing.key !== before.key) throw failure('entryAlreadyExists');
    const after = this.version(before, newDN, renamedAttributes(this, before, newDN, deleteOldRdn), actor);
    // Descendants first collected under their old DNs, then re-keyed below the new one.
    const descendants = [...this.subtree(before, false)];
    this.detach(before);
    this.attach(after);
    const moved: Array<[StoredEntry, StoredEntry]> = [];
    for (const old of descendants) {
      this.detach(old);
      const relative = old.dn.rdns.slice(0, old.dn.length - before.dn.length);
      // A fresh CSN, unlike slapd: a refresh from an older cookie must send the entry under its new DN.
      const stored = [...old.toBag(this.schema).attributes.values()];
      const renamed = new StoredEntry(new DN([...relative, ...newDN.rdns]), stored, old.layout, { ...old.meta, csn: this.stamp() });
      this.attach(renamed);
      moved.push([old, renamed]);
    }
    this.announce('modDN', before, after, false);
    for (const [old, renamed] of moved) this.announce('modDN', old, renamed, true);
    return after;
  }

  /** Deletes a leaf entry (or, with `subtree`, the entry and everything below it). */
  delete(dn: string | DN, options: { subtree?: boolean } = {}): void {
    const entry = this.require(toDN(dn));
    if (this.hasChildren(entry) && options.subtree !== true) throw failure('notAllowedOnNonLeaf', 'subordinate objects must be deleted first');
    const doomed = [...this.subtree(entry, true)].reverse(); // children before parents
    for (const victim of doomed) {
      this.detach(victim);
      this.announce('delete', victim, undefined, false, this.stamp());
    }
  }

  /** Checks and stores a new entry (loading keeps the operational attributes the data carries). */
  private insert(dn: DN, attributes: readonly PartialAttribute[], actor: Actor, { loading }: { loading: boolean }): StoredEntry {
    const key = dn.toNormalizedString();
    if (this.entries.has(key)) throw failure('entryAlreadyExists');
    if (loading && this.findingSuffixes && !this.entries.has(parentKeyOf(key)) && !this.holds(dn)) this.suffixList.push(dn);
    if (!this.holds(dn)) throw failure('unwillingToPerform', 'no global superior knowledge');
    const isSuffix = this.suffixList.some((suffix) => suffix.equals(dn));
    if (!isSuffix && !this.entries.has(parentKeyOf(key))) throw failure('noSuchObject', '', this.matchedDN(dn));
    const bag = new AttributeBag(this.schema);
    const metaAttributes: PartialAttribute[] = [];
    /** The order the data gives, meta markers included where loaded data (slapcat's) has them. */
    const given: string[] = [];
    for (const attribute of attributes) {
      const name = resolveName(this.schema, attribute.type);
      if (loading && META_ATTRIBUTES.has(name.typeKey)) {
        metaAttributes.push(attribute);
        const marker = `@${name.typeKey}`;
        if (Object.values(META).includes(marker as (typeof META)[keyof typeof META]) && !given.includes(marker)) given.push(marker);
        continue;
      }
      const existing = bag.get(name.key);
      const merged = { name, vals: [...(existing?.vals ?? []), ...attribute.vals] };
      if (this.checking) checkAttribute(merged, { userModification: !loading });
      bag.set(name, merged.vals);
      if (!given.includes(name.key)) given.push(name.key);
    }
    const structural = this.checking ? checkEntry(this.schema, dn, bag, { addNaming: true }) : structuralClassOf(this.schema, bag);
    const added = [...bag.attributes.keys()].filter((key) => !given.includes(key));
    const { csn, time } = this.clock.next();
    const by = loading ? (this.loadedByOption ?? `cn=admin,${this.suffixList[0]?.toString() ?? ''}`) : actor.dn;
    const loaded = metaFromAttributes(metaAttributes);
    const meta: EntryMeta = {
      id: this.nextId++,
      uuid: loaded.uuid ?? Buffer.from(randomUUID().replace(/-/g, ''), 'hex'),
      csn: loaded.csn ?? csn,
      createTimestamp: loaded.createTimestamp ?? time,
      modifyTimestamp: loaded.modifyTimestamp ?? loaded.createTimestamp ?? time,
      creatorsName: loaded.creatorsName ?? by,
      modifiersName: loaded.modifiersName ?? loaded.creatorsName ?? by,
      structuralObjectClass: structural,
    };
    if (loaded.csn !== undefined) this.clock.observe(loaded.csn);
    const standard = layoutForAdd([], added);
    const layout = given.some((key) => key.startsWith('@')) ? [...given, ...added, ...standard.filter((key) => key.startsWith('@') && !given.includes(key))] : layoutForAdd(given, added);
    const entry = new StoredEntry(dn, [...bag.attributes.values()], layout, meta);
    this.attach(entry);
    this.lastCsn = meta.csn > csn ? meta.csn : csn;
    return entry;
  }

  /** A new version of `before` with a fresh CSN and modify stamp. */
  private version(before: StoredEntry, dn: DN, bag: AttributeBag, actor: Actor): StoredEntry {
    const { csn, time } = this.clock.next();
    this.lastCsn = csn;
    const meta: EntryMeta = { ...before.meta, csn, modifyTimestamp: time, modifiersName: actor.dn };
    return new StoredEntry(dn, [...bag.attributes.values()], layoutAfterChange(before.layout, bag), meta);
  }

  private replace(before: StoredEntry, after: StoredEntry): void {
    this.entries.set(after.key, after);
    if (before.key !== after.key) throw new Error('replace() keeps the DN');
  }

  private attach(entry: StoredEntry): void {
    this.entries.set(entry.key, entry);
    this.byUuid.set(entry.meta.uuid.toString('hex'), entry.key);
    const parentKey = entry.parentKey;
    if (parentKey !== '') {
      let siblings = this.childKeys.get(parentKey);
      if (siblings === undefined) this.childKeys.set(parentKey, (siblings = new Set()));
      siblings.add(entry.key);
      this.childOrder.delete(parentKey);
    }
  }

  private detach(entry: StoredEntry): void {
    this.entries.delete(entry.key);
    this.byUuid.delete(entry.meta.uuid.toString('hex'));
    const parentKey = entry.parentKey;
    if (parentKey !== '') {
      this.childKeys.get(parentKey)?.delete(entry.key);
      this.childOrder.delete(parentKey);
    }
  }

  private announce(kind: ChangeKind, before: StoredEntry | undefined, after: StoredEntry | undefined, implied: boolean, csn = after?.meta.csn ?? this.stamp()): void {
    const change: DirectoryChange = { kind, csn, changeNumber: ++this.changeCount, before, after, implied };
    this.log.append(change);
    for (const listener of [...this.listeners]) listener(change);
  }

  /** A CSN for a change that leaves no entry version of its own to carry one (a delete, a moved descendant). */
  private stamp(): string {
    const { csn } = this.clock.next();
    this.lastCsn = csn;
    return csn;
  }

  /** The user attributes of an entry as input, for a copy or a snapshot. */
  static attributesOf(entry: StoredEntry): PartialAttribute[] {
    return entry.attributes.map((attribute) => ({ type: attribute.type, vals: [...attribute.vals] }));
  }
}
