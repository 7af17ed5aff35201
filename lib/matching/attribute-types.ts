import type { StringPrep } from './string-prep';

/**
 * The well-known attribute types, for when no server schema is at hand: the names and OID that
 * mean the same type (so `cn`, `commonName` and `2.5.4.3` are one attribute) and the matching
 * rules RFC 4519 (user schema), RFC 4524 (COSINE), RFC 2798 (inetOrgPerson), RFC 4512
 * (operational), RFC 2307 (NIS), PKCS #9 and Active Directory give them. DN normalisation reads
 * the equality rule; filter evaluation reads all three. One table, so the two never disagree
 * about what a type is.
 */

/**
 * Matching rules by name (RFC 4517); an absent or undefined one means the type has no rule of
 * that kind (undefined is allowed so that rules derived from another type can be written as is).
 */
export interface AttributeRules {
  readonly equality?: string | undefined;
  readonly ordering?: string | undefined;
  readonly substrings?: string | undefined;
}

export interface AttributeType extends AttributeRules {
  /** The normalised (lower-case) canonical name: the type's first name in its RFC. */
  readonly name: string;
  /** Undefined for the few vendor types (Active Directory) known only by name here. */
  readonly oid: string | undefined;
}

const STRING: AttributeRules = { equality: 'caseIgnoreMatch', substrings: 'caseIgnoreSubstringsMatch' };
const ORDERED_STRING: AttributeRules = { ...STRING, ordering: 'caseIgnoreOrderingMatch' };
const IA5: AttributeRules = { equality: 'caseIgnoreIA5Match', substrings: 'caseIgnoreIA5SubstringsMatch' };
const LIST: AttributeRules = { equality: 'caseIgnoreListMatch', substrings: 'caseIgnoreListSubstringsMatch' };
const NUMERIC: AttributeRules = { equality: 'numericStringMatch', substrings: 'numericStringSubstringsMatch' };
const PHONE: AttributeRules = { equality: 'telephoneNumberMatch', substrings: 'telephoneNumberSubstringsMatch' };
const OID: AttributeRules = { equality: 'objectIdentifierMatch' };
const OCTETS: AttributeRules = { equality: 'octetStringMatch' };
const INTEGER: AttributeRules = { equality: 'integerMatch', ordering: 'integerOrderingMatch' };
const TIME: AttributeRules = { equality: 'generalizedTimeMatch', ordering: 'generalizedTimeOrderingMatch' };
const DN_SYNTAX: AttributeRules = { equality: 'distinguishedNameMatch' };

/** [names (the first is canonical), OID or '', rules] */
/** Names first (the first is canonical, so there is always one), then the OID, then the rules. */
type Row = readonly [readonly [string, ...string[]], string, AttributeRules];
const X520 = '2.5.4.'; // RFC 4519
const UCL = '0.9.2342.19200300.100.1.'; // RFC 4519 / RFC 4524 (COSINE)
const NIS = '1.3.6.1.1.1.1.'; // RFC 2307
const NETSCAPE = '2.16.840.1.113730.3.1.'; // RFC 2798

