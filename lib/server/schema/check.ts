import type { DN } from '../deps';
import { firstDuplicate, resolveName, valueKeyOf } from '../entry';
import type { AttributeBag, BagAttribute } from '../entry';
import { failure } from '../result';
import type { ObjectClass, Schema } from './schema';
import { isValidForSyntax } from './syntax';

/**
 * The schema checks slapd makes on an entry, in slapd's order and with its result codes, so a
 * client sees the same refusal from either server: first each attribute (a known type, not
 * NO-USER-MODIFICATION, valid values, no value twice, one value when SINGLE-VALUE), then the
 * entry (objectClass present, one structural chain, MUST present, nothing outside MUST and MAY,
 * the RDN's values present).
 */

/** Per-attribute checks on the attributes of an add, or on the values a modify brings. */
export const checkAttribute = (attribute: BagAttribute, options: { userModification: boolean }): void => {
  const { name, vals } = attribute;
  const type = name.type;
  if (type === undefined) throw failure('undefinedAttributeType', `${name.display}: attribute type undefined`);
  if (type.noUserModification && options.userModification) throw failure('constraintViolation', `${type.name}: no user modification allowed`);
  vals.forEach((value, i) => {
    if (!isValidForSyntax(type.syntax, value)) throw failure('invalidAttributeSyntax', `${type.name}: value #${i} invalid per syntax`);
  });
  const duplicate = firstDuplicate(vals, valueKeyOf(type));
  if (duplicate >= 0) throw failure('attributeOrValueExists', `${type.name}: value #${duplicate} provided more than once`);
  if (type.singleValue && vals.length > 1) throw failure('constraintViolation', `${type.name}: multiple values provided`);
};

/** The entry's classes, known ones only (an unknown one was refused by checkObjectClassValues). */
const classesOf = (schema: Schema, bag: AttributeBag): ObjectClass[] =>
  bag.values('objectclass').flatMap((value) => {
    const found = schema.objectClass(value.toString('utf8'));
    return found === undefined ? [] : [found];
  });

/** Every objectClass value names a class the schema has (slapd reports an unknown one as a syntax error). */
export const checkObjectClassValues = (schema: Schema, bag: AttributeBag): void => {
  bag.values('objectclass').forEach((value, i) => {
    if (schema.objectClass(value.toString('utf8')) === undefined) throw failure('invalidAttributeSyntax', `objectClass: value #${i} invalid per syntax`);
  });
};

/** The name of the entry's structural class, or undefined when it has none the schema knows (schema checking off). */
export const structuralClassOf = (schema: Schema, bag: AttributeBag): string | undefined => {
  try {
    return structuralClass(schema, bag).name;
  } catch {
    return undefined;
  }
};

/** The entry's structural class: the most specific of its structural classes, which must form one chain. */
export const structuralClass = (schema: Schema, bag: AttributeBag): ObjectClass => {
  const structural = classesOf(schema, bag).filter((objectClass) => objectClass.kind === 'STRUCTURAL');
  const [first, ...others] = structural;
  if (first === undefined) throw failure('objectClassViolation', 'no structural object class provided');
  let most = first;
  for (const candidate of others) {
    if (candidate.chain.has(most.key)) most = candidate;
    else if (!most.chain.has(candidate.key)) throw failure('objectClassViolation', `invalid structural object class chain (${most.name}/${candidate.name})`);
  }
  return most;
};

/**
 * The entry as a whole. `addNaming` (an add) puts missing RDN values into the entry as slapd
 * does; otherwise (a modify) a missing one is namingViolation.
 */
export const checkEntry = (schema: Schema, dn: DN, bag: AttributeBag, options: { addNaming: boolean; previousStructural?: string | undefined }): string => {
  if (bag.values('objectclass').length === 0) throw failure('objectClassViolation', 'no objectClass attribute');
  checkObjectClassValues(schema, bag);
  const structural = structuralClass(schema, bag);
  const previous = options.previousStructural === undefined ? undefined : schema.objectClass(options.previousStructural);
  if (previous !== undefined && previous.key !== structural.key) {
    throw failure('objectClassModsProhibited', `structural object class modification from '${previous.name}' to '${structural.name}' not allowed`);
  }
  const classes = classesOf(schema, bag);
  // slapd names the structural class when a MUST is missing, whichever superclass requires it.
  const ordered = [structural, ...classes.filter((objectClass) => !structural.chain.has(objectClass.key))];
  for (const objectClass of ordered) {
    for (const required of objectClass.must) {
      if (bag.values(required).length === 0 && !hasType(bag, required)) {
        const type = schema.attributeType(required);
        throw failure('objectClassViolation', `object class '${displayClass(bag, objectClass)}' requires attribute '${type?.name ?? required}'`);
      }
    }
  }
  const extensible = classes.some((objectClass) => objectClass.key === 'extensibleobject');
  if (!extensible) {
    for (const attribute of bag.attributes.values()) {
      const type = attribute.name.type;
      if (type === undefined || type.operational) continue;
      const allowed = classes.some((objectClass) => objectClass.must.has(type.key) || objectClass.may.has(type.key));
      if (!allowed) throw failure('objectClassViolation', `attribute '${type.name}' not allowed`);
    }
  }
  for (const atav of dn.rdn ?? []) {
    const name = resolveName(schema, atav.type);
    const value = Buffer.isBuffer(atav.value) ? atav.value : Buffer.from(atav.value, 'utf8');
    const keyOf = valueKeyOf(name.type);
    const present = bag.get(name.key);
    if (present !== undefined && present.vals.some((existing) => keyOf(existing) === keyOf(value))) continue;
    if (!options.addNaming) throw failure('namingViolation', `naming attribute '${name.display}' is not present in entry`);
    bag.set(name, [...(present?.vals ?? []), value]);
  }
  return structural.name;
};

/** Whether some attribute of the type, with options or without, is present. */
const hasType = (bag: AttributeBag, typeKey: string): boolean => {
  for (const attribute of bag.attributes.values()) if (attribute.name.typeKey === typeKey) return true;
  return false;
};

/** The class name as the entry spells it, as slapd's messages do. */
const displayClass = (bag: AttributeBag, objectClass: ObjectClass): string => {
  for (const value of bag.values('objectclass')) {
    const text = value.toString('utf8');
    if (text.toLowerCase() === objectClass.key || text === objectClass.oid) return text;
  }
  return objectClass.name;
};
