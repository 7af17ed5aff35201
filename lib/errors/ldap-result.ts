import { RxLdapError } from './base';
import { ResultCode, resultCodeName } from './result-codes';

/** What an LdapError carries besides its code; every field is optional when raising one by hand. */
/**
 * A response control as an LdapError holds it: each is one of rxldap's typed `Control`s
 * (narrow on `type`, e.g. 'passwordPolicyResponse'); errors/ sits below the protocol layer
 * that defines them, so only their common shape is named here.
 */
export interface ResponseControl {
  readonly type: string;
  readonly oid: string;
  readonly criticality: boolean;
}

export interface LdapErrorDetails {
  /** The response controls of the failed operation's final response. */
  controls?: readonly ResponseControl[];
  matchedDN?: string;
  diagnosticMessage?: string;
  /** The LDAP URLs of a referral result. */
  referral?: string[];
  /** The messageID of the request that failed. */
  messageId?: number;
  cause?: unknown;
}

/**
 * An operation ended with a result code that is an error (or, for ReferralError, with a result
 * the client chose not to follow). The message reads
 * `noSuchObject (32): <diagnosticMessage> [matched: <matchedDN>]`, leaving out the parts that
 * are empty.
 */
export class LdapError extends RxLdapError {
  readonly code: number;
  /** The ASN.1 name of `code`, or `unknown(<code>)`. */
  readonly codeName: string;
  readonly matchedDN: string;
  readonly diagnosticMessage: string;
  readonly referral?: string[];
  readonly messageId?: number;
  /** The response controls that came with the failure (a password policy response, say). */
  readonly controls: readonly ResponseControl[];

  constructor(code: number, details: LdapErrorDetails = {}) {
    const codeName = resultCodeName(code);
    const matchedDN = details.matchedDN ?? '';
    const diagnosticMessage = details.diagnosticMessage ?? '';
    let message = `${codeName} (${code})`;
    if (diagnosticMessage !== '') message += `: ${diagnosticMessage}`;
    if (matchedDN !== '') message += ` [matched: ${matchedDN}]`;
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.codeName = codeName;
    this.matchedDN = matchedDN;
    this.diagnosticMessage = diagnosticMessage;
    if (details.referral !== undefined) this.referral = details.referral;
    if (details.messageId !== undefined) this.messageId = details.messageId;
    this.controls = details.controls ?? [];
  }
}

/**
 * The base of the one-class-per-result-code family: each subclass fixes its code in a
 * `static readonly code`, so it is raised with only the details.
 */
export abstract class CodedLdapError extends LdapError {
  declare static readonly code: number;
  constructor(details: LdapErrorDetails = {}) {
    super((new.target as unknown as { readonly code: number }).code, details);
  }
}

/** A CodedLdapError subclass, as errorClassForCode (and so errorFromResult) picks it. */
export type LdapErrorClass = (new (details?: LdapErrorDetails) => CodedLdapError) & { readonly code: number };

// One class per error result code; declared one by one so `instanceof` works and .d.ts lists them.

