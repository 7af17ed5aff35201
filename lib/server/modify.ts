import type { Change } from './deps';
import { firstDuplicate, resolveName, valueKeyOf } from './entry';
import type { AttributeBag, StoredEntry } from './entry';
import { failure } from './result';
import { checkEntry } from './schema/check';
import type { Schema } from './schema/schema';
import { isValidForSyntax } from './schema/syntax';

const INTEGER_SYNTAX = '1.3.6.1.4.1.1466.115.121.1.27';

/**
 * A ModifyRequest's changes (RFC 4511 §4.6) applied in order to a working copy of the entry,
 * with slapd's result codes and messages; the caller stores the copy only if every change and
 * the final schema check pass, so a modify is all or nothing. `permissive` is the permissive
 * modify control: adding a value already there or deleting one that is not is no error.
 */
export const applyModifications = (
  schema: Schema,
  checking: boolean,
  before: StoredEntry,
  bag: AttributeBag,
  changes: readonly Change[],
  { permissive }: { permissive: boolean },
): void => {
  const touched = new Set<string>();
  for (const { operation, modification } of changes) {
    const name = resolveName(schema, modification.type);
    const type = name.type;
    const label = type?.name ?? name.display;
    if (checking) {
      if (type === undefined) throw failure('undefinedAttributeType', `${modification.type}: attribute type undefined`);
      if (type.noUserModification) throw failure('constraintViolation', `${type.name}: no user modification allowed`);
    }
    const keyOf = valueKeyOf(type);
    const current = bag.get(name.key)?.vals ?? [];
    const checkSyntax = (): void => {
      if (!checking) return;
      modification.vals.forEach((value, i) => {
        if (!isValidForSyntax(type?.syntax, value)) throw failure('invalidAttributeSyntax', `${label}: value #${i} invalid per syntax`);
      });
    };
    const checkRepeats = (): void => {
      const duplicate = firstDuplicate(modification.vals, keyOf);
      if (duplicate >= 0) throw failure('attributeOrValueExists', `${label}: value #${duplicate} provided more than once`);
    };
    switch (operation) {
      case 'add': {
        if (modification.vals.length === 0) throw failure('protocolError', `modify/add: ${label}: no values given`);
        checkSyntax();
        checkRepeats();
        const present = new Set(current.map(keyOf));
        const added: Buffer[] = [];
        modification.vals.forEach((value, i) => {
          if (present.has(keyOf(value))) {
            if (permissive) return;
            throw failure('attributeOrValueExists', `modify/add: ${label}: value #${i} already exists`);
          }
          added.push(value);
        });
        bag.set(name, [...current, ...added]);
        break;
      }
      case 'delete': {
        if (current.length === 0) {
          if (permissive) break;
          throw failure('noSuchAttribute', `modify/delete: ${label}: no such attribute`);
        }
        if (modification.vals.length === 0) {
          bag.delete(name.key);
          break;
        }
        const remaining = [...current];
        for (const value of modification.vals) {
          const key = keyOf(value);
          const at = remaining.findIndex((existing) => keyOf(existing) === key);
          if (at < 0) {
            if (permissive) continue;
            throw failure('noSuchAttribute', `modify/delete: ${label}: no such value`);
          }
          remaining.splice(at, 1);
        }
        bag.set(name, remaining);
        break;
      }
      case 'replace': {
        checkSyntax();
        checkRepeats();
        bag.replace(name, [...modification.vals]);
        break;
      }
      case 'increment': {
        if (checking && type?.syntax !== INTEGER_SYNTAX) throw failure('constraintViolation', `${label}: attribute syntax inappropriate for increment`);
        if (current.length === 0) throw failure('noSuchAttribute', `modify/increment: ${label}: no such attribute`);
        const [delta, ...extra] = modification.vals;
        if (delta === undefined || extra.length > 0 || !/^-?\d+$/.test(delta.toString('latin1'))) {
          throw failure('invalidAttributeSyntax', `modify/increment: ${label}: invalid syntax of increment value`);
        }
        const step = BigInt(delta.toString('latin1'));
        bag.set(
          name,
          current.map((value) => Buffer.from(String(BigInt(value.toString('latin1')) + step), 'latin1')),
        );
        break;
      }
    }
    touched.add(name.key);
  }
  if (!checking) return;
  for (const key of touched) {
    const attribute = bag.get(key);
    if (attribute?.name.type?.singleValue === true && attribute.vals.length > 1) throw failure('constraintViolation', `${attribute.name.type.name}: multiple values provided`);
  }
  checkEntry(schema, before.dn, bag, { addNaming: false, previousStructural: before.meta.structuralObjectClass });
};
