/**
 * A searchResEntry whose attribute list was checked but not decoded: what a search asked for
 * with `undecodedEntries` (the LDIF writer's) receives. Making a Buffer of every value, an
 * object and an array of every attribute, and interning every name cost about as much as the
 * LDIF writer itself; the writer needs none of it, only the bytes. The list was checked to be
 * of the usual shape (usual-attributes.ts), so reading it later cannot fail; anyone else who
 * reads `attributes` (a log hook, a metrics observer) gets them decoded, once.
 */
import type { PartialAttribute, SearchResultEntry } from './types';
import { readUsualAttributeTypes, readUsualAttributes } from './usual-attributes';

export class UndecodedEntry implements SearchResultEntry {
  readonly type = 'searchResEntry' as const;
  private decoded: PartialAttribute[] | undefined;

  /** The attribute list's contents are `buffer[start, end)` (the PDU's own buffer: not copied). */
  constructor(
    readonly objectName: string,
    readonly buffer: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  get attributes(): PartialAttribute[] {
    return (this.decoded ??= readUsualAttributes(this.buffer, this.start, this.end));
  }

  /** The attribute descriptions only (what a log line names), without decoding any value. */
  attributeTypes(): string[] {
    return this.decoded === undefined ? readUsualAttributeTypes(this.buffer, this.start, this.end) : this.decoded.map((attribute) => attribute.type);
  }

  /** What JSON and util.inspect show: the op as decoded, not the PDU's buffer it points into. */
  toJSON(): SearchResultEntry {
    return { type: this.type, objectName: this.objectName, attributes: this.attributes };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): SearchResultEntry {
    return this.toJSON();
  }
}
