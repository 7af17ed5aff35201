import type { UndecodedEntry } from '../../protocol/undecoded-entry';
import { UsualAttributeCursor } from '../../protocol/usual-attributes';
import type { SearchEntry } from '../entry';
import type { SyncAttributes } from './types';
import { DEFAULT_BINARY_ATTRIBUTES } from './binary-attributes';

export { DEFAULT_BINARY_ATTRIBUTES };


/** The attribute type of a description, lowercased: 'userCertificate;binary' → 'usercertificate'. */
const baseName = (description: string): string => {
  const semicolon = description.indexOf(';');
  return (semicolon === -1 ? description : description.slice(0, semicolon)).toLowerCase();
};

const hasBinaryOption = (description: string): boolean =>
  description.includes(';') && description.split(';').slice(1).some((option) => option.toLowerCase() === 'binary');

/** Whether entryAttributes keeps the values of `description` as base64 (under `binary`, from binaryAttributeSet). */
export const isBinaryDescription = (description: string, binary: ReadonlySet<string>): boolean => describe(description, binary).base64;

/** Lowercased attribute types to keep as base64. */
export const binaryAttributeSet = (names: readonly string[]): ReadonlySet<string> => new Set(names.map(baseName));

/** What entryAttributes needs to know of one attribute description: its lowercased form, and whether its values are bytes. */
export interface Description {
  readonly key: string;
  readonly base64: boolean;
  /**
   * `"description":[` as JSON.stringify writes it, UTF-8 (attributes-json.ts writes it as is),
   * or undefined for a description JSON.stringify would move ahead of the others (an array
   * index such as '1', which no schema names but a server may send).
   */
  readonly json: Buffer | undefined;
  /** Shared by the descriptions of one lowercased type (per cache): attributes-json.ts finds a repeated type with it. */
  readonly slot: KeySlot;
}

/** The last entry (a number attributes-json.ts gives each) that wrote a type. */
export interface KeySlot {
  entry: number;
}

/** The names JSON.stringify writes first, in numeric order, whatever the object's own order. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Distinct descriptions remembered per binary set; emptied when full (a crude bound, cheap to keep). */
const DESCRIPTIONS_MAX = 10_000;
const descriptionCaches = new WeakMap<ReadonlySet<string>, Map<string, Description>>();

const keySlots = new WeakMap<Map<string, Description>, Map<string, KeySlot>>();
let clears = 0;

/** How many times a description cache was emptied: a Description from before does not share its slot with one made after. */
export const descriptionCacheClears = (): number => clears;

export const descriptionCache = (binary: ReadonlySet<string>): Map<string, Description> => {
  let cache = descriptionCaches.get(binary);
  if (cache === undefined) descriptionCaches.set(binary, (cache = new Map<string, Description>()));
  return cache;
};

/**
 * An attribute description's lowercased form and encoding, remembered: a directory uses a few
 * dozen descriptions across millions of entries, and working them out per entry (a lowercased
 * copy, a split on ';') was about a tenth of an initial sync's time.
 */
export const describe = (type: string, binary: ReadonlySet<string>, cache = descriptionCache(binary)): Description => {
  let description = cache.get(type);
  if (description === undefined) {
    const key = type.toLowerCase();
    const json = ARRAY_INDEX.test(type) && Number(type) < 2 ** 32 - 1 ? undefined : Buffer.from(`${JSON.stringify(type)}:[`);
    if (cache.size >= DESCRIPTIONS_MAX) {
      cache.clear();
      keySlots.delete(cache);
      clears++;
    }
    let slots = keySlots.get(cache);
    if (slots === undefined) keySlots.set(cache, (slots = new Map<string, KeySlot>()));
    let slot = slots.get(key);
    if (slot === undefined) slots.set(key, (slot = { entry: 0 }));
    description = { key, base64: binary.has(type.includes(';') ? baseName(type) : key) || hasBinaryOption(type), json, slot };
    cache.set(type, description);
  }
  return description;
};

const decodeValues = (vals: readonly Buffer[], base64: boolean): string[] => {
  // toString() without arguments is Buffer's UTF-8 fast path; most attributes have one value.
  const only = vals.length === 1 ? vals[0] : undefined;
  if (only !== undefined) return [base64 ? only.toString('base64') : only.toString()];
  return base64 ? vals.map((value) => value.toString('base64')) : vals.map((value) => value.toString());
};

/**
 * The objects entryAttributes returns: attribute names such as `constructor` or `valueOf` are
 * valid (RFC 4512), so nothing may be inherited, and its prototype is an empty object without a
 * prototype of its own. Not Object.create(null): V8 keeps such an object in dictionary mode,
 * where filling it and JSON.stringify (once per entry, in every store) cost 2-3 times as much
 * (measured: 5.6 against 2.0 µs per entry of ten attributes); an instance of a constructor
 * keeps fast properties. (`__proto__` is an own property too: the accessor that would set the
 * prototype lives on Object.prototype, which is not in the chain.)
 */