/** 1 */
export class OperationsError extends CodedLdapError { static override readonly code = ResultCode.operationsError; }
/** 2: the server says the request broke the protocol (the transport-level failure is ProtocolError). */
export class LdapProtocolError extends CodedLdapError { static override readonly code = ResultCode.protocolError; }
/** 3 */
export class TimeLimitExceededError extends CodedLdapError { static override readonly code = ResultCode.timeLimitExceeded; }
/** 4 */
export class SizeLimitExceededError extends CodedLdapError { static override readonly code = ResultCode.sizeLimitExceeded; }
/** 7 */
export class AuthMethodNotSupportedError extends CodedLdapError { static override readonly code = ResultCode.authMethodNotSupported; }
/** 8 */
export class StrongerAuthRequiredError extends CodedLdapError { static override readonly code = ResultCode.strongerAuthRequired; }
/** 10: not an error code, raised when the client does not chase a referral; see `referral`. */
export class ReferralError extends CodedLdapError { static override readonly code = ResultCode.referral; }
/** 11 */
export class AdminLimitExceededError extends CodedLdapError { static override readonly code = ResultCode.adminLimitExceeded; }
/** 12 */
export class UnavailableCriticalExtensionError extends CodedLdapError { static override readonly code = ResultCode.unavailableCriticalExtension; }
/** 13 */
export class ConfidentialityRequiredError extends CodedLdapError { static override readonly code = ResultCode.confidentialityRequired; }
/** 16 */
export class NoSuchAttributeError extends CodedLdapError { static override readonly code = ResultCode.noSuchAttribute; }
/** 17 */
export class UndefinedAttributeTypeError extends CodedLdapError { static override readonly code = ResultCode.undefinedAttributeType; }
/** 18 */
export class InappropriateMatchingError extends CodedLdapError { static override readonly code = ResultCode.inappropriateMatching; }
/** 19 */
export class ConstraintViolationError extends CodedLdapError { static override readonly code = ResultCode.constraintViolation; }
/** 20 */
export class AttributeOrValueExistsError extends CodedLdapError { static override readonly code = ResultCode.attributeOrValueExists; }
/** 21 */
export class InvalidAttributeSyntaxError extends CodedLdapError { static override readonly code = ResultCode.invalidAttributeSyntax; }
/** 32 */
export class NoSuchObjectError extends CodedLdapError { static override readonly code = ResultCode.noSuchObject; }
/** 33 */
export class AliasProblemError extends CodedLdapError { static override readonly code = ResultCode.aliasProblem; }
/** 34 */
export class InvalidDNSyntaxError extends CodedLdapError { static override readonly code = ResultCode.invalidDNSyntax; }
/** 36 */
export class AliasDereferencingProblemError extends CodedLdapError { static override readonly code = ResultCode.aliasDereferencingProblem; }
/** 48 */
export class InappropriateAuthenticationError extends CodedLdapError { static override readonly code = ResultCode.inappropriateAuthentication; }
/** 49 */
export class InvalidCredentialsError extends CodedLdapError { static override readonly code = ResultCode.invalidCredentials; }
/** 50 */
export class InsufficientAccessRightsError extends CodedLdapError { static override readonly code = ResultCode.insufficientAccessRights; }
/** 51 */
export class BusyError extends CodedLdapError { static override readonly code = ResultCode.busy; }
/** 52 */
export class UnavailableError extends CodedLdapError { static override readonly code = ResultCode.unavailable; }
/** 53 */
export class UnwillingToPerformError extends CodedLdapError { static override readonly code = ResultCode.unwillingToPerform; }
/** 54 */
export class LoopDetectError extends CodedLdapError { static override readonly code = ResultCode.loopDetect; }
/** 64 */
export class NamingViolationError extends CodedLdapError { static override readonly code = ResultCode.namingViolation; }
/** 65 */
export class ObjectClassViolationError extends CodedLdapError { static override readonly code = ResultCode.objectClassViolation; }
/** 66 */
export class NotAllowedOnNonLeafError extends CodedLdapError { static override readonly code = ResultCode.notAllowedOnNonLeaf; }
/** 67 */
export class NotAllowedOnRDNError extends CodedLdapError { static override readonly code = ResultCode.notAllowedOnRDN; }
/** 68 */
export class EntryAlreadyExistsError extends CodedLdapError { static override readonly code = ResultCode.entryAlreadyExists; }
/** 69 */
export class ObjectClassModsProhibitedError extends CodedLdapError { static override readonly code = ResultCode.objectClassModsProhibited; }
/** 71 */
export class AffectsMultipleDSAsError extends CodedLdapError { static override readonly code = ResultCode.affectsMultipleDSAs; }
/** 80 */
export class OtherError extends CodedLdapError { static override readonly code = ResultCode.other; }
/** 118 (RFC 3909): the operation was canceled; it is also how a cancelled operation ends. */
export class CanceledError extends CodedLdapError { static override readonly code = ResultCode.canceled; }
/** 119 (RFC 3909) */
export class NoSuchOperationError extends CodedLdapError { static override readonly code = ResultCode.noSuchOperation; }
/** 120 (RFC 3909) */
export class TooLateError extends CodedLdapError { static override readonly code = ResultCode.tooLate; }
/** 121 (RFC 3909) */
export class CannotCancelError extends CodedLdapError { static override readonly code = ResultCode.cannotCancel; }
/** 122 (RFC 4528) */
export class AssertionFailedError extends CodedLdapError { static override readonly code = ResultCode.assertionFailed; }
/** 123 (RFC 4370) */
export class AuthorizationDeniedError extends CodedLdapError { static override readonly code = ResultCode.authorizationDenied; }
/** 4096 (RFC 4533 e-syncRefreshRequired) */
export class SyncRefreshRequiredError extends CodedLdapError { static override readonly code = ResultCode.syncRefreshRequired; }

const classes: readonly LdapErrorClass[] = [
  OperationsError,
  LdapProtocolError,
  TimeLimitExceededError,
  SizeLimitExceededError,
  AuthMethodNotSupportedError,
  StrongerAuthRequiredError,
  ReferralError,
  AdminLimitExceededError,
  UnavailableCriticalExtensionError,
  ConfidentialityRequiredError,
  NoSuchAttributeError,
  UndefinedAttributeTypeError,
  InappropriateMatchingError,
  ConstraintViolationError,
  AttributeOrValueExistsError,
  InvalidAttributeSyntaxError,
  NoSuchObjectError,
  AliasProblemError,
  InvalidDNSyntaxError,
  AliasDereferencingProblemError,
  InappropriateAuthenticationError,
  InvalidCredentialsError,
  InsufficientAccessRightsError,
  BusyError,
  UnavailableError,
  UnwillingToPerformError,
  LoopDetectError,
  NamingViolationError,
  ObjectClassViolationError,
  NotAllowedOnNonLeafError,
  NotAllowedOnRDNError,
  EntryAlreadyExistsError,
  ObjectClassModsProhibitedError,
  AffectsMultipleDSAsError,
  OtherError,
  CanceledError,
  NoSuchOperationError,
  TooLateError,
  CannotCancelError,
  AssertionFailedError,
  AuthorizationDeniedError,
  SyncRefreshRequiredError,
];

const byCode = new Map<number, LdapErrorClass>(classes.map((cls) => [cls.code, cls]));

/** The class errorFromResult uses for a code, or undefined when it falls back to LdapError. */
export const errorClassForCode = (code: number): LdapErrorClass | undefined => byCode.get(code);
