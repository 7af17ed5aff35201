import { expect } from 'chai';
import { RxLdapError, ProtocolError } from '../../../lib/errors';
import * as errors from '../../../lib/errors/ldap-result';
import {
  AdminLimitExceededError, AffectsMultipleDSAsError, AliasDereferencingProblemError, AliasProblemError,
  AssertionFailedError, AttributeOrValueExistsError, AuthMethodNotSupportedError, AuthorizationDeniedError,
  BusyError, CanceledError, CannotCancelError, CodedLdapError, ConfidentialityRequiredError,
  ConstraintViolationError, EntryAlreadyExistsError, InappropriateAuthenticationError,
  InappropriateMatchingError, InsufficientAccessRightsError, InvalidAttributeSyntaxError,
  InvalidCredentialsError, InvalidDNSyntaxError, LdapError, LdapProtocolError, LoopDetectError,
  NamingViolationError, NoSuchAttributeError, NoSuchObjectError, NoSuchOperationError,
  NotAllowedOnNonLeafError, NotAllowedOnRDNError, ObjectClassModsProhibitedError,
  ObjectClassViolationError, OperationsError, OtherError, ReferralError, SizeLimitExceededError,
  StrongerAuthRequiredError, SyncRefreshRequiredError, TimeLimitExceededError, TooLateError,
  UnavailableCriticalExtensionError, UnavailableError, UndefinedAttributeTypeError,
  UnwillingToPerformError, errorClassForCode,
} from '../../../lib/errors/ldap-result';
import type { LdapErrorClass } from '../../../lib/errors/ldap-result';
import { ResultCode, isErrorResult } from '../../../lib/errors/result-codes';
import { errorFromResult } from '../../../lib/protocol/error-from-result';
import type { LdapResult } from '../../../lib/protocol/types';

// [code, class, class name, code name], written out by hand so a mix-up in the source shows.
const table: Array<[number, LdapErrorClass, string, string]> = [
  [1, OperationsError, 'OperationsError', 'operationsError'],
  [2, LdapProtocolError, 'LdapProtocolError', 'protocolError'],
  [3, TimeLimitExceededError, 'TimeLimitExceededError', 'timeLimitExceeded'],
  [4, SizeLimitExceededError, 'SizeLimitExceededError', 'sizeLimitExceeded'],
  [7, AuthMethodNotSupportedError, 'AuthMethodNotSupportedError', 'authMethodNotSupported'],
  [8, StrongerAuthRequiredError, 'StrongerAuthRequiredError', 'strongerAuthRequired'],
  [10, ReferralError, 'ReferralError', 'referral'],
  [11, AdminLimitExceededError, 'AdminLimitExceededError', 'adminLimitExceeded'],
  [12, UnavailableCriticalExtensionError, 'UnavailableCriticalExtensionError', 'unavailableCriticalExtension'],
  [13, ConfidentialityRequiredError, 'ConfidentialityRequiredError', 'confidentialityRequired'],
  [16, NoSuchAttributeError, 'NoSuchAttributeError', 'noSuchAttribute'],
  [17, UndefinedAttributeTypeError, 'UndefinedAttributeTypeError', 'undefinedAttributeType'],
  [18, InappropriateMatchingError, 'InappropriateMatchingError', 'inappropriateMatching'],
  [19, ConstraintViolationError, 'ConstraintViolationError', 'constraintViolation'],
  [20, AttributeOrValueExistsError, 'AttributeOrValueExistsError', 'attributeOrValueExists'],
  [21, InvalidAttributeSyntaxError, 'InvalidAttributeSyntaxError', 'invalidAttributeSyntax'],
  [32, NoSuchObjectError, 'NoSuchObjectError', 'noSuchObject'],
  [33, AliasProblemError, 'AliasProblemError', 'aliasProblem'],
  [34, InvalidDNSyntaxError, 'InvalidDNSyntaxError', 'invalidDNSyntax'],
  [36, AliasDereferencingProblemError, 'AliasDereferencingProblemError', 'aliasDereferencingProblem'],
  [48, InappropriateAuthenticationError, 'InappropriateAuthenticationError', 'inappropriateAuthentication'],
  [49, InvalidCredentialsError, 'InvalidCredentialsError', 'invalidCredentials'],
  [50, InsufficientAccessRightsError, 'InsufficientAccessRightsError', 'insufficientAccessRights'],
  [51, BusyError, 'BusyError', 'busy'],
  [52, UnavailableError, 'UnavailableError', 'unavailable'],
  [53, UnwillingToPerformError, 'UnwillingToPerformError', 'unwillingToPerform'],
  [54, LoopDetectError, 'LoopDetectError', 'loopDetect'],
  [64, NamingViolationError, 'NamingViolationError', 'namingViolation'],
  [65, ObjectClassViolationError, 'ObjectClassViolationError', 'objectClassViolation'],
  [66, NotAllowedOnNonLeafError, 'NotAllowedOnNonLeafError', 'notAllowedOnNonLeaf'],
  [67, NotAllowedOnRDNError, 'NotAllowedOnRDNError', 'notAllowedOnRDN'],
  [68, EntryAlreadyExistsError, 'EntryAlreadyExistsError', 'entryAlreadyExists'],
  [69, ObjectClassModsProhibitedError, 'ObjectClassModsProhibitedError', 'objectClassModsProhibited'],
  [71, AffectsMultipleDSAsError, 'AffectsMultipleDSAsError', 'affectsMultipleDSAs'],
  [80, OtherError, 'OtherError', 'other'],
  [118, CanceledError, 'CanceledError', 'canceled'],
  [119, NoSuchOperationError, 'NoSuchOperationError', 'noSuchOperation'],
  [120, TooLateError, 'TooLateError', 'tooLate'],
  [121, CannotCancelError, 'CannotCancelError', 'cannotCancel'],
  [122, AssertionFailedError, 'AssertionFailedError', 'assertionFailed'],
  [123, AuthorizationDeniedError, 'AuthorizationDeniedError', 'authorizationDenied'],
  [4096, SyncRefreshRequiredError, 'SyncRefreshRequiredError', 'syncRefreshRequired'],
];

