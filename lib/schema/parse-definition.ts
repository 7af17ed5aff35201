import type {
  AttributeTypeDefinition,
  AttributeUsage,
  DitContentRuleDefinition,
  DitStructureRuleDefinition,
  LdapSyntaxDefinition,
  MatchingRuleDefinition,
  MatchingRuleUseDefinition,
  NameFormDefinition,
  ObjectClassDefinition,
  ObjectClassKind,
  SchemaExtensions,
} from './definitions';
import { SchemaSyntaxError } from '../errors/schema';
import { tokenize, TokenCursor } from './tokens';

/** A description that reads but says something impossible (a missing field, a bad value). */
function fail(kind: string, input: string, reason: string, position: number): never {
  throw new SchemaSyntaxError(kind, input, Math.max(0, position), reason);
}

/**
 * RFC 4512 §4.1's descriptions, one parser per kind over one shared reader: `( oid keyword
 * value … X-EXT qdstrings … )`. Keywords may come in any order (servers do not all keep the
 * RFC's) but at most once; an unknown keyword that is not an `X-` extension is an error, as is
 * anything after the closing parenthesis.
 */

/** How a keyword's value is read. */
type Shape = 'flag' | 'oid' | 'oids' | 'qdescrs' | 'qdstring' | 'noidlen' | 'ruleids' | 'word';

type Fields = Map<string, string | string[] | true>;

const read = (input: string, kind: string, shapes: Readonly<Record<string, Shape>>, leading: 'oid' | 'ruleid'): { id: string; fields: Fields; extensions: SchemaExtensions } => {
  const cursor: TokenCursor = new TokenCursor(tokenize(input, kind), input, kind);
  cursor.expect('(');
  const id = leading === 'oid' ? cursor.oid('a numeric OID') : cursor.word('a rule ID').text;
  const fields: Fields = new Map();
  const extensions: Record<string, string[]> = {};
  for (;;) {
    const token = cursor.peek();
    if (token === undefined) cursor.fail("the description is not closed with ')'");
    if (token.type === ')') {
      cursor.next();
      break;
    }
    const { text, position } = cursor.word('a keyword');
    const keyword = text.toUpperCase();
    if (keyword.startsWith('X-')) {
      if (text in extensions) cursor.fail(`${text} appears twice`, position);
      extensions[text] = cursor.list(() => cursor.qdstring(`the values of ${text}`));
      continue;
    }
    const shape = shapes[keyword];
    if (shape === undefined) cursor.fail(`unknown keyword ${text}`, position);
    if (fields.has(keyword)) cursor.fail(`${keyword} appears twice`, position);
    fields.set(keyword, readValue(cursor, keyword, shape));
  }
  if (cursor.peek() !== undefined) cursor.fail("text after the closing ')'");
  return { id, fields, extensions };
};

const readValue = (cursor: TokenCursor, keyword: string, shape: Shape): string | string[] | true => {
  switch (shape) {
    case 'flag':
      return true;
    case 'oid':
    case 'noidlen':
      return cursor.oid(`an OID after ${keyword}`);
    case 'word':
      return cursor.word(`a value after ${keyword}`).text;
    case 'qdstring':
      return cursor.qdstring(`a string after ${keyword}`);
    case 'qdescrs':
    case 'oids':
      return cursor.list(() => cursor.oid(`a name after ${keyword}`));
    case 'ruleids':
      return cursor.list(() => cursor.word(`a rule ID after ${keyword}`).text);
  }
};

const text = (fields: Fields, keyword: string): string | undefined => {
  const value = fields.get(keyword);
  return typeof value === 'string' ? value : undefined;
};
const list = (fields: Fields, keyword: string): string[] => {
  const value = fields.get(keyword);
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
};
const flag = (fields: Fields, keyword: string): boolean => fields.get(keyword) === true;

/** The fields every OID-named description shares, with absent optional ones left out. */
const common = (id: string, fields: Fields, extensions: SchemaExtensions): { oid: string; names: string[]; description?: string; obsolete: boolean; extensions: SchemaExtensions } => {
  const description = text(fields, 'DESC');
  return { oid: id, names: list(fields, 'NAME'), ...(description === undefined ? {} : { description }), obsolete: flag(fields, 'OBSOLETE'), extensions };
};

const COMMON: Record<string, Shape> = { NAME: 'qdescrs', DESC: 'qdstring', OBSOLETE: 'flag' };

const ATTRIBUTE_TYPE: Record<string, Shape> = {
  ...COMMON, SUP: 'oid', EQUALITY: 'oid', ORDERING: 'oid', SUBSTR: 'oid', SYNTAX: 'noidlen',
  'SINGLE-VALUE': 'flag', COLLECTIVE: 'flag', 'NO-USER-MODIFICATION': 'flag', USAGE: 'word',
};
const USAGES: readonly AttributeUsage[] = ['userApplications', 'directoryOperation', 'distributedOperation', 'dSAOperation'];

