import { findMatchingRule, parseDN } from './deps';
import type { DN, PartialAttribute } from './deps';
import type { AttributeType, Schema } from './schema/schema';

/**
 * Entries as the in-memory directory keeps them. A StoredEntry is immutable: a change makes a
 * new version, so a search, a paged result or a sync refresh holding the old one sees a
 * consistent entry while the directory moves on, and nothing needs copying to be handed out.
 */

/** What an attribute description (`cn`, `CN;lang-en`, `2.5.4.3`) resolves to. */
export interface AttributeName {
  /** How values are returned: the schema's name for the type, then the options as written. */
  readonly display: string;
  /** The type's key plus its lower-cased, sorted options: where values are stored. */
  readonly key: string;
  /** The type's key alone (lower-cased first name, or the text when the schema lacks it). */
  readonly typeKey: string;
  readonly type: AttributeType | undefined;
}

/** Names repeat endlessly (every entry has its cn, sn, mail): resolved once per schema. */
const resolved = new WeakMap<Schema, Map<string, AttributeName>>();

export const resolveName = (schema: Schema, description: string): AttributeName => {
  let cache = resolved.get(schema);
  if (cache === undefined) resolved.set(schema, (cache = new Map<string, AttributeName>()));
  const hit = cache.get(description);
  if (hit !== undefined) return hit;
  const name = resolveUncached(schema, description);
  if (cache.size < 10_000) cache.set(description, name);
  return name;
};

const resolveUncached = (schema: Schema, description: string): AttributeName => {
  const [base = '', ...options] = description.split(';');
  const type = schema.attributeType(base);
  const typeKey = type?.key ?? base.toLowerCase();
  const kept = options.filter((option) => option !== '' && option.toLowerCase() !== 'binary');
  const key = kept.length === 0 ? typeKey : `${typeKey};${kept.map((option) => option.toLowerCase()).sort().join(';')}`;
  const display = kept.length === 0 ? (type?.name ?? base) : `${type?.name ?? base};${kept.join(';')}`;
  return { display, key, typeKey, type };
};

/** A function that gives equal values (by the type's equality rule) the same key. */
export type ValueKey = (value: Buffer) => string;

const OCTETS: ValueKey = (value) => `#${value.toString('latin1')}`;

/**
 * Keys values by the type's equality rule where rxldap knows the rule (a value the rule cannot
 * read keeps its octets); otherwise octet for octet, which never equates different values.
 */
const valueKeys = new WeakMap<AttributeType, ValueKey>();

export const valueKeyOf = (type: AttributeType | undefined): ValueKey => {
  if (type === undefined) return OCTETS;
  let keyOf = valueKeys.get(type);
  if (keyOf !== undefined) return keyOf;
  const rule = type.equality === undefined ? undefined : findMatchingRule(type.equality);
  keyOf =
    rule?.usage !== 'equality'
      ? OCTETS
      : (value: Buffer): string => {
          const key = rule.key(value);
          return key === undefined ? OCTETS(value) : `=${key}`;
        };
  valueKeys.set(type, keyOf);
  return keyOf;
};

/** The index of the first value that another value later in the list repeats (slapd reports that one), or -1. */
export const firstDuplicate = (vals: readonly Buffer[], keyOf: ValueKey): number => {
  if (vals.length < 2) return -1;
  const firstSeen = new Map<string, number>();
  let index = 0;
  for (const value of vals) {
    const key = keyOf(value);
    const earlier = firstSeen.get(key);
    if (earlier !== undefined) return earlier;
    firstSeen.set(key, index++);
  }
  return -1;
};

/** One attribute being built or changed: its name and values, with their keys for duplicates. */
export interface BagAttribute {
  readonly name: AttributeName;
  vals: Buffer[];
}

/**
 * A mutable set of attributes keyed by description, in the order first added: the working copy
 * an add or a modify builds before it becomes a StoredEntry.
 */
export class AttributeBag {
  readonly attributes = new Map<string, BagAttribute>();
  /** Keys replaced as a whole: slapd deletes and re-adds them, so they move to the end of the entry. */
  readonly moved = new Set<string>();

  constructor(readonly schema: Schema) {}

