import { BerReader, BerWriter, CONSTRUCTED, ctxPrimitive, formatTag } from '../../ber';
import type { ExtendedRequest } from '../types';
import { buildExtendedRequest, defineExtendedCodec, isAbsent } from './codec';
import { ExtendedOid } from './oids';

/**
 * RFC 3062 PasswdModifyRequestValue ::= SEQUENCE {
 *   userIdentity [0] OCTET STRING OPTIONAL, oldPasswd [1] OCTET STRING OPTIONAL, newPasswd [2] OCTET STRING OPTIONAL }
 * userIdentity need not be a DN; it is read and written as UTF-8. Passwords stay bytes.
 */
export interface PasswordModifyRequestValue {
  userIdentity?: string;
  oldPasswd?: Buffer;
  newPasswd?: Buffer;
}

/** RFC 3062 PasswdModifyResponseValue ::= SEQUENCE { genPasswd [0] OCTET STRING OPTIONAL } */
export interface PasswordModifyResponseValue {
  /** The password the server generated, when the request had no newPasswd. */
  genPasswd?: Buffer;
}

const USER_IDENTITY = ctxPrimitive(0);
const OLD_PASSWD = ctxPrimitive(1);
const NEW_PASSWD = ctxPrimitive(2);
const GEN_PASSWD = ctxPrimitive(0);

/**
 * Whether the next element inside a SEQUENCE is the optional `tag`. A constructed form of the tag
 * also answers yes, so that the read that follows rejects it with BerReader's precise message.
 */
const next = (reader: BerReader, tag: number, end: number): boolean => {
  const found = reader.peekTag(end);
  return found === tag || found === (tag | CONSTRUCTED);
};

/** Rejects an element that is not one of the sequence's fields, or one out of order. */
const expectSequenceEnd = (reader: BerReader, end: number, type: string): void => {
  if (reader.pos < end) throw reader.error(`unexpected tag ${formatTag(reader.peekTag(end))} in ${type}`);
  reader.exit(end);
  reader.expectEnd();
};

/**
 * Password Modify (RFC 3062). The request value is left out when all three fields are absent
 * (as ldappasswd does), and an absent request value decodes as {}. The response value is
 * absent when the server generated no password; absent decodes as {}.
 */
export const passwordModifyCodec = defineExtendedCodec<PasswordModifyRequestValue, PasswordModifyResponseValue>({
  requestName: ExtendedOid.passwordModify,
  name: 'passwordModify',
  encodeRequestValue: ({ userIdentity, oldPasswd, newPasswd }) => {
    if (userIdentity === undefined && oldPasswd === undefined && newPasswd === undefined) return undefined;
    const writer = new BerWriter(64 + (oldPasswd?.length ?? 0) + (newPasswd?.length ?? 0)).startSequence();
    if (userIdentity !== undefined) writer.writeString(userIdentity, USER_IDENTITY);
    if (oldPasswd !== undefined) writer.writeOctetString(oldPasswd, OLD_PASSWD);
    if (newPasswd !== undefined) writer.writeOctetString(newPasswd, NEW_PASSWD);
    return writer.endSequence().toBuffer();
  },
  decodeRequestValue: (value) => {
    const result: PasswordModifyRequestValue = {};
    if (isAbsent(value)) return result;
    const reader = new BerReader(value);
    const end = reader.enter();
    if (next(reader, USER_IDENTITY, end)) result.userIdentity = reader.readString(USER_IDENTITY, end);
    if (next(reader, OLD_PASSWD, end)) result.oldPasswd = reader.readOctetString(OLD_PASSWD, end);
    if (next(reader, NEW_PASSWD, end)) result.newPasswd = reader.readOctetString(NEW_PASSWD, end);
    expectSequenceEnd(reader, end, 'PasswdModifyRequestValue');
    return result;
  },
  encodeResponseValue: ({ genPasswd }) => {
    if (genPasswd === undefined) return undefined;
    return new BerWriter(16 + genPasswd.length).startSequence().writeOctetString(genPasswd, GEN_PASSWD).endSequence().toBuffer();
  },
  decodeResponseValue: (value) => {
    const result: PasswordModifyResponseValue = {};
    if (isAbsent(value)) return result;
    const reader = new BerReader(value);
    const end = reader.enter();
    if (next(reader, GEN_PASSWD, end)) result.genPasswd = reader.readOctetString(GEN_PASSWD, end);
    expectSequenceEnd(reader, end, 'PasswdModifyResponseValue');
    return result;
  },
});

/** What passwordModifyRequest takes: passwords as bytes or as strings (encoded as UTF-8). */
export interface PasswordModifyOptions {
  userIdentity?: string;
  oldPasswd?: Buffer | string;
  newPasswd?: Buffer | string;
}

const toBytes = (value: Buffer | string | undefined): Buffer | undefined =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : value;

/** A Password Modify request; with no options, the server changes the bound user's password to one it generates. */
export const passwordModifyRequest = (options: PasswordModifyOptions = {}): ExtendedRequest => {
  const value: PasswordModifyRequestValue = {};
  if (options.userIdentity !== undefined) value.userIdentity = options.userIdentity;
  const oldPasswd = toBytes(options.oldPasswd);
  if (oldPasswd !== undefined) value.oldPasswd = oldPasswd;
  const newPasswd = toBytes(options.newPasswd);
  if (newPasswd !== undefined) value.newPasswd = newPasswd;
  return buildExtendedRequest(passwordModifyCodec, value);
};
