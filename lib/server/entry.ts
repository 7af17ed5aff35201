import { findMatchingRule } from './deps';
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

export const resolveName = (schema: Schema, description: string): AttributeName => {
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
export const valueKeyOf = (type: AttributeType | undefined): ValueKey => {
  const rule = type?.equality === undefined ? undefined : findMatchingRule(type.equality);
  if (rule?.usage !== 'equality') return OCTETS;
  return (value) => {
    const key = rule.key(value);
    return key === undefined ? OCTETS(value) : `=${key}`;
  };
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

  toAttributes(): PartialAttribute[] {
    return [...this.attributes.values()].map(({ name, vals }) => ({ type: name.display, vals }));
  }
}

/** What the directory keeps about an entry besides its attributes (RFC 4512 §3.4, RFC 4530, slapd's entryCSN). */
export interface EntryMeta {
  readonly uuid: Buffer;
  readonly csn: string;
  readonly createTimestamp: string;
  readonly modifyTimestamp: string;
  readonly creatorsName: string;
  readonly modifiersName: string;
}

export class StoredEntry {
  readonly dnText: string;
  /** The DN text again, under the name filter evaluation reads (a StoredEntry is a FilterEntry). */
  readonly objectName: string;
  readonly key: string;
  /** Lower-cased attribute key → index into `attributes`. */
  private readonly index = new Map<string, number>();

  constructor(
    readonly dn: DN,
    /** User attributes, names as returned. */
    readonly attributes: readonly PartialAttribute[],
    /** Operational attributes given in LDIF or by the directory that are not derived from meta. */
    readonly operational: readonly PartialAttribute[],
    readonly meta: EntryMeta,
    schema: Schema,
  ) {
    this.dnText = dn.toString();
    this.objectName = this.dnText;
    this.key = dn.toNormalizedString();
    attributes.forEach((attribute, i) => this.index.set(resolveName(schema, attribute.type).key, i));
  }

  /** The attribute stored under a key (type key plus options), if any. */
  attribute(key: string): PartialAttribute | undefined {
    const at = this.index.get(key);
    return at === undefined ? undefined : this.attributes[at];
  }

  /** The objectClass values, lower-cased. */
  objectClasses(): string[] {
    return (this.attribute('objectclass')?.vals ?? []).map((value) => value.toString('utf8').toLowerCase());
  }

  hasObjectClass(name: string): boolean {
    return this.objectClasses().includes(name.toLowerCase());
  }
}
