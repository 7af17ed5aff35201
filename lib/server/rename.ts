import type { DN } from './deps';
import { resolveName, valueKeyOf } from './entry';
import type { AttributeBag } from './entry';
import type { StoredEntry } from './entry';
import { failure } from './result';
import { checkEntry } from './schema/check';
import type { Schema } from './schema/schema';

const bytesOf = (value: string | Buffer): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'));

/**
 * The attributes of an entry renamed to `newDN` (RFC 4511 §4.9): the new RDN's values are added
 * where missing and, with deleteOldRdn, the old RDN's values that the new RDN does not repeat are
 * removed; then the entry must still satisfy the schema (slapd's codes: an unknown type in the
 * new RDN is invalidDNSyntax, a second value of a single-valued type constraintViolation).
 */
export const renamedAttributes = (
  directory: { readonly schema: Schema; readonly checking: boolean },
  before: StoredEntry,
  newDN: DN,
  deleteOldRdn: boolean,
): AttributeBag => {
  const { schema, checking } = directory;
  const bag = before.toBag(schema);
  const newRdn = newDN.rdn ?? [];
  const newKeys = new Set<string>();
  for (const atav of newRdn) {
    const name = resolveName(schema, atav.type);
    if (checking && name.type === undefined) throw failure('invalidDNSyntax', 'invalid new RDN');
    const keyOf = valueKeyOf(name.type);
    const value = bytesOf(atav.value);
    newKeys.add(`${name.key}=${keyOf(value)}`);
    const current = bag.get(name.key)?.vals ?? [];
    if (current.some((existing) => keyOf(existing) === keyOf(value))) continue;
    if (checking && name.type?.singleValue === true && current.length > 0) throw failure('constraintViolation', `attribute '${name.type.name}' cannot have multiple values`);
    bag.set(name, [...current, value]);
  }
  if (deleteOldRdn) {
    for (const atav of before.dn.rdn ?? []) {
      const name = resolveName(schema, atav.type);
      const keyOf = valueKeyOf(name.type);
      const value = bytesOf(atav.value);
      if (newKeys.has(`${name.key}=${keyOf(value)}`)) continue;
      const current = bag.get(name.key)?.vals ?? [];
      bag.set(name, current.filter((existing) => keyOf(existing) !== keyOf(value)));
    }
  }
  if (checking) checkEntry(schema, newDN, bag, { addNaming: false });
  return bag;
};