const TABLE: readonly Row[] = [
  [['objectClass'], X520 + '0', OID],
  [['aliasedObjectName', 'aliasedEntryName'], X520 + '1', DN_SYNTAX],
  [['cn', 'commonName'], X520 + '3', STRING],
  [['sn', 'surname'], X520 + '4', STRING],
  [['serialNumber'], X520 + '5', STRING],
  [['c', 'countryName'], X520 + '6', STRING],
  [['l', 'localityName'], X520 + '7', STRING],
  [['st', 'stateOrProvinceName'], X520 + '8', STRING],
  [['street', 'streetAddress'], X520 + '9', STRING],
  [['o', 'organizationName'], X520 + '10', STRING],
  [['ou', 'organizationalUnitName'], X520 + '11', STRING],
  [['title'], X520 + '12', STRING],
  [['description'], X520 + '13', STRING],
  [['businessCategory'], X520 + '15', STRING],
  [['postalAddress'], X520 + '16', LIST],
  [['postalCode'], X520 + '17', STRING],
  [['postOfficeBox'], X520 + '18', STRING],
  [['physicalDeliveryOfficeName'], X520 + '19', STRING],
  [['telephoneNumber'], X520 + '20', PHONE],
  [['x121Address'], X520 + '24', NUMERIC],
  [['internationaliSDNNumber'], X520 + '25', NUMERIC],
  [['destinationIndicator'], X520 + '27', STRING],
  [['member'], X520 + '31', DN_SYNTAX],
  [['owner'], X520 + '32', DN_SYNTAX],
  [['roleOccupant'], X520 + '33', DN_SYNTAX],
  [['seeAlso'], X520 + '34', DN_SYNTAX],
  [['userPassword'], X520 + '35', OCTETS],
  [['name'], X520 + '41', STRING],
  [['givenName', 'gn'], X520 + '42', STRING],
  [['initials'], X520 + '43', STRING],
  [['generationQualifier'], X520 + '44', STRING],
  [['dnQualifier'], X520 + '46', ORDERED_STRING],
  // RFC 4519 gives uniqueMember uniqueMemberMatch (a DN and an optional UID); without the
  // optional UID that is distinguishedNameMatch, which is what values carry in practice.
  [['uniqueMember'], X520 + '50', DN_SYNTAX],
  [['houseIdentifier'], X520 + '51', STRING],
  [['createTimestamp'], '2.5.18.1', TIME],
  [['modifyTimestamp'], '2.5.18.2', TIME],
  [['creatorsName'], '2.5.18.3', DN_SYNTAX],
  [['modifiersName'], '2.5.18.4', DN_SYNTAX],
  [['subschemaSubentry'], '2.5.18.10', DN_SYNTAX],
  [['uid', 'userid'], UCL + '1', STRING],
  [['mail', 'rfc822Mailbox'], UCL + '3', IA5],
  [['manager'], UCL + '10', DN_SYNTAX],
  [['homePhone', 'homeTelephoneNumber'], UCL + '20', PHONE],
  [['secretary'], UCL + '21', DN_SYNTAX],
  [['dc', 'domainComponent'], UCL + '25', IA5],
  [['mobile', 'mobileTelephoneNumber'], UCL + '41', PHONE],
  [['pager', 'pagerTelephoneNumber'], UCL + '42', PHONE],
  [['employeeNumber'], NETSCAPE + '3', STRING],
  [['displayName'], NETSCAPE + '241', STRING],
  // PKCS #9, common in certificate subjects; an IA5String, matched as OpenLDAP's core.schema does.
  [['emailAddress'], '1.2.840.113549.1.9.1', IA5],
  [['uidNumber'], NIS + '0', INTEGER],
  [['gidNumber'], NIS + '1', INTEGER],
  [['shadowLastChange'], NIS + '5', INTEGER],
  [['shadowMin'], NIS + '6', INTEGER],
  [['shadowMax'], NIS + '7', INTEGER],
  [['shadowWarning'], NIS + '8', INTEGER],
  [['shadowInactive'], NIS + '9', INTEGER],
  [['shadowExpire'], NIS + '10', INTEGER],
  [['shadowFlag'], NIS + '11', INTEGER],
  [['entryDN'], '1.3.6.1.1.20', DN_SYNTAX], // RFC 5020
  // Active Directory and OpenLDAP's memberof overlay; AD's integer flags for bitAnd / bitOr.
  [['memberOf'], '', DN_SYNTAX],
  [['userAccountControl'], '', INTEGER],
  [['groupType'], '', INTEGER],
  [['sAMAccountType'], '', INTEGER],
  [['primaryGroupID'], '', INTEGER],
];

/** Keyed by lower-cased name and synonym, and by OID. */
const BY_KEY = new Map<string, AttributeType>();
for (const [names, oid, rules] of TABLE) {
  const type: AttributeType = { name: names[0].toLowerCase(), oid: oid === '' ? undefined : oid, ...rules };
  for (const key of names) BY_KEY.set(key.toLowerCase(), type);
  if (oid !== '') BY_KEY.set(oid, type);
}

/** The known type `type` names (any case, any synonym, or its OID), if any. */
export function lookupAttributeType(type: string): AttributeType | undefined {
  return BY_KEY.get(type.toLowerCase());
}

/** The RFC 4518 preparation an equality rule compares with, or undefined for a non-string rule. */
export function stringPrepOf(equality: string | undefined): StringPrep | undefined {
  switch (equality) {
    case 'caseIgnoreMatch':
    case 'caseIgnoreIA5Match':
    case 'caseIgnoreListMatch':
      return 'caseIgnore';
    case 'caseExactMatch':
    case 'caseExactIA5Match':
      return 'caseExact';
    case 'telephoneNumberMatch':
      return 'telephoneNumber';
    case 'numericStringMatch':
      return 'numericString';
    default:
      return undefined;
  }
}
