import type { DN } from '../dn/dn';
import type { GeneralizedTime } from '../schema/generalized-time';
import type { Attribute, Change, ModifyOperation } from '../protocol/types';
import { encodeUntyped } from '../schema/value-typing';

/**
 * One value of a write: text (sent as UTF-8) or bytes as always; with a schema in use, numbers,
 * bigints, booleans, Dates, GeneralizedTimes, DNs (and null, "never", for an Active Directory
 * FILETIME) are encoded by the attribute's syntax, and without one by the obvious text.
 */
export type AttributeValue = string | Buffer | number | bigint | boolean | Date | DN | GeneralizedTime | null;
/** One value or several. */
export type AttributeValues = AttributeValue | readonly AttributeValue[];
/** `{ cn: 'x', objectClass: ['top', 'person'] }` or the wire form. */
export type AttributeInput = Readonly<Record<string, AttributeValues>> | readonly Attribute[];

export interface ModificationInput {
  operation: ModifyOperation;
  attribute: string;
  values?: AttributeValues;
}

/** Turns one value of an attribute into its bytes (the schema's encoder, or the default one). */
export type ValueEncoder = (attribute: string, value: unknown) => Buffer;

const toBuffers = (attribute: string, values: AttributeValues | undefined, encode: ValueEncoder): Buffer[] => {
  if (values === undefined) return [];
  const list: readonly AttributeValue[] = Array.isArray(values) ? values : [values as AttributeValue];
  return list.map((value) => (Buffer.isBuffer(value) ? value : encode(attribute, value)));
};

export const toAttributes = (input: AttributeInput, encode: ValueEncoder = encodeUntyped): Attribute[] =>
  Array.isArray(input)
    ? (input as readonly Attribute[]).map((a) => ({ type: a.type, vals: [...a.vals] }))
    : Object.entries(input as Readonly<Record<string, AttributeValues>>).map(([type, values]) => ({ type, vals: toBuffers(type, values, encode) }));

export const toChanges = (input: readonly ModificationInput[], encode: ValueEncoder = encodeUntyped): Change[] =>
  input.map((change) => ({ operation: change.operation, modification: { type: change.attribute, vals: toBuffers(change.attribute, change.values, encode) } }));
