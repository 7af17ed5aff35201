import { attributesJson } from './encoded-record';
import type { SyncAttributes, SyncRecord } from './types';

/**
 * One record as the store files hold it: the JSON text of `[entryUUID, dn, attributes]` (the
 * attributes' text as the record carries it, when it does).
 */
export const encodeRecord = (entryUUID: string, record: SyncRecord): string =>
  `[${JSON.stringify(entryUUID)},${JSON.stringify(record.dn)},${attributesJson(record)}]`;

const isAttributes = (value: unknown): value is SyncAttributes =>
  typeof value === 'object' && value !== null && !Array.isArray(value) &&
  Object.values(value).every((values) => Array.isArray(values) && values.every((v) => typeof v === 'string'));

/** The parsed `[entryUUID, dn, attributes]`, or undefined when the value has another shape. */
export const decodeRecord = (value: unknown): { entryUUID: string; record: SyncRecord } | undefined => {
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [entryUUID, dn, attributes] = value as unknown[];
  if (typeof entryUUID !== 'string' || typeof dn !== 'string' || !isAttributes(attributes)) return undefined;
  return { entryUUID, record: { dn, attributes } };
};
