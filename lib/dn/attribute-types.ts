/**
 * What DN comparison needs to know about the attribute types that commonly name entries: the
 * short name a normalised DN uses, the OID and long-name synonyms that mean the same type, and
 * the equality matching rule that decides when two values are the same.
 *
 * Sources: RFC 4519 (user schema), RFC 4524 (COSINE), RFC 2798 (inetOrgPerson), PKCS #9
 * (emailAddress, common in certificate subjects). Without a server schema this is a best guess;
 * a type not listed here compares case-insensitively.
 */

/**
 * - caseIgnore: RFC 4518 preparation with case folding and insignificant-space handling
 *   (caseIgnoreMatch, caseIgnoreIA5Match, caseIgnoreListMatch).
 * - telephoneNumber: like caseIgnore, but every space and hyphen is insignificant.
 * - numericString: no case folding; every space is insignificant.
 */
export type MatchingRule = 'caseIgnore' | 'telephoneNumber' | 'numericString';

export interface KnownAttributeType {
  /** The normalised (lower-case) short name. */
  readonly name: string;
  readonly oid: string;
  readonly rule: MatchingRule;
}

// [short name, OID, matching rule, ...synonyms]
const TABLE: ReadonlyArray<readonly [string, string, MatchingRule, ...string[]]> = [
  ['cn', '2.5.4.3', 'caseIgnore', 'commonName'],
  ['sn', '2.5.4.4', 'caseIgnore', 'surname'],
  ['serialNumber', '2.5.4.5', 'caseIgnore'],
  ['c', '2.5.4.6', 'caseIgnore', 'countryName'],
  ['l', '2.5.4.7', 'caseIgnore', 'localityName'],
  ['st', '2.5.4.8', 'caseIgnore', 'stateOrProvinceName'],
  ['street', '2.5.4.9', 'caseIgnore', 'streetAddress'],
  ['o', '2.5.4.10', 'caseIgnore', 'organizationName'],
  ['ou', '2.5.4.11', 'caseIgnore', 'organizationalUnitName'],
  ['title', '2.5.4.12', 'caseIgnore'],
  ['description', '2.5.4.13', 'caseIgnore'],
  ['businessCategory', '2.5.4.15', 'caseIgnore'],
  ['postalAddress', '2.5.4.16', 'caseIgnore'],
  ['postalCode', '2.5.4.17', 'caseIgnore'],
  ['postOfficeBox', '2.5.4.18', 'caseIgnore'],
  ['physicalDeliveryOfficeName', '2.5.4.19', 'caseIgnore'],
  ['telephoneNumber', '2.5.4.20', 'telephoneNumber'],
  ['x121Address', '2.5.4.24', 'numericString'],
  ['internationaliSDNNumber', '2.5.4.25', 'numericString'],
  ['destinationIndicator', '2.5.4.27', 'caseIgnore'],
  ['name', '2.5.4.41', 'caseIgnore'],
  ['givenName', '2.5.4.42', 'caseIgnore', 'gn'],
  ['initials', '2.5.4.43', 'caseIgnore'],
  ['generationQualifier', '2.5.4.44', 'caseIgnore'],
  ['dnQualifier', '2.5.4.46', 'caseIgnore'],
  ['houseIdentifier', '2.5.4.51', 'caseIgnore'],
  ['uid', '0.9.2342.19200300.100.1.1', 'caseIgnore', 'userid'],
  ['mail', '0.9.2342.19200300.100.1.3', 'caseIgnore', 'rfc822Mailbox'],
  ['homePhone', '0.9.2342.19200300.100.1.20', 'telephoneNumber', 'homeTelephoneNumber'],
  ['dc', '0.9.2342.19200300.100.1.25', 'caseIgnore', 'domainComponent'],
  ['mobile', '0.9.2342.19200300.100.1.41', 'telephoneNumber', 'mobileTelephoneNumber'],
  ['pager', '0.9.2342.19200300.100.1.42', 'telephoneNumber', 'pagerTelephoneNumber'],
  ['employeeNumber', '2.16.840.1.113730.3.1.3', 'caseIgnore'],
  ['displayName', '2.16.840.1.113730.3.1.241', 'caseIgnore'],
  ['emailAddress', '1.2.840.113549.1.9.1', 'caseIgnore'],
];

/** Keyed by lower-cased name, lower-cased synonym and OID. */
const BY_KEY = new Map<string, KnownAttributeType>();
for (const [name, oid, rule, ...synonyms] of TABLE) {
  const info: KnownAttributeType = { name: name.toLowerCase(), oid, rule };
  for (const key of [name, oid, ...synonyms]) BY_KEY.set(key.toLowerCase(), info);
}

/** The known type `type` names (any case, any synonym, or its OID), if any. */
export function lookupAttributeType(type: string): KnownAttributeType | undefined {
  return BY_KEY.get(type.toLowerCase());
}