const result = (resultCode: number, extra: Partial<LdapResult> = {}): LdapResult => ({
  resultCode,
  matchedDN: '',
  diagnosticMessage: '',
  ...extra,
});

describe('errors/ldap-result', () => {
  describe('LdapError', () => {
    it('carries the result fields', () => {
      const error = new LdapError(32, {
        matchedDN: 'dc=example,dc=com',
        diagnosticMessage: 'no such entry',
        messageId: 7,
      });
      expect(error.code).to.equal(32);
      expect(error.codeName).to.equal('noSuchObject');
      expect(error.matchedDN).to.equal('dc=example,dc=com');
      expect(error.diagnosticMessage).to.equal('no such entry');
      expect(error.messageId).to.equal(7);
      expect(error.referral).to.equal(undefined);
      expect(error.name).to.equal('LdapError');
    });

    it('formats the message from the parts that are present', () => {
      expect(new LdapError(32, { diagnosticMessage: 'gone', matchedDN: 'dc=example,dc=com' }).message).to.equal(
        'noSuchObject (32): gone [matched: dc=example,dc=com]',
      );
      expect(new LdapError(32, { diagnosticMessage: 'gone' }).message).to.equal('noSuchObject (32): gone');
      expect(new LdapError(32, { matchedDN: 'dc=com' }).message).to.equal('noSuchObject (32) [matched: dc=com]');
      expect(new LdapError(32).message).to.equal('noSuchObject (32)');
      expect(new LdapError(999, { diagnosticMessage: 'x' }).message).to.equal('unknown(999) (999): x');
    });

    it('defaults matchedDN and diagnosticMessage to empty strings', () => {
      const error = new LdapError(80);
      expect(error.matchedDN).to.equal('');
      expect(error.diagnosticMessage).to.equal('');
    });

    it('keeps a cause', () => {
      const cause = new Error('inner');
      expect(new LdapError(1, { cause }).cause).to.equal(cause);
    });

    it('is an RxLdapError and an Error, not a transport ProtocolError', () => {
      const error = new LdapError(2);
      expect(error).to.be.instanceOf(RxLdapError);
      expect(error).to.be.instanceOf(Error);
      expect(error).not.to.be.instanceOf(ProtocolError);
      expect(new LdapProtocolError()).not.to.be.instanceOf(ProtocolError);
    });
  });

  describe('one class per code', () => {
    for (const [code, cls, className, codeName] of table) {
      it(`${className} is code ${code}`, () => {
        expect(cls.name).to.equal(className);
        expect(cls.code).to.equal(code);
        const error = new cls({ diagnosticMessage: 'why', matchedDN: 'dc=example', messageId: 3 });
        expect(error).to.be.instanceOf(cls);
        expect(error).to.be.instanceOf(CodedLdapError);
        expect(error).to.be.instanceOf(LdapError);
        expect(error).to.be.instanceOf(RxLdapError);
        expect(error).to.be.instanceOf(Error);
        expect(error.name).to.equal(className);
        expect(error.code).to.equal(code);
        expect(error.codeName).to.equal(codeName);
        expect(error.messageId).to.equal(3);
        expect(error.message).to.equal(`${codeName} (${code}): why [matched: dc=example]`);
        expect(error.stack).to.match(new RegExp(`^${className}: `));
      });
    }

    it('classes are distinct: an error is an instance of its own class only', () => {
      for (const [, cls] of table) {
        const error = new cls();
        for (const [, other] of table) expect(error instanceof other, `${cls.name} vs ${other.name}`).to.equal(cls === other);
      }
    });

    it('covers every error code of ResultCode, plus referral', () => {
      const errorCodes = Object.values(ResultCode).filter((code) => isErrorResult(code) || code === ResultCode.referral);
      expect(table.map(([code]) => code).sort((a, b) => a - b)).to.deep.equal([...errorCodes].sort((a, b) => a - b));
    });

    it('exports every class in the table', () => {
      const exported = Object.values(errors).filter(
        (value: unknown): value is LdapErrorClass => typeof value === 'function' && value.prototype instanceof CodedLdapError,
      );
      expect(exported.map((cls) => cls.name).sort()).to.deep.equal(table.map(([, , name]) => name).sort());
    });
  });

  describe('errorFromResult', () => {
    it('picks the class for every code', () => {
      for (const [code, cls] of table) {
        const error = errorFromResult(result(code, { diagnosticMessage: 'd', matchedDN: 'm' }), 42);
        expect(error, String(code)).to.be.instanceOf(cls);
        expect(error.constructor).to.equal(cls);
        expect(error.code).to.equal(code);
        expect(error.diagnosticMessage).to.equal('d');
        expect(error.matchedDN).to.equal('m');
        expect(error.messageId).to.equal(42);
        expect(errorClassForCode(code)).to.equal(cls);
      }
    });

    it('gives a plain LdapError for an unknown code', () => {
      const error = errorFromResult(result(999, { diagnosticMessage: 'strange' }));
      expect(error.constructor).to.equal(LdapError);
      expect(error).not.to.be.instanceOf(CodedLdapError);
      expect(error.code).to.equal(999);
      expect(error.codeName).to.equal('unknown(999)');
      expect(error.message).to.equal('unknown(999) (999): strange');
      expect(error.messageId).to.equal(undefined);
      expect(errorClassForCode(999)).to.equal(undefined);
    });

    it('gives a plain LdapError for the non-error results other than referral', () => {
      for (const code of [0, 5, 6, 14]) {
        const error = errorFromResult(result(code));
        expect(error.constructor, String(code)).to.equal(LdapError);
        expect(error.code).to.equal(code);
      }
    });

    it('keeps the referral URLs', () => {
      const urls = ['ldap://other.example.com/dc=example,dc=com'];
      const error = errorFromResult(result(10, { referral: urls }), 5);
      expect(error).to.be.instanceOf(ReferralError);
      expect(error.referral).to.deep.equal(urls);
      expect(error.messageId).to.equal(5);
    });
  });
});
