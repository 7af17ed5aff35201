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
 * would be lost in a spread. It has a setter too: assigning `attributes` (which the readonly
 * types forbid, but JavaScript and casts allow) worked on the plain objects these stand for, and
 * a getter alone throws a TypeError in strict code. Defined with Object.defineProperty and one
 * shared, frozen descriptor per class, so every instance keeps the same hidden class: about
 * 45 ns per object more than __defineGetter__'s getter alone (measured, Node 20), where
 * __defineGetter__ plus __defineSetter__ (two redefinitions) cost 110 ns more.
 *
 * The stores write the text even after `attributes` was read: it is what the server sent, and an
 * application that reads every entry (a recordAdd callback) would otherwise pay for the objects
 * twice, made from the text and serialised again (1.5-2.5 us more per entry than before the text
 * existed, with SqliteSyncStore). An application that changes the objects it was handed (against
 * the readonly types) changes its copy, not the replica, which stays what the directory holds
 * (and a later sync does not report the server's values as a change from the application's). Only
 * an assignment of `attributes` replaces what is stored.
 */
import { parseAttributesJson } from './attributes';
import type { SyncAttributes, SyncRecord } from './types';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `attributes` of an EncodedRecord: read, made from the text once; assigned, replaced. */
const RECORD_ATTRIBUTES: PropertyDescriptor = Object.freeze({
  get(this: EncodedRecord): SyncAttributes {
    return this.decoded();
  },
  set(this: EncodedRecord, attributes: SyncAttributes): void {
    this.replace(attributes);
  },
  enumerable: true,
  configurable: true,
});

/** An assignment makes `attributes` a data property of the event alone, as on the plain event (the record keeps its own). */
const EVENT_ATTRIBUTES: PropertyDescriptor = Object.freeze({
  get(this: LazyAddEvent): SyncAttributes {
    return this.recordAttributes();
  },
  set(this: LazyAddEvent, attributes: SyncAttributes): void {
    Object.defineProperty(this, 'attributes', { value: attributes, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
});

export class EncodedRecord implements SyncRecord {
  declare readonly attributes: SyncAttributes;
  /** The text to store; undefined once `attributes` was assigned (then the objects are stored). */
  #json: string | undefined;
  #attributes: SyncAttributes | undefined;

  constructor(
    readonly dn: string,
    /** The attributes' JSON text, as JSON.stringify would write them. */
    json: string,
  ) {
    this.#json = json;
    Object.defineProperty(this, 'attributes', RECORD_ATTRIBUTES);
  }

  /** The attributes, made from the text on first use. */
  decoded(): SyncAttributes {
    // #json is undefined only after an assignment, which set #attributes.
    return (this.#attributes ??= parseAttributesJson(this.#json ?? '{}'));
  }

  /** What an assignment to `attributes` does: they are these from now on, and stored as objects. */
  replace(attributes: SyncAttributes): void {
    this.#attributes = attributes;
    this.#json = undefined;
  }

  /** The text to store, read or not; undefined after an assignment (store what was assigned). */
  storedJson(): string | undefined {
    return this.#json;
  }

  /** A record of its own (MemorySyncStore's copies), lazy too; undefined after an assignment. */
  copy(): SyncRecord | undefined {
    return this.#json === undefined ? undefined : new EncodedRecord(this.dn, this.#json);
  }

  /** What util.inspect shows: the record as `{ dn, attributes }` shows it, not `[Getter]`. */
  [INSPECT](): SyncRecord {
    return { dn: this.dn, attributes: this.attributes };
  }
}

/** The JSON text a store writes for a record's attributes: the carried text when there is one. */
export const attributesJson = (record: SyncRecord): string =>
  (record instanceof EncodedRecord ? record.storedJson() : undefined) ?? JSON.stringify(record.attributes);

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
    Object.defineProperty(this, 'attributes', EVENT_ATTRIBUTES);
  }

  /** The record's attributes (the same object each time). */
  recordAttributes(): SyncAttributes {
    return this.#record.decoded();
  }

  [INSPECT](): { type: 'add'; entryUUID: string; dn: string; attributes: SyncAttributes } {
    return { type: this.type, entryUUID: this.entryUUID, dn: this.dn, attributes: this.attributes };
  }
}
