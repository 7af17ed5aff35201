import { parseDN } from '../dn/dn';
import type { RDN } from '../dn/types';
import { UnknownSchemaNameError } from '../errors/schema';
import { checkFilterDepth, filterValueBytes, type Filter } from '../protocol/filter-types';
import type { RequestOp } from '../protocol/types';
import type { Schema } from './schema';

/**
 * ldap3's check_names: the attribute descriptions and object classes a request names, checked
 * against a schema before it is sent, so a typo fails at once with the name and the nearest
 * known one instead of a server's undefinedAttributeType (or, in a filter, silently no match).
 */

/** Attribute list entries that name no attribute type (RFC 4511 §4.5.1.8, RFC 3673). */
const SPECIAL = new Set(['*', '+', '1.1']);

const attributeType = (schema: Schema, description: string, where: string): void => {
  const semicolon = description.indexOf(';');
  const type = semicolon < 0 ? description : description.slice(0, semicolon);
  if (schema.attributeType(type) === undefined) throw new UnknownSchemaNameError(type, 'attribute type', where, schema.suggestAttributeType(type));
};

const objectClass = (schema: Schema, name: string, where: string): void => {
  if (schema.objectClass(name) === undefined) throw new UnknownSchemaNameError(name, 'object class', where, schema.suggestObjectClass(name));
};

const isObjectClass = (schema: Schema, description: string): boolean => schema.attributeType(description)?.oid === '2.5.4.0';

const checkFilter = (schema: Schema, filter: Filter, depth: number): void => {
  checkFilterDepth(depth, filter);
  switch (filter.type) {
    case 'and':
    case 'or':
      for (const child of filter.filters) checkFilter(schema, child, depth + 1);
      return;
    case 'not':
      checkFilter(schema, filter.filter, depth + 1);
      return;
    case 'equalityMatch':
      attributeType(schema, filter.attributeDesc, 'filter');
      if (isObjectClass(schema, filter.attributeDesc)) objectClass(schema, filterValueBytes(filter.assertionValue).toString('utf8'), 'filter');
      return;
    case 'approxMatch':
    case 'greaterOrEqual':
    case 'lessOrEqual':
      attributeType(schema, filter.attributeDesc, 'filter');
      return;
    case 'substrings':
    case 'present':
      attributeType(schema, filter.attribute, 'filter');
      return;
    case 'extensibleMatch':
      if (filter.attribute !== undefined) attributeType(schema, filter.attribute, 'filter');
      return;
  }
};

const checkValues = (schema: Schema, type: string, values: readonly Buffer[], where: string): void => {
  attributeType(schema, type, where);
  if (isObjectClass(schema, type)) for (const value of values) objectClass(schema, value.toString('utf8'), where);
};

/**
 * A rename's new RDN names attribute types too (`cn=x+uid=y`): a typo there is refused by the
 * server as late as any other. A new RDN that is no RDN at all is left to the server, which
 * says invalidDNSyntax (34); that is not a name check's to judge.
 */
const checkNewRdn = (schema: Schema, newRdn: string): void => {
  let rdns: readonly RDN[];
  try {
    rdns = parseDN(newRdn).rdns;
  } catch {
    return;
  }
  for (const rdn of rdns) for (const atav of rdn) attributeType(schema, atav.type, 'new RDN');
};

/** Throws UnknownSchemaNameError for the first name in `request` the schema does not define. */
export const checkRequestNames = (schema: Schema, request: RequestOp): void => {
  switch (request.type) {
    case 'searchRequest':
      checkFilter(schema, request.filter, 1);
      for (const description of request.attributes) {
        if (SPECIAL.has(description)) continue;
        // RFC 4529: `@class` asks for the attributes of an object class.
        if (description.startsWith('@')) objectClass(schema, description.slice(1), 'attributes');
        else attributeType(schema, description, 'attributes');
      }
      return;
    case 'addRequest':
      for (const attribute of request.attributes) checkValues(schema, attribute.type, attribute.vals, 'entry');
      return;
    case 'modifyRequest':
      for (const change of request.changes) {
        const values = change.operation === 'delete' ? [] : change.modification.vals;
        checkValues(schema, change.modification.type, values, 'modification');
      }
      return;
    case 'compareRequest':
      attributeType(schema, request.ava.attributeDesc, 'compare');
      return;
    case 'modDNRequest':
      checkNewRdn(schema, request.newrdn);
      return;
    default:
      return;
  }
};
