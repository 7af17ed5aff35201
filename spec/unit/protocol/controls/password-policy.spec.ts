import { expect } from 'chai';
import fc from 'fast-check';
import {
  ControlOid,
  PASSWORD_POLICY_ERROR_NAMES,
  PasswordPolicyError,
  decodeControl,
  encodeControlValue,
} from '../../../../lib/protocol/controls';
import type { PasswordPolicyResponseControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, expectEncoding, expectMalformed, uint31Arb } from './helpers';

const ppolicy = (value: PasswordPolicyResponseControl['value']): PasswordPolicyResponseControl => ({
  type: 'passwordPolicyResponse',
  oid: ControlOid.passwordPolicy,
  criticality: false,
  value,
});

describe('password policy response control (draft-behera-ldap-password-policy)', () => {
  it('encodes warning as a constructed [0] around a primitive [0] timeBeforeExpiration', () => {
    expectEncoding(ppolicy({ timeBeforeExpiration: 3600 }), '30 06 a0 04 80 02 0e 10');
  });

  it('encodes warning [0] { graceAuthNsRemaining [1] } and error as a primitive [1] ENUMERATED', () => {
    expectEncoding(ppolicy({ graceAuthNsRemaining: 2, error: 2 }), '30 08 a0 03 81 01 02 81 01 02');
    expectEncoding(ppolicy({ error: PasswordPolicyError.accountLocked }), '30 03 81 01 01');
    expectEncoding(ppolicy({ error: 0 }), '30 03 81 01 00');
    expectEncoding(ppolicy({}), '30 00');
  });

  it('keeps error codes the draft does not list (OpenLDAP passwordTooLong 9, and later ones)', () => {
    expectEncoding(ppolicy({ error: 9 }), '30 03 81 01 09');
    expectEncoding(ppolicy({ error: 42 }), '30 03 81 01 2a');
    expect(PASSWORD_POLICY_ERROR_NAMES[9]).to.equal('passwordTooLong');
    expect(PASSWORD_POLICY_ERROR_NAMES[1]).to.equal('accountLocked');
    expect(PASSWORD_POLICY_ERROR_NAMES[42]).to.equal(undefined);
  });

  it('decodes the request OID without a value as the request', () => {
    expect(decodeControl(ControlOid.passwordPolicy, false, undefined, 'request')).to.deep.equal({
      type: 'passwordPolicyRequest',
      oid: ControlOid.passwordPolicy,
      criticality: false,
    });
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.passwordPolicy;
    expectMalformed(oid, undefined, 'response', /no value/);
    expectMalformed(oid, '30 04 80 02 0e 10', 'response', /unexpected octets at the end of a constructed/); // warning not wrapped
    expectMalformed(oid, '30 05 a0 03 82 01 00', 'response', /unknown password policy warning choice 0x82/);
    expectMalformed(oid, '30 02 a0 00', 'response', /warning is empty/);
    expectMalformed(oid, '30 08 a0 06 80 01 01 81 01 01', 'response', /unexpected octets at the end of a constructed/); // both warnings
    expectMalformed(oid, '30 03 0a 01 01', 'response', /unexpected octets at the end of a constructed/); // untagged error
    expectMalformed(oid, '30 03 81 01 ff', 'response', /out of range/); // error -1
    expectMalformed(oid, '30 06 a0 04 80 02 ff ff', 'response', /out of range/); // negative time
    expectMalformed(oid, '30 06 a0 04 80 02 0e', 'response', /runs past the end/);
    expectMalformed(oid, '30 00 00', 'response', /unexpected octets after the end/);
    expectMalformed(oid, '30 08 81 01 02 a0 03 81 01 02', 'response', /unexpected octets at the end of a constructed/); // error before warning
  });

  it('refuses to encode both warnings, which are a CHOICE', () => {
    expect(() => encodeControlValue(ppolicy({ timeBeforeExpiration: 1, graceAuthNsRemaining: 1 }))).to.throw(TypeError, /CHOICE/);
  });

  it('round-trips any warning and error', () => {
    const warning = fc.oneof(
      fc.constant({}),
      uint31Arb().map((timeBeforeExpiration) => ({ timeBeforeExpiration })),
      uint31Arb().map((graceAuthNsRemaining) => ({ graceAuthNsRemaining })),
    );
    const error = fc.option(fc.integer({ min: 0, max: 0x7fffffff }), { nil: undefined });
    assertRoundTrips(fc.tuple(warning, error).map(([w, e]) => ppolicy(e === undefined ? w : { ...w, error: e })));
  });
});
