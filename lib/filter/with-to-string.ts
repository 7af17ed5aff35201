import type { Filter } from '../protocol/filter-types';
import { filterToString } from './serialize';

/**
 * Gives every node of a filter a `toString()` that returns its canonical RFC 4515 text.
 *
 * The method is an own, non-enumerable property rather than a class or a shared prototype: the
 * nodes stay plain objects, so chai's deep equality, node's assert.deepStrictEqual (which compares
 * prototypes), JSON.stringify and structuredClone all see exactly the Filter fields. It reads
 * `this`, so a node that is edited later still prints what it now holds.
 */
export const withToString = <T extends Filter>(filter: T): T => {
  Object.defineProperty(filter, 'toString', {
    value: canonicalText,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  if (filter.type === 'and' || filter.type === 'or') for (const child of filter.filters) withToString(child);
  else if (filter.type === 'not') withToString(filter.filter);
  return filter;
};

function canonicalText(this: Filter): string {
  return filterToString(this);
}
