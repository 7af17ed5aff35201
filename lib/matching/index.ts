/**
 * What DN comparison and filter evaluation both need to know about matching values: RFC 4518
 * string preparation, code-point order and substring matching, and the well-known attribute
 * types. Depends on nothing in rxldap, so dn/ and filter/ can share it without depending on
 * each other.
 */
export { prepareString, prepareBytes, caseFold } from './string-prep';
export type { StringPrep, PrepPosition } from './string-prep';
export { compareCodePoints, matchSubstrings } from './compare';
export { lookupAttributeType, stringPrepOf } from './attribute-types';
export type { AttributeType, AttributeRules } from './attribute-types';
