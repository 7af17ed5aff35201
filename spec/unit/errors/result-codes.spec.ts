import { expect } from 'chai';
import { ResultCode, isErrorResult, isKnownResultCode, resultCodeName } from '../../../lib/errors/result-codes';

describe('errors/result-codes', () => {
  // RFC 4511 Appendix A.1 and the later registrations, written out independently of the source.
  const expected: Array<[string, number]> = [
    ['success', 0], ['operationsError', 1], ['protocolError', 2], ['timeLimitExceeded', 3],
    ['sizeLimitExceeded', 4], ['compareFalse', 5], ['compareTrue', 6], ['authMethodNotSupported', 7],
    ['strongerAuthRequired', 8], ['referral', 10], ['adminLimitExceeded', 11],
    ['unavailableCriticalExtension', 12], ['confidentialityRequired', 13], ['saslBindInProgress', 14],
    ['noSuchAttribute', 16], ['undefinedAttributeType', 17], ['inappropriateMatching', 18],
    ['constraintViolation', 19], ['attributeOrValueExists', 20], ['invalidAttributeSyntax', 21],
    ['noSuchObject', 32], ['aliasProblem', 33], ['invalidDNSyntax', 34], ['aliasDereferencingProblem', 36],
    ['inappropriateAuthentication', 48], ['invalidCredentials', 49], ['insufficientAccessRights', 50],
    ['busy', 51], ['unavailable', 52], ['unwillingToPerform', 53], ['loopDetect', 54],
    ['namingViolation', 64], ['objectClassViolation', 65], ['notAllowedOnNonLeaf', 66],
    ['notAllowedOnRDN', 67], ['entryAlreadyExists', 68], ['objectClassModsProhibited', 69],
    ['affectsMultipleDSAs', 71], ['other', 80], ['canceled', 118], ['noSuchOperation', 119],
    ['tooLate', 120], ['cannotCancel', 121], ['assertionFailed', 122], ['authorizationDenied', 123],
    ['syncRefreshRequired', 4096],
  ];

  it('has exactly the codes of RFC 4511, RFC 3909, RFC 4528, RFC 4370 and RFC 4533', () => {
    expect(Object.entries(ResultCode)).to.deep.equal(expected);
  });

  it('has no duplicate values', () => {
    const values = Object.values(ResultCode);
    expect(new Set(values).size).to.equal(values.length);
  });

  it('names every known code', () => {
    for (const [name, code] of expected) {
      expect(resultCodeName(code)).to.equal(name);
      expect(isKnownResultCode(code)).to.equal(true);
    }
  });

  it('renders unknown codes as unknown(n)', () => {
    expect(resultCodeName(999)).to.equal('unknown(999)');
    expect(resultCodeName(35)).to.equal('unknown(35)');
    expect(resultCodeName(70)).to.equal('unknown(70)');
    expect(resultCodeName(-1)).to.equal('unknown(-1)');
    expect(isKnownResultCode(999)).to.equal(false);
  });

  describe('isErrorResult', () => {
    it('is false for the non-error results', () => {
      for (const code of [0, 5, 6, 10, 14]) expect(isErrorResult(code), String(code)).to.equal(false);
    });

    it('is true for every other known code', () => {
      for (const [, code] of expected) {
        if ([0, 5, 6, 10, 14].includes(code)) continue;
        expect(isErrorResult(code), String(code)).to.equal(true);
      }
    });

    it('is true for unknown codes', () => {
      expect(isErrorResult(999)).to.equal(true);
      expect(isErrorResult(35)).to.equal(true);
    });
  });
});
