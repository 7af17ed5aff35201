import { isUtf8 } from 'node:buffer';
import type { Control } from '../protocol/controls/types';
import type { LdapMessage, PartialAttribute, SearchResultEntry } from '../protocol/types';
import type { Formatters } from '../schema/value-typing';
import { ValueTyping } from '../schema/value-typing';
import type { Schema } from '../schema/schema';
import type { TypedValue } from '../schema/standard-formatters';

/** Bytes read without a schema by the typed accessors: text when they are UTF-8, else the bytes. */
const untyped = (value: Buffer): string | Buffer => (isUtf8(value) ? value.toString('utf8') : value);
import { formatLdifRecord } from '../ldif/write';
import type { LdifWriterOptions } from '../ldif/write';

/**
 * One search result entry. Values stay the Buffers that came off the wire; string views are
 * made on access (UTF-8), so binary attributes never pass through a string. Attribute names
 * are matched case-insensitively, as LDAP compares attribute descriptions.
 */
export class SearchEntry {
  readonly type = 'entry' as const;
  private byName: Map<string, Buffer[]> | undefined;

  constructor(
    readonly dn: string,
    readonly attributes: readonly PartialAttribute[],
    readonly controls: readonly Control[] = [],
    /** The messageID of the search that returned it. */
    readonly messageId = 0,
    /** The schema (and formatters) its typed accessors use: the client's, when it has one. */
    readonly typing: ValueTyping | undefined = undefined,
  ) {}

  /** The entry a searchResEntry message carries, with its controls and messageID. */
  static fromMessage(message: LdapMessage, op: SearchResultEntry, typing?: ValueTyping): SearchEntry {
    // `new this`, not `new SearchEntry`: a class that names itself gets an inner alias from the
    // bundler (`class _SearchEntry`), and its `name` would no longer be SearchEntry.
    return new this(op.objectName, op.attributes, message.controls ?? [], message.messageId, typing);
  }

  /** The same entry with values typed by `schema` (an offline snapshot, say) and custom formatters. */
  withSchema(schema: Schema, formatters?: Formatters): SearchEntry {
    return new (this.constructor as typeof SearchEntry)(this.dn, this.attributes, this.controls, this.messageId, new ValueTyping(schema, formatters));
  }

  /**
   * Every value of an attribute, typed by the schema's syntax for it (Integer as number or
   * bigint, Boolean, Generalized Time as GeneralizedTime, DN as DN, Octet String as Buffer, …;
   * see TypedValue). Without a schema: text when the bytes are UTF-8, else the bytes.
   */
  values<T = TypedValue>(name: string): T[] {
    const typing = this.typing;
    let raw = this.getBuffers(name);
    if (raw.length === 0 && typing !== undefined) raw = this.buffersOfType(typing.schema, name);
    return (typing === undefined ? raw.map(untyped) : raw.map((value) => typing.decode(name, value))) as T[];
  }

  /**
   * The attribute's value the way the schema shapes it: one value (undefined when absent) for
   * a SINGLE-VALUE attribute, an array for the others. Without a schema, always an array.
   */
  value<T = TypedValue>(name: string): T | T[] | undefined {
    const values = this.values<T>(name);
    return this.typing?.isSingleValued(name) === true ? values[0] : values;
  }

  /** With a schema, `commonName` or `2.5.4.3` finds the values sent as `cn` (options must match). */
  private buffersOfType(schema: Schema, name: string): Buffer[] {
    const type = schema.attributeType(name);
    if (type === undefined) return [];
    const options = (description: string): string => description.toLowerCase().split(';').slice(1).sort().join(';');
    const wanted = options(name);
    return this.attributes.filter((a) => schema.attributeType(a.type) === type && options(a.type) === wanted).flatMap((a) => a.vals);
  }

  /** Every attribute by its description as received, shaped and typed as value() does. */
  typed(): Record<string, TypedValue | TypedValue[] | undefined> {
    const result: Record<string, TypedValue | TypedValue[] | undefined> = {};
    for (const attribute of this.attributes) {
      if (!(attribute.type in result)) result[attribute.type] = this.value(attribute.type);
    }
    return result;
  }

  private index(): Map<string, Buffer[]> {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (const attribute of this.attributes) {
        const key = attribute.type.toLowerCase();
        const existing = this.byName.get(key);
        if (existing === undefined) this.byName.set(key, attribute.vals);
        else this.byName.set(key, [...existing, ...attribute.vals]);
      }
    }
    return this.byName;
  }

  /** The first value as a UTF-8 string, or undefined when the attribute is absent. */
  get(name: string): string | undefined {
    return this.index().get(name.toLowerCase())?.[0]?.toString('utf8');
  }

  /** Every value as a UTF-8 string (empty when absent). */
  getAll(name: string): string[] {
    return (this.index().get(name.toLowerCase()) ?? []).map((value) => value.toString('utf8'));
  }

  /** Every value as the bytes received (empty when absent). */
  getBuffers(name: string): Buffer[] {
    return this.index().get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.index().has(name.toLowerCase());
  }

  /** Attribute descriptions as the server spelled them, in the order received. */
  get attributeNames(): string[] {
    return this.attributes.map((a) => a.type);
  }

  /**
   * The entry as an LDIF content record (RFC 2849): attributes in the order the server sent
   * them, folded at 76 columns, base64 where SAFE-STRING requires; each line ends in LF.
   * `LDAPSEARCH_LDIF` as options gives ldapsearch's output byte for byte.
   */
  toLDIF(options?: LdifWriterOptions): string {
    return formatLdifRecord(this, options);
  }

  /** `{ dn, attributes }` with UTF-8 values as strings and other values as base64 (`name;base64`). */
  toJSON(): { dn: string; attributes: Record<string, string[]> } {
    const attributes: Record<string, string[]> = {};
    for (const attribute of this.attributes) {
      const binary = attribute.vals.some((value) => !isUtf8(value));
      const key = binary ? `${attribute.type};base64` : attribute.type;
      attributes[key] = attribute.vals.map((value) => value.toString(binary ? 'base64' : 'utf8'));
    }
    return { dn: this.dn, attributes };
  }
}

/** A search continuation reference (searchResRef): where the rest of the search may be found. */
export class SearchReference {
  readonly type = 'reference' as const;
  constructor(
    readonly uris: readonly string[],
    readonly controls: readonly Control[] = [],
    readonly messageId = 0,
  ) {}
}
