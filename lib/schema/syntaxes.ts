/** The LDAP syntax OIDs typed values are keyed by (RFC 4517 unless noted). */
const RFC4517 = '1.3.6.1.4.1.1466.115.121.1.';

export const Syntax = {
  boolean: `${RFC4517}7`,
  integer: `${RFC4517}27`,
  generalizedTime: `${RFC4517}24`,
  utcTime: `${RFC4517}53`,
  dn: `${RFC4517}12`,
  nameAndOptionalUid: `${RFC4517}34`,
  oid: `${RFC4517}38`,
  octetString: `${RFC4517}40`,
  binary: `${RFC4517}5`,
  certificate: `${RFC4517}8`,
  certificateList: `${RFC4517}9`,
  certificatePair: `${RFC4517}10`,
  jpeg: `${RFC4517}28`,
  supportedAlgorithm: `${RFC4517}49`,
  directoryString: `${RFC4517}15`,
  ia5String: `${RFC4517}26`,
  printableString: `${RFC4517}44`,
  numericString: `${RFC4517}36`,
  telephoneNumber: `${RFC4517}50`,
  /** RFC 4530: entryUUID. */
  uuid: '1.3.6.1.1.16.1',
  /** Active Directory's 64-bit integers (LargeInteger). */
  adLargeInteger: '1.2.840.113556.1.4.906',
  /** Active Directory's NT security descriptor: binary. */
  adSecurityDescriptor: '1.2.840.113556.1.4.907',
} as const;

export type SyntaxName = keyof typeof Syntax;
