import { SchemaSyntaxError } from '../errors/schema';
import type { PartialAttribute } from '../protocol/types';
import type { SchemaAttribute, SchemaDefinitions } from './definitions';
import { SCHEMA_ATTRIBUTES } from './definitions';
import {
  parseAttributeType,
  parseDitContentRule,
  parseDitStructureRule,
  parseLdapSyntax,
  parseMatchingRule,
  parseMatchingRuleUse,
  parseNameForm,
  parseObjectClass,
} from './parse-definition';
import { Schema, type SchemaProblem } from './schema';

/** The definitions as text, by subschema attribute (one value or several). */
export type SchemaText = Partial<Record<SchemaAttribute, string | readonly string[]>>;

/** A subschema subentry as read: a SearchEntry, or any `{ attributes }` in the wire form. */
export interface SubschemaEntry {
  readonly attributes: readonly PartialAttribute[];
}

export interface ParseSchemaOptions {
  /**
   * Throw the first SchemaSyntaxError (default false: a definition that does not parse is left
   * out and reported in `schema.problems`, so one vendor quirk does not cost the whole schema).
   */
  strict?: boolean;
  /** Kept in the schema's JSON (the server's vendor and version, say). */
  source?: string;
}

const BY_LOWER_NAME = new Map<string, SchemaAttribute>(SCHEMA_ATTRIBUTES.map((name) => [name.toLowerCase(), name]));

const isEntry = (input: SubschemaEntry | SchemaText): input is SubschemaEntry => 'attributes' in input && Array.isArray((input).attributes);

/** The subschema attributes' values as text, whatever case the server spelled the names in. */
const textOf = (input: SubschemaEntry | SchemaText): Map<SchemaAttribute, string[]> => {
  const values = new Map<SchemaAttribute, string[]>();
  const add = (name: string, texts: readonly string[]): void => {
    const attribute = BY_LOWER_NAME.get(name.toLowerCase().split(';')[0]!);
    if (attribute !== undefined) values.set(attribute, [...(values.get(attribute) ?? []), ...texts]);
  };
  if (isEntry(input)) {
    for (const attribute of input.attributes) add(attribute.type, attribute.vals.map((v) => v.toString('utf8')));
  } else {
    for (const [name, value] of Object.entries(input)) {
      if (value !== undefined) add(name, typeof value === 'string' ? [value] : value);
    }
  }
  return values;
};

/**
 * Parses every RFC 4512 definition of a subschema subentry (or of text given by attribute
 * name) into a Schema. Pure: no client needed, so a schema can be built from a file or a test.
 */
export const parseSchema = (input: SubschemaEntry | SchemaText, options: ParseSchemaOptions = {}): Schema => {
  const texts = textOf(input);
  const problems: SchemaProblem[] = [];
  const all = <T>(attribute: SchemaAttribute, parse: (text: string) => T): T[] => {
    const parsed: T[] = [];
    for (const text of texts.get(attribute) ?? []) {
      try {
        parsed.push(parse(text));
      } catch (error) {
        if (options.strict === true || !(error instanceof SchemaSyntaxError)) throw error;
        problems.push({ kind: 'definition', element: text, message: error.message });
      }
    }
    return parsed;
  };
  const definitions: SchemaDefinitions = {
    attributeTypes: all('attributeTypes', parseAttributeType),
    objectClasses: all('objectClasses', parseObjectClass),
    matchingRules: all('matchingRules', parseMatchingRule),
    matchingRuleUse: all('matchingRuleUse', parseMatchingRuleUse),
    ldapSyntaxes: all('ldapSyntaxes', parseLdapSyntax),
    dITContentRules: all('dITContentRules', parseDitContentRule),
    dITStructureRules: all('dITStructureRules', parseDitStructureRule),
    nameForms: all('nameForms', parseNameForm),
  };
  return new Schema(definitions, { problems, ...(options.source === undefined ? {} : { source: options.source }) });
};