  static of(schema: Schema, attributes: readonly PartialAttribute[]): AttributeBag {
    const bag = new AttributeBag(schema);
    for (const attribute of attributes) bag.set(resolveName(schema, attribute.type), [...attribute.vals]);
    return bag;
  }

  get(key: string): BagAttribute | undefined {
    return this.attributes.get(key);
  }

  /** Values of a type without options (objectClass, the RDN's types). */
  values(typeKey: string): Buffer[] {
    return this.attributes.get(typeKey)?.vals ?? [];
  }

  set(name: AttributeName, vals: Buffer[]): void {
    if (vals.length === 0) {
      this.attributes.delete(name.key);
      return;
    }
    const existing = this.attributes.get(name.key);
    if (existing === undefined) this.attributes.set(name.key, { name, vals });
    else existing.vals = vals;
  }

  delete(key: string): void {
    this.attributes.delete(key);
  }

  /** Replaces an attribute's values; the attribute moves to the end, as in slapd. */
  replace(name: AttributeName, vals: Buffer[]): void {
    const had = this.attributes.delete(name.key);
    if (vals.length === 0) return;
    this.attributes.set(name.key, { name, vals });
    if (had) this.moved.add(name.key);
  }

  toAttributes(): PartialAttribute[] {
    return [...this.attributes.values()].map(({ name, vals }) => ({ type: name.display, vals }));
  }
}

/** What the directory keeps about an entry besides its attributes (RFC 4512 §3.4, RFC 4530, slapd's entryCSN). */
export interface EntryMeta {
  /** Order of creation, kept across renames: searches return entries in this order, as slapd's back-mdb does. */
  readonly id: number;
  readonly uuid: Buffer;
  readonly csn: string;
  readonly createTimestamp: string;
  readonly modifyTimestamp: string;
  readonly creatorsName: string;
  readonly modifiersName: string;
  /** The most specific structural class, fixed when the entry is added (slapd's structuralObjectClass). */
  readonly structuralObjectClass: string | undefined;
}

/**
 * Where the operational attributes the directory keeps sit among an entry's attributes. slapd
 * stores everything in one list: the attributes as added, structuralObjectClass, entryUUID,
 * creatorsName, createTimestamp, entryCSN, modifiersName, modifyTimestamp; a modify appends new
 * (and replaced) attributes and moves the last three to the end again. Reading an entry returns
 * them in that order, so the layout is kept to answer `*` with `+` as slapd does.
 */
export const META = {
  structuralObjectClass: '@structuralobjectclass',
  entryUUID: '@entryuuid',
  creatorsName: '@creatorsname',
  createTimestamp: '@createtimestamp',
  entryCSN: '@entrycsn',
  modifiersName: '@modifiersname',
  modifyTimestamp: '@modifytimestamp',
} as const;
export const CREATE_META: readonly string[] = [META.entryUUID, META.creatorsName, META.createTimestamp];
export const MODIFY_META: readonly string[] = [META.entryCSN, META.modifiersName, META.modifyTimestamp];

/** The layout of a new entry: its attributes, structuralObjectClass, the RDN values the directory added, then the rest of the meta. */
export const layoutForAdd = (given: readonly string[], added: readonly string[]): string[] => [
  ...given,
  META.structuralObjectClass,
  ...added,
  ...CREATE_META,
  ...MODIFY_META,
];

/** The layout after a change: attributes gone are dropped, new and replaced ones appended, the modify meta moved to the end. */
export const layoutAfterChange = (previous: readonly string[], bag: AttributeBag): string[] => {
  const kept = previous.filter((key) => !MODIFY_META.includes(key) && (key.startsWith('@') || (bag.attributes.has(key) && !bag.moved.has(key))));
  const present = new Set(kept);
  for (const key of bag.attributes.keys()) if (!present.has(key)) kept.push(key);
  return [...kept, ...MODIFY_META];
};

/**
 * Layouts and attribute keys repeat across entries (every inetOrgPerson added the same way has
 * the same layout): one shared frozen copy of each keeps a large directory small.
 */
const layouts = new Map<string, readonly string[]>();
const shareLayout = (layout: readonly string[]): readonly string[] => {
  const id = layout.join('\u0000');
  let shared = layouts.get(id);
  if (shared === undefined && layouts.size < 10_000) layouts.set(id, (shared = Object.freeze([...layout])));
  return shared ?? layout;
};

