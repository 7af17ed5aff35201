/**
 * What evaluation needs to know about attribute types without a schema: their other names and
 * OIDs (so `cn`, `commonName` and `2.5.4.3` are one attribute) and which matching rules apply.
 * Types not in the table are directory strings compared with the caseIgnore rules, which is what
 * most user attributes are. The table follows RFC 4519, RFC 4524, RFC 2307, RFC 4512 and common
 * Active Directory attributes, with one leniency: directory strings get caseIgnoreOrderingMatch
 * even where RFC 4519 declares no ORDERING rule, so `(cn>=m)` works in a schema-less directory.
 */

/** The matching rules of one attribute type, by name; an absent one makes that filter Undefined. */
export interface AttributeRules {
  readonly equality?: string;
  readonly ordering?: string;
  readonly substrings?: string;
}

const DIRECTORY_STRING: AttributeRules = {
  equality: 'caseIgnoreMatch', ordering: 'caseIgnoreOrderingMatch', substrings: 'caseIgnoreSubstringsMatch',
};
const OID: AttributeRules = { equality: 'objectIdentifierMatch' };
const OCTETS: AttributeRules = { equality: 'octetStringMatch' };
const INTEGER: AttributeRules = { equality: 'integerMatch', ordering: 'integerOrderingMatch' };
const TIME: AttributeRules = { equality: 'generalizedTimeMatch', ordering: 'generalizedTimeOrderingMatch' };
const PHONE: AttributeRules = { equality: 'telephoneNumberMatch', substrings: 'telephoneNumberSubstringsMatch' };
const DN: AttributeRules = { equality: 'distinguishedNameMatch' };
const IA5: AttributeRules = { equality: 'caseIgnoreIA5Match', substrings: 'caseIgnoreIA5SubstringsMatch' };

/** [names (first is canonical), OID or '', rules] */
type TypeRow = readonly [readonly string[], string, AttributeRules];
const UCL = '0.9.2342.19200300.100.1.'; // RFC 4519 / 4524 COSINE attributes
const NIS = '1.3.6.1.1.1.1.'; // RFC 2307

const TABLE: readonly TypeRow[] = [
  [['objectClass'], '2.5.4.0', OID],
  [['aliasedObjectName', 'aliasedEntryName'], '2.5.4.1', DN],
  [['cn', 'commonName'], '2.5.4.3', DIRECTORY_STRING],
  [['sn', 'surname'], '2.5.4.4', DIRECTORY_STRING],
  [['c', 'countryName'], '2.5.4.6', DIRECTORY_STRING],
  [['l', 'localityName'], '2.5.4.7', DIRECTORY_STRING],
  [['st', 'stateOrProvinceName'], '2.5.4.8', DIRECTORY_STRING],
  [['street', 'streetAddress'], '2.5.4.9', DIRECTORY_STRING],
  [['o', 'organizationName'], '2.5.4.10', DIRECTORY_STRING],
  [['ou', 'organizationalUnitName'], '2.5.4.11', DIRECTORY_STRING],
  [['title'], '2.5.4.12', DIRECTORY_STRING],
  [['description'], '2.5.4.13', DIRECTORY_STRING],
  [['telephoneNumber'], '2.5.4.20', PHONE],
  [['member'], '2.5.4.31', DN],
  [['owner'], '2.5.4.32', DN],
  [['roleOccupant'], '2.5.4.33', DN],
  [['seeAlso'], '2.5.4.34', DN],
  [['userPassword'], '2.5.4.35', OCTETS],
  [['givenName', 'gn'], '2.5.4.42', DIRECTORY_STRING],
  // nameAndOptionalUID; compared as a plain DN, which is what it is without the optional UID.
  [['uniqueMember'], '2.5.4.50', DN],
  [['createTimestamp'], '2.5.18.1', TIME],
  [['modifyTimestamp'], '2.5.18.2', TIME],
  [['creatorsName'], '2.5.18.3', DN],
  [['modifiersName'], '2.5.18.4', DN],
  [['subschemaSubentry'], '2.5.18.10', DN],
  [['uid', 'userid'], UCL + '1', DIRECTORY_STRING],
  [['mail', 'rfc822Mailbox'], UCL + '3', IA5],
  [['manager'], UCL + '10', DN],
  [['homePhone', 'homeTelephoneNumber'], UCL + '20', PHONE],
  [['secretary'], UCL + '21', DN],
  [['dc', 'domainComponent'], UCL + '25', IA5],
  [['mobile', 'mobileTelephoneNumber'], UCL + '41', PHONE],
  [['pager', 'pagerTelephoneNumber'], UCL + '42', PHONE],
  [['uidNumber'], NIS + '0', INTEGER],
  [['gidNumber'], NIS + '1', INTEGER],
  [['shadowLastChange'], NIS + '5', INTEGER],
  [['shadowMin'], NIS + '6', INTEGER],
  [['shadowMax'], NIS + '7', INTEGER],
  [['shadowWarning'], NIS + '8', INTEGER],
  [['shadowInactive'], NIS + '9', INTEGER],
  [['shadowExpire'], NIS + '10', INTEGER],
  [['shadowFlag'], NIS + '11', INTEGER],
  [['entryDN'], '1.3.6.1.1.20', DN],
  // Active Directory and OpenLDAP's memberof overlay; AD's integer flags for bitAnd / bitOr.
  [['memberOf'], '', DN],
  [['userAccountControl'], '', INTEGER],
  [['groupType'], '', INTEGER],
  [['sAMAccountType'], '', INTEGER],
  [['primaryGroupID'], '', INTEGER],
];

interface TypeInfo {
  readonly key: string;
  readonly rules: AttributeRules;
}

const BY_NAME = new Map<string, TypeInfo>();
for (const [names, oid, rules] of TABLE) {
  const info: TypeInfo = { key: names[0]!.toLowerCase(), rules };
  for (const name of names) BY_NAME.set(name.toLowerCase(), info);
  if (oid !== '') BY_NAME.set(oid, info);
}

/** An attribute description reduced to what comparison needs. */
export interface ParsedDescription {
  /** Lower-case canonical name of the type (its first name in the table, or the text given). */
  readonly key: string;
  /** Lower-case tagging options; `binary` is dropped, being a transfer option that names no subtype. */
  readonly options: readonly string[];
  readonly rules: AttributeRules;
}

// Attribute descriptions repeat endlessly across entries; remember the parsed form of each.
const CACHE = new Map<string, ParsedDescription>();
const CACHE_LIMIT = 4096;

export const parseDescription = (description: string): ParsedDescription => {
  const cached = CACHE.get(description);
  if (cached !== undefined) return cached;
  const [type = '', ...rest] = description.toLowerCase().split(';');
  const info = BY_NAME.get(type);
  const parsed: ParsedDescription = {
    key: info?.key ?? type,
    options: rest.filter((option) => option !== 'binary' && option !== ''),
    rules: info?.rules ?? DIRECTORY_STRING,
  };
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(description, parsed);
  return parsed;
};

/**
 * Whether an entry's attribute holds values a filter on `wanted` looks at (RFC 4512 §2.5):
 * the same type, and every option of the filter among the attribute's options, so `cn` sees
 * `cn;lang-en` but `cn;lang-en` does not see plain `cn`.
 */
export const describes = (wanted: ParsedDescription, actual: ParsedDescription): boolean =>
  wanted.key === actual.key && wanted.options.every((option) => actual.options.includes(option));
