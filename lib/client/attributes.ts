import type { Attribute, Change, ModifyOperation } from '../protocol/types';

/** One value or several, as strings (sent as UTF-8) or bytes. */
export type AttributeValues = string | Buffer | ReadonlyArray<string | Buffer>;
/** `{ cn: 'x', objectClass: ['top', 'person'] }` or the wire form. */
export type AttributeInput = Readonly<Record<string, AttributeValues>> | readonly Attribute[];

export interface ModificationInput {
  operation: ModifyOperation;
  attribute: string;
  values?: AttributeValues;
}

const toBuffers = (values: AttributeValues | undefined): Buffer[] => {
  if (values === undefined) return [];
  const list = typeof values === 'string' || Buffer.isBuffer(values) ? [values] : values;
  return list.map((value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value));
};

export const toAttributes = (input: AttributeInput): Attribute[] =>
  Array.isArray(input)
    ? (input as readonly Attribute[]).map((a) => ({ type: a.type, vals: [...a.vals] }))
    : Object.entries(input as Readonly<Record<string, AttributeValues>>).map(([type, values]) => ({ type, vals: toBuffers(values) }));

export const toChanges = (input: readonly ModificationInput[]): Change[] =>
  input.map((change) => ({ operation: change.operation, modification: { type: change.attribute, vals: toBuffers(change.values) } }));
