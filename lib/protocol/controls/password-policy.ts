import { BerReader, BerWriter, MAX_INT32, ctxConstructed, ctxPrimitive, formatTag } from '../../ber';
import { defineControlCodec } from './codec';
import { defineFlagControlCodec } from './flag-controls';
import { ControlOid } from './oids';
import type { PasswordPolicyResponseControl } from './types';
import { checkInteger, nextIs, requireValue } from './value-helpers';

const WARNING = ctxConstructed(0);
const TIME_BEFORE_EXPIRATION = ctxPrimitive(0);
const GRACE_AUTHNS_REMAINING = ctxPrimitive(1);
const ERROR = ctxPrimitive(1);

/**
 * draft-behera-ldap-password-policy error codes by name, with OpenLDAP's passwordTooLong (9).
 * The decoded `error` stays a number and is not checked against this list: a server that adds a
 * code must not make a bind response unreadable. Use PASSWORD_POLICY_ERROR_NAMES to display it.
 */
export const PasswordPolicyError = {
  passwordExpired: 0,
  accountLocked: 1,
  changeAfterReset: 2,
  passwordModNotAllowed: 3,
  mustSupplyOldPassword: 4,
  insufficientPasswordQuality: 5,
  passwordTooShort: 6,
  passwordTooYoung: 7,
  passwordInHistory: 8,
  passwordTooLong: 9,
} as const;
export type PasswordPolicyErrorName = keyof typeof PasswordPolicyError;
/** Error code → name, for messages; codes not listed have no name. */
export const PASSWORD_POLICY_ERROR_NAMES: Readonly<Record<number, PasswordPolicyErrorName>> = Object.fromEntries(
  Object.entries(PasswordPolicyError).map(([name, code]) => [code, name]),
) as Record<number, PasswordPolicyErrorName>;

/** The request is sent with no value (draft-behera §6.1). */
export const passwordPolicyRequestCodec = defineFlagControlCodec('passwordPolicyRequest', ControlOid.passwordPolicy, 'request');

type PasswordPolicyValue = PasswordPolicyResponseControl['value'];

/**
 * draft-behera-ldap-password-policy §6.2 (module uses IMPLICIT TAGS; a tagged CHOICE is explicit):
 * PasswordPolicyResponseValue ::= SEQUENCE {
 *   warning [0] CHOICE {
 *     timeBeforeExpiration [0] INTEGER (0 .. maxInt),
 *     graceAuthNsRemaining [1] INTEGER (0 .. maxInt) } OPTIONAL,
 *   error [1] ENUMERATED { passwordExpired (0), ... passwordInHistory (8) } OPTIONAL }
 * So warning is 0xa0 wrapping 0x80 or 0x81, and error is a primitive 0x81.
 */
export const passwordPolicyResponseCodec = defineControlCodec({
  type: 'passwordPolicyResponse',
  oid: ControlOid.passwordPolicy,
  direction: 'response',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(24).startSequence();
    const { timeBeforeExpiration, graceAuthNsRemaining, error } = value;
    if (timeBeforeExpiration !== undefined && graceAuthNsRemaining !== undefined) {
      throw new TypeError('passwordPolicyResponse warning is a CHOICE: timeBeforeExpiration or graceAuthNsRemaining, not both');
    }
    if (timeBeforeExpiration !== undefined) {
      writer
        .startSequence(WARNING)
        .writeInteger(checkInteger(timeBeforeExpiration, 0, MAX_INT32, 'timeBeforeExpiration'), TIME_BEFORE_EXPIRATION)
        .endSequence();
    } else if (graceAuthNsRemaining !== undefined) {
      writer
        .startSequence(WARNING)
        .writeInteger(checkInteger(graceAuthNsRemaining, 0, MAX_INT32, 'graceAuthNsRemaining'), GRACE_AUTHNS_REMAINING)
        .endSequence();
    }
    if (error !== undefined) writer.writeEnumerated(checkInteger(error, 0, MAX_INT32, 'password policy error'), ERROR);
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'passwordPolicyResponse'));
    const end = reader.enter();
    const result: PasswordPolicyValue = {};
    if (nextIs(reader, WARNING, end)) {
      const warningEnd = reader.enter(WARNING, end);
      const tag = reader.peekTag(warningEnd);
      if (tag === TIME_BEFORE_EXPIRATION) {
        result.timeBeforeExpiration = reader.readInteger(tag, 0, MAX_INT32, warningEnd);
      } else if (tag === GRACE_AUTHNS_REMAINING) {
        result.graceAuthNsRemaining = reader.readInteger(tag, 0, MAX_INT32, warningEnd);
      } else if (tag === -1) {
        throw reader.error('password policy warning is empty');
      } else {
        throw reader.error(`unknown password policy warning choice ${formatTag(tag)}`);
      }
      reader.exit(warningEnd);
    }
    if (nextIs(reader, ERROR, end)) result.error = reader.readInteger(ERROR, 0, MAX_INT32, end);
    reader.exit(end);
    reader.expectEnd();
    return { type: 'passwordPolicyResponse', oid: ControlOid.passwordPolicy, criticality, value: result };
  },
});
