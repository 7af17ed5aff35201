import { RxLdapError } from './base';
import { LdapSyntaxError } from './syntax';

/**
 * An RFC 4512 schema definition (an attributeTypes, objectClasses, … value) that does not
 * parse. `definitionKind` says which kind of description it was read as; `position` is the
 * 0-based character index in `input` where reading stopped.
 */
export class SchemaSyntaxError extends LdapSyntaxError {
  constructor(
    readonly definitionKind: string,
    input: string,
    position: number,
    reason: string,
  ) {
    super(`${definitionKind} description`, input, position, reason);
  }
}

/** A schema that cannot be used as given: a JSON snapshot of another format, or an element named twice in strict mode. */
export class SchemaError extends RxLdapError {}

/**
 * A name the schema in use does not know, caught before the request went out (the client's
 * `checkNames` option): an attribute description in a filter, an attribute list or a write,
 * or an object class in a write. `suggestion` is the nearest known name, when one is close.
 */
export class UnknownSchemaNameError extends RxLdapError {
  constructor(
    /** The unknown name as given (for an attribute description, its type without options). */
    readonly unknownName: string,
    readonly kind: 'attribute type' | 'object class',
    /** Where it was: 'filter', 'attributes' (a search's list), 'entry' (add), 'modification', 'compare', 'new RDN' (modifyDN). */
    readonly where: string,
    readonly suggestion: string | undefined,
  ) {
    super(`unknown ${kind} ${JSON.stringify(unknownName)} in the ${where}${suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`}: the schema in use does not define it`);
  }
}

/**
 * A value given for a write that the attribute's syntax cannot take (a boolean for an Integer
 * attribute, a string that is no SID for objectSid): refused before the request went out.
 */
export class AttributeValueError extends RxLdapError {
  constructor(
    readonly attribute: string,
    /** The syntax OID the value was encoded for, when the schema names one. */
    readonly syntax: string | undefined,
    reason: string,
  ) {
    super(`cannot encode a value of ${attribute}${syntax === undefined ? '' : ` (syntax ${syntax})`}: ${reason}`);
  }
}
