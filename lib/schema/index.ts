/**
 * The directory's own model: the root DSE, RFC 4512 schemas (parse, resolve, save and load as
 * JSON), values typed by syntax, and the check of names against a schema. Pure data and
 * functions over protocol/, dn/ and filter/: the client reads from a server what these parse,
 * and an offline schema works the same with no client at all.
 */
export { RootDSE } from './root-dse';
export { Schema } from './schema';
export type { SchemaJSON, SchemaOptions, SchemaProblem } from './schema';
export { parseSchema } from './parse-schema';
export type { ParseSchemaOptions, SchemaText, SubschemaEntry } from './parse-schema';
export { AttributeType, ObjectClass } from './elements';
export * from './definitions';
export {
  parseAttributeType,
  parseObjectClass,
  parseMatchingRule,
  parseMatchingRuleUse,
  parseLdapSyntax,
  parseDitContentRule,
  parseDitStructureRule,
  parseNameForm,
} from './parse-definition';
export {
  printAttributeType,
  printObjectClass,
  printMatchingRule,
  printMatchingRuleUse,
  printLdapSyntax,
  printDitContentRule,
  printDitStructureRule,
  printNameForm,
} from './print-definition';
export { GeneralizedTime } from './generalized-time';
export { Syntax } from './syntaxes';
export type { SyntaxName } from './syntaxes';
export { ValueTyping, encodeUntyped } from './value-typing';
export type { Formatters } from './value-typing';
export type { TypedValue, ValueFormatter } from './standard-formatters';
export { sidToString, sidFromString, guidToString, guidFromString } from './windows-values';
export { checkRequestNames } from './check-names';
export { nearestName } from './nearest-name';
