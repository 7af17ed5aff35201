import { isUtf8 } from 'node:buffer';
import { AttributeValueError } from '../errors/schema';
import type { Schema } from './schema';
import { defaultEncode, STANDARD_BY_NAME, STANDARD_BY_SYNTAX, type ValueFormatter } from './standard-formatters';

/**
 * Values typed by a schema: which formatter an attribute's values go through, in both
 * directions, and whether the attribute is single-valued. The lookup follows ldap3's order, in
 * the custom formatters first and then in the standard ones: the attribute name as given, the
 * type's OID, its other names, then its syntax (inherited from a supertype when it names none).
 */

/** Custom formatters keyed by attribute name or OID, or by syntax OID. */
export type Formatters = Readonly<Record<string, ValueFormatter>>;

/** Bytes no formatter took: text when they are UTF-8, else the bytes. */
const untyped = (value: Buffer): string | Buffer => (isUtf8(value) ? value.toString('utf8') : value);

interface Resolved {
  readonly formatter: ValueFormatter | undefined;
  readonly singleValue: boolean;
  readonly syntax: string | undefined;
}

export class ValueTyping {
  readonly #custom: ReadonlyMap<string, ValueFormatter>;
  readonly #cache = new Map<string, Resolved>();

  constructor(
    readonly schema: Schema,
    formatters: Formatters = {},
  ) {
    this.#custom = new Map(Object.entries(formatters).map(([key, formatter]) => [key.toLowerCase(), formatter]));
  }

  private resolve(description: string): Resolved {
    const type = description.split(';')[0]!.toLowerCase();
    let resolved = this.#cache.get(type);
    if (resolved === undefined) {
      const known = this.schema.attributeType(type);
      const keys = [type, ...(known === undefined ? [] : [known.oid, ...known.names].map((k) => k.toLowerCase()))];
      const syntax = known?.syntax;
      const find = (byName: ReadonlyMap<string, ValueFormatter>, bySyntax: ReadonlyMap<string, ValueFormatter>): ValueFormatter | undefined => {
        for (const key of keys) {
          const formatter = byName.get(key);
          if (formatter !== undefined) return formatter;
        }
        return syntax === undefined ? undefined : bySyntax.get(syntax.toLowerCase());
      };
      const formatter = find(this.#custom, this.#custom) ?? find(STANDARD_BY_NAME, STANDARD_BY_SYNTAX);
      resolved = { formatter, singleValue: known?.singleValue ?? false, syntax };
      if (this.#cache.size > 4096) this.#cache.clear();
      this.#cache.set(type, resolved);
    }
    return resolved;
  }

  /** Whether the schema says the attribute holds one value (SINGLE-VALUE). */
  isSingleValued(description: string): boolean {
    return this.resolve(description).singleValue;
  }

  /** One value typed by its attribute's formatter; a value the formatter refuses stays text (or bytes). */
  decode(description: string, value: Buffer): unknown {
    const { formatter } = this.resolve(description);
    if (formatter === undefined) return untyped(value);
    try {
      const decoded = formatter.decode(value);
      return decoded === undefined ? untyped(value) : decoded;
    } catch {
      return untyped(value);
    }
  }

  /** A write's value as bytes, by the attribute's formatter, else the default encoding; AttributeValueError when neither takes it. */
  encode(description: string, value: unknown): Buffer {
    if (Buffer.isBuffer(value)) return value;
    const { formatter, syntax } = this.resolve(description);
    const encoded = formatter === undefined ? defaultEncode(value) : formatter.encode === undefined ? defaultEncode(value) : formatter.encode(value);
    if (encoded === undefined) throw new AttributeValueError(description, syntax, `a ${describe(value)} is not a valid value for it`);
    return typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
  }
}

/** Writes without a schema: the default encoding only (text and bytes as always, plus numbers, booleans, Dates, DNs). */
export const encodeUntyped = (description: string, value: unknown): Buffer => {
  const encoded = defaultEncode(value);
  if (encoded === undefined) throw new AttributeValueError(description, undefined, `a ${describe(value)} has no LDAP encoding`);
  return typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
};

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
};