const AttributeBag = function AttributeBag(this: object): void {} as unknown as new () => object;
AttributeBag.prototype = Object.create(null) as object;

/**
 * The attributes a store's JSON text holds (as undecodedAttributesJson or JSON.stringify wrote
 * them), in the same kind of object entryAttributes makes: a value read lazily is the value
 * read at once. Object.keys gives JSON.parse's order, which is the order the text was written in.
 */
export const parseAttributesJson = (json: string): SyncAttributes => {
  const parsed = JSON.parse(json) as SyncAttributes;
  const result = new AttributeBag() as SyncAttributes;
  for (const name of Object.keys(parsed)) result[name] = parsed[name] ?? [];
  return result;
};

/**
 * An entry's attributes as strings: base64 for binary attributes, UTF-8 for the rest. A type the
 * server repeated (same name, any case) is merged under its first spelling.
 */
export const entryAttributes = (entry: SearchEntry, binary: ReadonlySet<string>): SyncAttributes => {
  const result = new AttributeBag() as SyncAttributes;
  // Lowercased descriptions so far and their first spellings: an entry has a few attributes, so
  // a scan of an array is cheaper than a Map per entry.
  const keys: string[] = [];
  const names: string[] = [];
  const cache = descriptionCache(binary); // once per entry, not per attribute
  for (const attribute of entry.attributes) {
    const { key, base64 } = describe(attribute.type, binary, cache);
    const values = decodeValues(attribute.vals, base64);
    // keys and names grow together, so a key found has its name.
    const seen = keys.indexOf(key);
    const name = seen === -1 ? undefined : names[seen];
    if (name === undefined) {
      keys.push(key);
      names.push(attribute.type);
      result[attribute.type] = values;
    } else {
      result[name] = [...(result[name] ?? []), ...values];
    }
  }
  return result;
};

/**
 * entryAttributes' result for an entry received undecoded (the consumer's own sync), read
 * straight from the BER of its attribute list: each value is one `toString` of its bytes in the
 * PDU's buffer, with no Buffer per value and no object per attribute on the way (that decoding
 * cost about as much as the strings themselves). Same descriptions, same merging of a repeated
 * type under its first spelling, same AttributeBag.
 *
 * The list was checked to be of the usual shape when it was received (usual-attributes.ts):
 * every attribute a SEQUENCE of a short type and a SET of short OCTET STRINGs, inside the list.
 */
export const undecodedEntryAttributes = (entry: UndecodedEntry, binary: ReadonlySet<string>): SyncAttributes => {
  const result = new AttributeBag() as SyncAttributes;
  const keys: string[] = [];
  const names: string[] = [];
  const cache = descriptionCache(binary);
  const cursor = new UsualAttributeCursor(entry.buffer, entry.start, entry.end);
  const buffer = cursor.buffer;
  while (cursor.next()) {
    const type = cursor.type;
    const { key, base64 } = describe(type, binary, cache);
    const encoding = base64 ? 'base64' : 'utf8';
    let values: string[];
    if (!cursor.nextValue()) values = [];
    else {
      // Most attributes have one value: an array literal of one costs less than one grown by push().
      values = [buffer.toString(encoding, cursor.from, cursor.to)];
      while (cursor.nextValue()) values.push(buffer.toString(encoding, cursor.from, cursor.to));
    }
    const seen = keys.indexOf(key);
    const name = seen === -1 ? undefined : names[seen];
    if (name === undefined) {
      keys.push(key);
      names.push(type);
      result[type] = values;
    } else {
      result[name] = [...(result[name] ?? []), ...values];
    }
  }
  return result;
};

/** Lowercased name → sorted values, leaving out attributes without values. */
const normalised = (attributes: SyncAttributes): Map<string, string[]> => {
  const byName = new Map<string, string[]>();
  for (const [name, values] of Object.entries(attributes)) {
    if (values.length === 0) continue;
    const key = name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), ...values]);
  }
  for (const values of byName.values()) values.sort();
  return byName;
};

/**
 * Whether two attribute sets hold the same values. Names compare case-insensitively, as LDAP
 * compares attribute descriptions, and values as sets: a server may return them in any order.
 */
export const sameAttributes = (a: SyncAttributes, b: SyncAttributes): boolean => {
  const left = normalised(a);
  const right = normalised(b);
  if (left.size !== right.size) return false;
  for (const [name, values] of left) {
    const other = right.get(name);
    if (other === undefined || other.length !== values.length) return false;
    for (let i = 0; i < values.length; i++) if (values[i] !== other[i]) return false;
  }
  return true;
};
