/**
 * Turning rxldap's results and the vectors' expectations into one comparable shape: bytes
 * become `{ hex }` (the vectors' own spelling of raw bytes), absent fields are dropped.
 */
import { RxLdapError } from '../../../lib/errors';

export type Comparable = string | number | boolean | null | Comparable[] | { [key: string]: Comparable };

export const comparable = (value: unknown): Comparable => {
  if (Buffer.isBuffer(value)) return { hex: value.toString('hex') };
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, Comparable> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = comparable(field);
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  throw new TypeError(`cannot compare a ${typeof value}`);
};

/** A vector value as bytes: a JSON string is UTF-8, `{ hex }` is raw bytes. */
export const bytesOf = (value: unknown): Buffer => {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'object' && value !== null && typeof (value as { hex?: unknown }).hex === 'string') return Buffer.from((value as { hex: string }).hex, 'hex');
  throw new TypeError(`not a vector value: ${JSON.stringify(value)}`);
};

/** Runs `attempt` and returns what it threw; fails when it threw nothing or not a typed error. */
export const refusal = (attempt: () => unknown): RxLdapError => {
  let outcome: unknown;
  try {
    outcome = attempt();
  } catch (error) {
    if (error instanceof RxLdapError) return error;
    throw new Error(`refused with an untyped error: ${String(error)}`, { cause: error });
  }
  throw new Error(`accepted, gave ${JSON.stringify(outcome) ?? String(outcome)}`);
};
