import type {
  AttributeTypeDefinition,
  DitContentRuleDefinition,
  DitStructureRuleDefinition,
  LdapSyntaxDefinition,
  MatchingRuleDefinition,
  MatchingRuleUseDefinition,
  NameFormDefinition,
  ObjectClassDefinition,
  SchemaExtensions,
} from './definitions';

/**
 * Definitions back to RFC 4512 §4.1 text, in the RFC's keyword order, so a parsed definition
 * prints as a value a server would accept and parses back to the same data.
 */

const quote = (text: string): string => `'${text.replace(/\\/g, '\\5C').replace(/'/g, '\\27')}'`;
const qdescrs = (names: readonly string[]): string => (names.length === 1 ? quote(names[0]!) : `( ${names.map(quote).join(' ')} )`);
const oids = (items: readonly string[]): string => (items.length === 1 ? items[0]! : `( ${items.join(' $ ')} )`);

const build = (head: string, parts: Array<string | false | undefined>, extensions: SchemaExtensions): string => {
  const extensionParts = Object.entries(extensions).map(([key, values]) => `${key} ${values.length === 1 ? quote(values[0]!) : `( ${values.map(quote).join(' ')} )`}`);
  return `( ${[head, ...parts.filter((p): p is string => typeof p === 'string'), ...extensionParts].join(' ')} )`;
};

const named = (d: { names: readonly string[]; description?: string; obsolete: boolean }): Array<string | false | undefined> => [
  d.names.length > 0 && `NAME ${qdescrs(d.names)}`,
  d.description !== undefined && `DESC ${quote(d.description)}`,
  d.obsolete && 'OBSOLETE',
];

const listOf = (keyword: string, items: readonly string[]): string | false => items.length > 0 && `${keyword} ${oids(items)}`;

export const printAttributeType = (d: AttributeTypeDefinition): string =>
  build(d.oid, [
    ...named(d),
    d.superior !== undefined && `SUP ${d.superior}`,
    d.equality !== undefined && `EQUALITY ${d.equality}`,
    d.ordering !== undefined && `ORDERING ${d.ordering}`,
    d.substr !== undefined && `SUBSTR ${d.substr}`,
    d.syntax !== undefined && `SYNTAX ${d.syntax}${d.syntaxLength === undefined ? '' : `{${d.syntaxLength}}`}`,
    d.singleValue && 'SINGLE-VALUE',
    d.collective && 'COLLECTIVE',
    d.noUserModification && 'NO-USER-MODIFICATION',
    d.usage !== 'userApplications' && `USAGE ${d.usage}`,
  ], d.extensions);

export const printObjectClass = (d: ObjectClassDefinition): string =>
  build(d.oid, [...named(d), listOf('SUP', d.superiors), d.kind, listOf('MUST', d.must), listOf('MAY', d.may)], d.extensions);

export const printMatchingRule = (d: MatchingRuleDefinition): string => build(d.oid, [...named(d), `SYNTAX ${d.syntax}`], d.extensions);

export const printMatchingRuleUse = (d: MatchingRuleUseDefinition): string => build(d.oid, [...named(d), `APPLIES ${oids(d.applies)}`], d.extensions);

export const printLdapSyntax = (d: LdapSyntaxDefinition): string => build(d.oid, [d.description !== undefined && `DESC ${quote(d.description)}`], d.extensions);

export const printDitContentRule = (d: DitContentRuleDefinition): string =>
  build(d.oid, [...named(d), listOf('AUX', d.auxiliary), listOf('MUST', d.must), listOf('MAY', d.may), listOf('NOT', d.not)], d.extensions);

export const printDitStructureRule = (d: DitStructureRuleDefinition): string =>
  build(String(d.ruleId), [...named(d), `FORM ${d.form}`, d.superiorRules.length > 0 && `SUP ${d.superiorRules.length === 1 ? d.superiorRules[0] : `( ${d.superiorRules.join(' ')} )`}`], d.extensions);

export const printNameForm = (d: NameFormDefinition): string =>
  build(d.oid, [...named(d), `OC ${d.objectClass}`, listOf('MUST', d.must), listOf('MAY', d.may)], d.extensions);
