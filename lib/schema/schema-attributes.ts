// A constant of its own file: the CommonJS build loads the schema model on first use, and its
// constants must not make every import load it (scripts/bundle-first-use.mjs).

/** The subschema attributes, in the order RFC 4512 §4.2 lists them. */
export const SCHEMA_ATTRIBUTES = [
  'attributeTypes',
  'objectClasses',
  'matchingRules',
  'matchingRuleUse',
  'ldapSyntaxes',
  'dITContentRules',
  'dITStructureRules',
  'nameForms',
] as const;
