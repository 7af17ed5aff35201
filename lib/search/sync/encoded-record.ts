/**
 * A replicated entry that carries its attributes as the JSON text the stores hold
 * (attributes-json.ts) and makes the attribute objects only when someone reads `attributes`.
 * A first sync into SqliteSyncStore with no recordAdd callback never does: the text goes to the
 * database as it was written from the BER. Making and then serialising those objects, and
 * collecting them afterwards, was over a quarter of such a sync's CPU.
 *
 * `attributes` is an own, enumerable accessor (as `{ dn, attributes }` has an own data property)
 * so that whatever an application or a store of its own does with a record or an add event
 * -- JSON.stringify, a spread, Object.entries -- sees the attributes. A getter on the prototype
 * would be lost in a spread. Defined with __defineGetter__ and one shared getter, so every
 * instance keeps the same hidden class: Object.defineProperty cost three times as much per
 * object (its descriptor is read each time).
 *
 * Once `attributes` has been read, the text is no longer used for storing: whoever read the
 * objects may (against the callbacks' contract) have changed them, and the stores then write
 * what the objects hold, as they always did.
 */
import { parseAttributesJson } from './attributes';
import type { SyncAttributes, SyncRecord } from './types';

/** Annex B's Object.prototype.__defineGetter__ (not in TypeScript's lib): an own accessor, enumerable and configurable. */
type DefineGetter = (this: object, name: string, getter: (this: never) => unknown) => void;
const defineGetter = (Object.prototype as unknown as { __defineGetter__: DefineGetter }).__defineGetter__;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class EncodedRecord implements SyncRecord {
  declare readonly attributes: SyncAttributes;
  #json: string;
  #attributes: SyncAttributes | undefined;

  constructor(
    readonly dn: string,
    /** The attributes' JSON text, as JSON.stringify would write them. */
    json: string,
  ) {
    this.#json = json;
    defineGetter.call(this, 'attributes', readRecordAttributes);
  }

  /** The attributes, made from the text on first use. */
  decoded(): SyncAttributes {
    return (this.#attributes ??= parseAttributesJson(this.#json));
  }

  /** The text to store, while nobody has read `attributes` (else undefined: store what they hold). */
  untouchedJson(): string | undefined {
    return this.#attributes === undefined ? this.#json : undefined;
  }

  /** A record of its own (MemorySyncStore's copies): lazy too, while this one is untouched. */
  copy(): SyncRecord | undefined {
    return this.#attributes === undefined ? new EncodedRecord(this.dn, this.#json) : undefined;
  }

  /** What util.inspect shows: the record as `{ dn, attributes }` shows it, not `[Getter]`. */
  [INSPECT](): SyncRecord {
    return { dn: this.dn, attributes: this.attributes };
  }
}

function readRecordAttributes(this: EncodedRecord): SyncAttributes {
  return this.decoded();
}

/** The JSON text a store writes for a record's attributes: the carried text when there is one. */
export const attributesJson = (record: SyncRecord): string =>
  (record instanceof EncodedRecord ? record.untouchedJson() : undefined) ?? JSON.stringify(record.attributes);

/**
 * The 'add' event (and callback argument) of an entry whose record is an EncodedRecord: its
 * `attributes` is that record's, read when someone reads them. Same own properties, in the same
 * order, as the `{ type: 'add', entryUUID, dn, attributes }` it stands for.
 */
export class LazyAddEvent {
  readonly type = 'add' as const;
  readonly entryUUID: string;
  readonly dn: string;
  declare readonly attributes: SyncAttributes;
  readonly #record: EncodedRecord;

  constructor(entryUUID: string, record: EncodedRecord) {
    this.entryUUID = entryUUID;
    this.dn = record.dn;
    this.#record = record;
    defineGetter.call(this, 'attributes', readEventAttributes);
  }

  /** The record's attributes (the same object each time, and the one the store writes). */
  recordAttributes(): SyncAttributes {
    return this.#record.decoded();
  }

  [INSPECT](): { type: 'add'; entryUUID: string; dn: string; attributes: SyncAttributes } {
    return { type: this.type, entryUUID: this.entryUUID, dn: this.dn, attributes: this.attributes };
  }
}

function readEventAttributes(this: LazyAddEvent): SyncAttributes {
  return this.recordAttributes();
}
