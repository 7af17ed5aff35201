import type { PartialAttribute } from './deps';
import { resolveName } from './entry';
import type { ViewedAttribute } from './operational';
import type { Schema } from './schema/schema';

/**
 * Which attributes a search returns (RFC 4511 §4.5.1.8, RFC 3673): none listed or `*` for every
 * user attribute, `+` for every operational one, `1.1` for none, names for those (and their
 * subtypes: `name` brings cn and sn, `cn` brings `cn;lang-en`).
 */
export class AttributeSelection {
  readonly allUser: boolean;
  readonly allOperational: boolean;
  /** Type keys asked for by name (with the options they carry, if any). */
  private readonly named: ReadonlyArray<{ typeKey: string; options: readonly string[] }>;
  /** Whether some operational attribute was named: then operational ones must be computed. */
  readonly namesOperational: boolean;
  readonly none: boolean;

  constructor(
    private readonly schema: Schema,
    requested: readonly string[],
  ) {
    const list = requested.filter((name) => name !== '1.1');
    this.none = requested.length > 0 && list.length === 0;
    this.allUser = requested.length === 0 || list.includes('*');
    this.allOperational = list.includes('+');
    this.named = list
      .filter((name) => name !== '*' && name !== '+')
      .map((name) => {
        const resolved = resolveName(schema, name);
        return { typeKey: resolved.typeKey, options: resolved.key.split(';').slice(1) };
      });
    this.namesOperational = this.named.some(({ typeKey }) => schema.attributeType(typeKey)?.operational === true);
  }

  /** Whether only `*` semantics apply (the fast path: the entry's own list, unfiltered). */
  get exactlyAllUser(): boolean {
    return this.allUser && !this.allOperational && this.named.length === 0;
  }

  /** Whether operational attributes must be computed for this selection. */
  get needsOperational(): boolean {
    return this.allOperational || this.namesOperational;
  }

  /** Whether the selection wants one attribute, user or operational. */
  wants(type: string, operational: boolean): boolean {
    if (this.none) return false;
    if (operational ? this.allOperational : this.allUser) return true;
    if (this.named.length === 0) return false;
    const name = resolveName(this.schema, type);
    const options = name.key.split(';').slice(1);
    return this.named.some((wanted) => this.isSubtype(name.typeKey, wanted.typeKey) && wanted.options.every((option) => options.includes(option)));
  }

  private isSubtype(typeKey: string, wanted: string): boolean {
    for (let at = this.schema.attributeType(typeKey), seen = 0; at !== undefined && seen < 16; seen++) {
      if (at.key === wanted) return true;
      const sup = at.sup;
      at = sup === undefined ? undefined : this.schema.attributeType(sup);
    }
    return typeKey === wanted;
  }

  /** The attributes the selection keeps, in the order viewed. */
  pick(view: readonly ViewedAttribute[]): PartialAttribute[] {
    if (this.none) return [];
    const kept: PartialAttribute[] = [];
    for (const { attribute, operational } of view) if (this.wants(attribute.type, operational)) kept.push(attribute);
    return kept;
  }
}
