/**
 * LDAP result codes: RFC 4511 §4.1.9 and Appendix A, plus the codes later RFCs registered with
 * IANA that rxldap's operations can receive (Cancel, assertion, proxied authorization, syncrepl).
 * Names are the ASN.1 identifiers; 35 (reserved for X.511's isLeaf) and 70 (reserved for CLDAP)
 * have none and are deliberately left out.
 */
export const ResultCode = {
  success: 0,
  operationsError: 1,
  protocolError: 2,
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  compareFalse: 5,
  compareTrue: 6,
  authMethodNotSupported: 7,
  strongerAuthRequired: 8,
  referral: 10,
  adminLimitExceeded: 11,
  unavailableCriticalExtension: 12,
  confidentialityRequired: 13,
  saslBindInProgress: 14,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  inappropriateMatching: 18,
  constraintViolation: 19,
  attributeOrValueExists: 20,
  invalidAttributeSyntax: 21,
  noSuchObject: 32,
  aliasProblem: 33,
  invalidDNSyntax: 34,
  aliasDereferencingProblem: 36,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  loopDetect: 54,
  namingViolation: 64,
  objectClassViolation: 65,
  notAllowedOnNonLeaf: 66,
  notAllowedOnRDN: 67,
  entryAlreadyExists: 68,
  objectClassModsProhibited: 69,
  affectsMultipleDSAs: 71,
  other: 80,
  /** RFC 3909 (Cancel) */
  canceled: 118,
  noSuchOperation: 119,
  tooLate: 120,
  cannotCancel: 121,
  /** RFC 4528 (Assertion control) */
  assertionFailed: 122,
  /** RFC 4370 (Proxied authorization control) */
  authorizationDenied: 123,
  /** RFC 4533 e-syncRefreshRequired: the syncrepl consumer must refresh (again). */
  syncRefreshRequired: 4096,
} as const;

export type ResultCodeName = keyof typeof ResultCode;
export type ResultCodeValue = (typeof ResultCode)[ResultCodeName];

const names = new Map<number, ResultCodeName>(
  (Object.keys(ResultCode) as ResultCodeName[]).map((name) => [ResultCode[name], name]),
);

/** Whether `code` is one of the codes in ResultCode. */
export const isKnownResultCode = (code: number): code is ResultCodeValue => names.has(code);

/** The ASN.1 name of a result code, or `unknown(<code>)` for a code rxldap does not know. */
export const resultCodeName = (code: number): string => names.get(code) ?? `unknown(${code})`;

/** The results that are not errors (RFC 4511 Appendix A.1's "non-error" codes). */
const nonErrors: ReadonlySet<number> = new Set([
  ResultCode.success,
  ResultCode.compareFalse,
  ResultCode.compareTrue,
  ResultCode.referral,
  ResultCode.saslBindInProgress,
]);

/**
 * False for the non-error results (success, compareFalse, compareTrue, referral,
 * saslBindInProgress); true for every other code, including codes rxldap does not know.
 */
export const isErrorResult = (code: number): boolean => !nonErrors.has(code);
