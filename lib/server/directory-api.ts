import type { AttributeInput, ModificationInput, PartialAttribute } from './deps';
import type { ChangeKind, DirectoryChange } from './changes';
import { DirectoryStore } from './directory';
import type { DirectoryOptions, EntryInput } from './directory';
import type { StoredEntry } from './entry';
import { entriesToLdif, parseLdifEntries } from './ldif';
import { operationalAttributes, uuidText } from './operational';
import { loadServerSchema } from './schema/schema';

/**
 * The directory's data as a program sees it: entries by DN, changes made directly (with the
 * checks and typed errors an LDAP client would get, and announced to syncrepl and persistent
 * searches like any other change), a change stream, and LDIF in and out. DNs are strings here,
 * so nothing of rxldap's internals leaks into the types of `rxldap/server`.
 */
export interface Directory {
  /** Entries held. */
  readonly size: number;
  /** The naming contexts. */
  readonly suffixes: readonly string[];
  /** The CSN of the last change (slapd's contextCSN). */
  readonly contextCSN: string;
  /** The entry a DN names, if any. */
  get(dn: string): DirectoryEntry | undefined;
  /** Every entry, parents before children. */
  entries(): IterableIterator<DirectoryEntry>;
  /** Adds an entry (as the root DN); throws EntryAlreadyExistsError, ObjectClassViolationError, … when refused. */
  add(dn: string, attributes: AttributeInput): DirectoryEntry;
  /** Changes an entry: `[{ operation: 'replace', attribute: 'mail', values: ['a@example.com'] }]`. */
  modify(dn: string, changes: readonly ModificationInput[]): DirectoryEntry;
  /** Renames or moves an entry and everything below it. */
  rename(dn: string, newRdn: string, options?: { deleteOldRdn?: boolean; newSuperior?: string }): DirectoryEntry;
  /** Deletes an entry (a leaf, unless `subtree`). */
  delete(dn: string, options?: { subtree?: boolean }): void;
  /** Adds entries as data, like slapadd: operational attributes in them (entryUUID, entryCSN, …) are kept; nothing is announced. */
  load(entries: string | readonly EntryInput[]): void;
  /** Calls `listener` after each change until the returned function is called. */
  subscribe(listener: (change: DirectoryChangeEvent) => void): () => void;
  /** The entries as LDIF content records, parents first (operational attributes too when asked). */
  toLDIF(options?: { operational?: boolean }): string;
}

/** One entry, read-only. */
export interface DirectoryEntry {
  readonly dn: string;
  /** User attributes, in the entry's order. */
  readonly attributes: readonly PartialAttribute[];
  /** RFC 4122 text. */
  readonly entryUUID: string;
  readonly entryCSN: string;
  readonly createTimestamp: string;
  readonly modifyTimestamp: string;
  readonly creatorsName: string;
  readonly modifiersName: string;
  /** The first value of an attribute as UTF-8 text (name in any case), if any. */
  get(attribute: string): string | undefined;
  /** Every value of an attribute as UTF-8 text. */
  getAll(attribute: string): string[];
}

/** A change, as the directory announces it. */
export interface DirectoryChangeEvent {
  readonly kind: ChangeKind;
  /** 1, 2, 3… in the order the changes were made. */
  readonly changeNumber: number;
  readonly csn: string;
  /** The entry before the change (none for an add). */
  readonly before: DirectoryEntry | undefined;
  /** The entry after it (none for a delete). */
  readonly after: DirectoryEntry | undefined;
}

const viewCache = new WeakMap<StoredEntry, DirectoryEntry>();

/** The read-only view of a stored entry (one per version). */
export const entryView = (entry: StoredEntry): DirectoryEntry => {
  const cached = viewCache.get(entry);
  if (cached !== undefined) return cached;
  const { meta } = entry;
  const valuesOf = (attribute: string): Buffer[] => entry.attributes.find((candidate) => candidate.type.toLowerCase() === attribute.toLowerCase())?.vals ?? [];
  const view: DirectoryEntry = {
    dn: entry.dnText,
    attributes: entry.attributes,
    entryUUID: uuidText(meta.uuid),
    entryCSN: meta.csn,
    createTimestamp: meta.createTimestamp,
    modifyTimestamp: meta.modifyTimestamp,
    creatorsName: meta.creatorsName,
    modifiersName: meta.modifiersName,
    get: (attribute) => valuesOf(attribute)[0]?.toString('utf8'),
    getAll: (attribute) => valuesOf(attribute).map((value) => value.toString('utf8')),
  };
  viewCache.set(entry, view);
  return view;
};

const changeView = (change: DirectoryChange): DirectoryChangeEvent => ({
  kind: change.kind,
  changeNumber: change.changeNumber,
  csn: change.csn,
  before: change.before === undefined ? undefined : entryView(change.before),
  after: change.after === undefined ? undefined : entryView(change.after),
});

const stores = new WeakMap<Directory, DirectoryStore>();

/** The store behind a Directory made by createDirectory (or a server). */
export const storeOf = (directory: Directory): DirectoryStore => {
  const store = stores.get(directory);
  if (store === undefined) throw new TypeError('not a directory made by createDirectory() or startDirectory()');
  return store;
};

export interface CreateDirectoryOptions extends DirectoryOptions {
  entries?: readonly EntryInput[];
  /** LDIF content records to load (after `entries`). */
  ldif?: string;
}

/** The Directory face of a store. */
export const directoryOf = (store: DirectoryStore): Directory => {
  const directory: Directory = {
    get size() {
      return store.size;
    },
    get suffixes() {
      return store.suffixes.map((suffix) => suffix.toString());
    },
    get contextCSN() {
      return store.contextCSN;
    },
    get: (dn) => {
      const entry = store.get(dn);
      return entry === undefined ? undefined : entryView(entry);
    },
    *entries() {
      for (const entry of store.all()) yield entryView(entry);
    },
    add: (dn, attributes) => entryView(store.add(dn, attributes)),
    modify: (dn, changes) => entryView(store.modify(dn, changes)),
    rename: (dn, newRdn, options = {}) => entryView(store.rename(dn, newRdn, options.deleteOldRdn ?? true, options.newSuperior)),
    delete: (dn, options = {}) => store.delete(dn, options),
    load: (entries) => store.load(typeof entries === 'string' ? parseLdifEntries(entries) : entries),
    subscribe: (listener) => store.subscribe((change) => listener(changeView(change))),
    toLDIF: (options = {}) => {
      const context = { schema: store.schema, hasChildren: (entry: StoredEntry) => store.hasChildren(entry), contextCSN: () => undefined };
      const records = [...store.all()].map((entry) => ({
        dn: entry.dnText,
        attributes: options.operational === true ? [...entry.attributes, ...operationalAttributes(context, entry)] : entry.attributes,
      }));
      return entriesToLdif(records);
    },
  };
  stores.set(directory, store);
  return directory;
};

/**
 * A directory with no server: load it, change it, then serve it from one or more servers
 * (`startDirectory({ directory })`), which then share its data as replicating providers would.
 */
export const createDirectory = async (options: CreateDirectoryOptions = {}): Promise<Directory> => {
  const loaded = [...(options.entries ?? []), ...(options.ldif === undefined ? [] : parseLdifEntries(options.ldif))];
  const schema = await loadServerSchema(typeof options.schema === 'object' ? options.schema : undefined);
  return directoryOf(new DirectoryStore(options, loaded, schema));
};