export const parseAttributeType = (input: string): AttributeTypeDefinition => {
  const kind = 'attribute type';
  const { id, fields, extensions } = read(input, kind, ATTRIBUTE_TYPE, 'oid');
  const usageText = text(fields, 'USAGE');
  const usage = usageText === undefined ? 'userApplications' : USAGES.find((u) => u.toLowerCase() === usageText.toLowerCase());
  if (usage === undefined) fail(kind, input, `unknown USAGE ${usageText}`, input.indexOf(usageText!));
  const syntaxText = text(fields, 'SYNTAX');
  let syntax: { syntax?: string; syntaxLength?: number } = {};
  if (syntaxText !== undefined) {
    const bound = /^(.+?)\{(\d+)\}$/.exec(syntaxText);
    syntax = bound === null ? { syntax: syntaxText } : { syntax: bound[1]!, syntaxLength: Number(bound[2]) };
    if (syntax.syntax?.includes('{')) fail(kind, input, `a malformed SYNTAX length in ${syntaxText}`, input.indexOf(syntaxText));
  }
  const optional = (keyword: string, field: 'superior' | 'equality' | 'ordering' | 'substr'): Record<string, string> => {
    const value = text(fields, keyword);
    return value === undefined ? {} : { [field]: value };
  };
  return {
    ...common(id, fields, extensions),
    ...optional('SUP', 'superior'),
    ...optional('EQUALITY', 'equality'),
    ...optional('ORDERING', 'ordering'),
    ...optional('SUBSTR', 'substr'),
    ...syntax,
    singleValue: flag(fields, 'SINGLE-VALUE'),
    collective: flag(fields, 'COLLECTIVE'),
    noUserModification: flag(fields, 'NO-USER-MODIFICATION'),
    usage,
  };
};

const OBJECT_CLASS: Record<string, Shape> = { ...COMMON, SUP: 'oids', ABSTRACT: 'flag', STRUCTURAL: 'flag', AUXILIARY: 'flag', MUST: 'oids', MAY: 'oids' };

export const parseObjectClass = (input: string): ObjectClassDefinition => {
  const { id, fields, extensions } = read(input, 'object class', OBJECT_CLASS, 'oid');
  const kinds = (['ABSTRACT', 'STRUCTURAL', 'AUXILIARY'] as const).filter((k) => flag(fields, k));
  if (kinds.length > 1) fail('object class', input, `more than one kind (${kinds.join(', ')})`, input.indexOf(kinds[1]!));
  const kind: ObjectClassKind = kinds[0] ?? 'STRUCTURAL';
  return { ...common(id, fields, extensions), superiors: list(fields, 'SUP'), kind, must: list(fields, 'MUST'), may: list(fields, 'MAY') };
};

export const parseMatchingRule = (input: string): MatchingRuleDefinition => {
  const { id, fields, extensions } = read(input, 'matching rule', { ...COMMON, SYNTAX: 'oid' }, 'oid');
  const syntax = text(fields, 'SYNTAX');
  if (syntax === undefined) fail('matching rule', input, 'SYNTAX is missing', input.length);
  return { ...common(id, fields, extensions), syntax };
};

export const parseMatchingRuleUse = (input: string): MatchingRuleUseDefinition => {
  const { id, fields, extensions } = read(input, 'matching rule use', { ...COMMON, APPLIES: 'oids' }, 'oid');
  if (!fields.has('APPLIES')) fail('matching rule use', input, 'APPLIES is missing', input.length);
  return { ...common(id, fields, extensions), applies: list(fields, 'APPLIES') };
};

export const parseLdapSyntax = (input: string): LdapSyntaxDefinition => {
  const { id, fields, extensions } = read(input, 'LDAP syntax', { DESC: 'qdstring' }, 'oid');
  const description = text(fields, 'DESC');
  return { oid: id, ...(description === undefined ? {} : { description }), extensions };
};

export const parseDitContentRule = (input: string): DitContentRuleDefinition => {
  const { id, fields, extensions } = read(input, 'DIT content rule', { ...COMMON, AUX: 'oids', MUST: 'oids', MAY: 'oids', NOT: 'oids' }, 'oid');
  return { ...common(id, fields, extensions), auxiliary: list(fields, 'AUX'), must: list(fields, 'MUST'), may: list(fields, 'MAY'), not: list(fields, 'NOT') };
};

const ruleId = (textValue: string, input: string): number => {
  if (!/^\d+$/.test(textValue)) fail('DIT structure rule', input, `rule ID ${textValue} is not a number`, Math.max(0, input.indexOf(textValue)));
  return Number(textValue);
};

export const parseDitStructureRule = (input: string): DitStructureRuleDefinition => {
  const { id, fields, extensions } = read(input, 'DIT structure rule', { ...COMMON, FORM: 'oid', SUP: 'ruleids' }, 'ruleid');
  const form = text(fields, 'FORM');
  if (form === undefined) fail('DIT structure rule', input, 'FORM is missing', input.length);
  const description = text(fields, 'DESC');
  return {
    ruleId: ruleId(id, input),
    names: list(fields, 'NAME'),
    ...(description === undefined ? {} : { description }),
    obsolete: flag(fields, 'OBSOLETE'),
    form,
    superiorRules: list(fields, 'SUP').map((rule) => ruleId(rule, input)),
    extensions,
  };
};

export const parseNameForm = (input: string): NameFormDefinition => {
  const { id, fields, extensions } = read(input, 'name form', { ...COMMON, OC: 'oid', MUST: 'oids', MAY: 'oids' }, 'oid');
  const objectClass = text(fields, 'OC');
  if (objectClass === undefined) fail('name form', input, 'OC is missing', input.length);
  if (!fields.has('MUST')) fail('name form', input, 'MUST is missing', input.length);
  return { ...common(id, fields, extensions), objectClass, must: list(fields, 'MUST'), may: list(fields, 'MAY') };
};
