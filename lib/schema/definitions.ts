/**
 * The eight kinds of RFC 4512 §4.1 schema descriptions as plain data: what one value of
 * attributeTypes, objectClasses, … says, field by field, with nothing resolved. Plain data so a
 * schema saves to JSON and loads back unchanged (see Schema.toJSON). Optional fields are absent
 * (never undefined) when the description leaves them out.
 */

/** `X-ORIGIN`, `X-ORDERED`, … : each extension's qdstrings, keyed as written (upper case by convention). */
export type SchemaExtensions = Readonly<Record<string, readonly string[]>>;

/** What every description except DIT structure rules starts with. */
export interface SchemaElementDefinition {
  /** The numeric OID (or, from lenient servers such as 389-ds, a `name-oid` placeholder). */
  readonly oid: string;
  /** NAME descriptors in the order given; the first is the one the schema calls it by. */
  readonly names: readonly string[];
  readonly description?: string;
  readonly obsolete: boolean;
  readonly extensions: SchemaExtensions;
}

/** RFC 4512 §2.5.2's USAGE values. */
export type AttributeUsage = 'userApplications' | 'directoryOperation' | 'distributedOperation' | 'dSAOperation';

export interface AttributeTypeDefinition extends SchemaElementDefinition {
  /** SUP: the supertype, by name or OID. */
  readonly superior?: string;
  readonly equality?: string;
  readonly ordering?: string;
  readonly substr?: string;
  /** SYNTAX's numeric OID (without the `{length}` bound). */
  readonly syntax?: string;
  /** SYNTAX's `{length}` bound, when given. */
  readonly syntaxLength?: number;
  readonly singleValue: boolean;
  readonly collective: boolean;
  readonly noUserModification: boolean;
  readonly usage: AttributeUsage;
}

export type ObjectClassKind = 'ABSTRACT' | 'STRUCTURAL' | 'AUXILIARY';

export interface ObjectClassDefinition extends SchemaElementDefinition {
  readonly superiors: readonly string[];
  /** STRUCTURAL when the description names no kind (RFC 4512 §4.1.1). */
  readonly kind: ObjectClassKind;
  readonly must: readonly string[];
  readonly may: readonly string[];
}

export interface MatchingRuleDefinition extends SchemaElementDefinition {
  /** The assertion syntax's OID. */
  readonly syntax: string;
}

export interface MatchingRuleUseDefinition extends SchemaElementDefinition {
  /** The attribute types the rule applies to. */
  readonly applies: readonly string[];
}

/** An LDAP syntax: RFC 4512 §4.1.5 gives it no NAME and no OBSOLETE. */
export interface LdapSyntaxDefinition {
  readonly oid: string;
  readonly description?: string;
  readonly extensions: SchemaExtensions;
}

export interface DitContentRuleDefinition extends SchemaElementDefinition {
  /** The structural object class this rule is for (the rule's OID is the class's). */
  readonly auxiliary: readonly string[];
  readonly must: readonly string[];
  readonly may: readonly string[];
  readonly not: readonly string[];
}

/** A DIT structure rule is numbered, not OID-named (RFC 4512 §4.1.7.1). */
export interface DitStructureRuleDefinition {
  readonly ruleId: number;
  readonly names: readonly string[];
  readonly description?: string;
  readonly obsolete: boolean;
  /** FORM: the name form it governs. */
  readonly form: string;
  readonly superiorRules: readonly number[];
  readonly extensions: SchemaExtensions;
}

export interface NameFormDefinition extends SchemaElementDefinition {
  /** OC: the structural object class it names. */
  readonly objectClass: string;
  readonly must: readonly string[];
  readonly may: readonly string[];
}

/** Every definition of a subschema subentry, by the attribute that holds it. */
export interface SchemaDefinitions {
  readonly attributeTypes: readonly AttributeTypeDefinition[];
  readonly objectClasses: readonly ObjectClassDefinition[];
  readonly matchingRules: readonly MatchingRuleDefinition[];
  readonly matchingRuleUse: readonly MatchingRuleUseDefinition[];
  readonly ldapSyntaxes: readonly LdapSyntaxDefinition[];
  readonly dITContentRules: readonly DitContentRuleDefinition[];
  readonly dITStructureRules: readonly DitStructureRuleDefinition[];
  readonly nameForms: readonly NameFormDefinition[];
}

export { SCHEMA_ATTRIBUTES } from './schema-attributes';
import type { SCHEMA_ATTRIBUTES } from './schema-attributes';

export type SchemaAttribute = (typeof SCHEMA_ATTRIBUTES)[number];
