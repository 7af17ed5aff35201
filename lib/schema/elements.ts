import type { AttributeTypeDefinition, AttributeUsage, ObjectClassDefinition, ObjectClassKind } from './definitions';

/**
 * Attribute types and object classes with their superior chains resolved by the Schema that
 * made them: what a subtype inherits (RFC 4512 §2.5.1: syntax and matching rules it does not
 * name itself) and what a class requires and allows once its superclasses are counted
 * (§2.4: MUST and MAY accumulate down the chain).
 */

/** The name an element goes by: its first NAME, or its OID when it has none. */
export const primaryName = (definition: { oid: string; names: readonly string[] }): string => definition.names[0] ?? definition.oid;

export class AttributeType {
  readonly oid: string;
  readonly names: readonly string[];
  /** The first name, or the OID. */
  readonly name: string;
  /** The supertype (SUP), when the schema knows it. */
  superior: AttributeType | undefined = undefined;
  /** Syntax OID, this type's or the nearest supertype's. */
  syntax: string | undefined = undefined;
  syntaxLength: number | undefined = undefined;
  equality: string | undefined = undefined;
  ordering: string | undefined = undefined;
  substr: string | undefined = undefined;

  constructor(readonly definition: AttributeTypeDefinition) {
    this.oid = definition.oid;
    this.names = definition.names;
    this.name = primaryName(definition);
  }

  get singleValue(): boolean {
    return this.definition.singleValue;
  }

  get usage(): AttributeUsage {
    return this.definition.usage;
  }

  /** RFC 4512 §3.4: any usage but userApplications is operational. */
  get operational(): boolean {
    return this.definition.usage !== 'userApplications';
  }

  get noUserModification(): boolean {
    return this.definition.noUserModification;
  }

  /** The supertypes, nearest first (empty for a type with no SUP). */
  get superiors(): AttributeType[] {
    const chain: AttributeType[] = [];
    for (let type = this.superior; type !== undefined && !chain.includes(type); type = type.superior) chain.push(type);
    return chain;
  }

  /** Whether this type is `other` or one of its subtypes (`cn` is a `name`). */
  isA(other: AttributeType): boolean {
    return other === this || this.superiors.includes(other);
  }

  toString(): string {
    return this.name;
  }
}

export class ObjectClass {
  readonly oid: string;
  readonly names: readonly string[];
  readonly name: string;
  /** The direct superclasses the schema knows. */
  superiors: ObjectClass[] = [];
  /** Required attributes, the class's own and every superclass's (primary names, no repeats). */
  must: string[] = [];
  /** Allowed attributes not already required, the class's own and every superclass's. */
  may: string[] = [];

  constructor(readonly definition: ObjectClassDefinition) {
    this.oid = definition.oid;
    this.names = definition.names;
    this.name = primaryName(definition);
  }

  get kind(): ObjectClassKind {
    return this.definition.kind;
  }

  /** Every superclass, nearest first, each once (RFC 4512 allows several direct ones). */
  get ancestors(): ObjectClass[] {
    const seen: ObjectClass[] = [];
    const queue = [...this.superiors];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (next === this || seen.includes(next)) continue;
      seen.push(next);
      queue.push(...next.superiors);
    }
    return seen;
  }

  /** Whether this class is `other` or one of its subclasses. */
  isA(other: ObjectClass): boolean {
    return other === this || this.ancestors.includes(other);
  }

  toString(): string {
    return this.name;
  }
}