/**
 * The normalised DN of the parent, cut from the normalised DN's text: everything after its first
 * unescaped comma ('' for a one-RDN DN). Normalised text escapes a comma in a value as `\,`.
 */
export const parentKeyOf = (key: string): string => {
  for (let at = 0; at < key.length; at++) {
    const char = key.charCodeAt(at);
    if (char === 0x5c) at++; // a backslash escapes the next character
    else if (char === 0x2c) return key.slice(at + 1);
  }
  return '';
};

/** Parsed DNs of recently used entries: entries keep only their DN's text, to stay small. */
const dnCache = new Map<string, DN>();

/** Caches a parsed DN, dropping the oldest (a Map iterates in insertion order) past DN_CACHE_SIZE. */
const rememberDN = (key: string, dn: DN): void => {
  dnCache.set(key, dn);
  if (dnCache.size <= DN_CACHE_SIZE) return;
  const oldest = dnCache.keys().next();
  if (oldest.done !== true) dnCache.delete(oldest.value);
};
const DN_CACHE_SIZE = 4096;

export class StoredEntry {
  readonly dnText: string;
  /** The DN text again, under the name filter evaluation reads (a StoredEntry is a FilterEntry). */
  readonly objectName: string;
  /** The normalised DN: the entry's key in the directory. */
  readonly key: string;
  /** The parent's key ('' for a naming context's parent, the root DSE). */
  readonly parentKey: string;
  /** User attributes in the entry's order, names as returned. */
  readonly attributes: readonly PartialAttribute[];
  /** Operational attributes stored with the entry (loaded data's, other than the meta), in order. */
  readonly operational: readonly PartialAttribute[];
  /** Attribute keys and META markers in slapd's order. */
  readonly layout: readonly string[];
  /** Stored attributes and their keys, side by side (a Map per entry would cost more than it saves). */
  private readonly storedKeys: readonly string[];
  private readonly stored: readonly PartialAttribute[];

  constructor(
    dn: DN,
    attributes: readonly BagAttribute[],
    layout: readonly string[],
    readonly meta: EntryMeta,
  ) {
    this.dnText = dn.toString();
    this.objectName = this.dnText;
    this.key = dn.toNormalizedString();
    this.parentKey = parentKeyOf(this.key);
    this.layout = shareLayout(layout);
    const user: PartialAttribute[] = [];
    const operational: PartialAttribute[] = [];
    const keys: string[] = [];
    const stored: PartialAttribute[] = [];
    for (const key of this.layout) {
      if (key.startsWith('@')) continue;
      const attribute = attributes.find((candidate) => candidate.name.key === key);
      if (attribute === undefined) continue;
      const partial: PartialAttribute = { type: attribute.name.display, vals: attribute.vals };
      keys.push(key);
      stored.push(partial);
      (attribute.name.type?.operational === true ? operational : user).push(partial);
    }
    this.storedKeys = keys;
    this.stored = stored;
    this.attributes = user;
    this.operational = operational;
    rememberDN(this.key, dn);
  }

  /** The DN (parsed again when it is no longer among the recently used). */
  get dn(): DN {
    let dn = dnCache.get(this.key);
    if (dn === undefined || dn.toString() !== this.dnText) {
      dn = parseDN(this.dnText);
      rememberDN(this.key, dn);
    }
    return dn;
  }

  /** The stored attribute under a key (type key plus options), if any. */
  attribute(key: string): PartialAttribute | undefined {
    const at = this.storedKeys.indexOf(key);
    return at < 0 ? undefined : this.stored[at];
  }

  /** The objectClass values, lower-cased. */
  objectClasses(): string[] {
    return (this.attribute('objectclass')?.vals ?? []).map((value) => value.toString('utf8').toLowerCase());
  }

  hasObjectClass(name: string): boolean {
    return this.objectClasses().includes(name.toLowerCase());
  }

  /** The stored attributes as a working copy, in order. */
  toBag(schema: Schema): AttributeBag {
    const bag = new AttributeBag(schema);
    this.stored.forEach((attribute) => bag.set(resolveName(schema, attribute.type), [...attribute.vals]));
    return bag;
  }
}
