import { TLSSocket, createSecureContext } from 'node:tls';
import { cancelCodec, decodeExtendedRequestValue, ExtendedOid, parseDN, passwordModifyCodec, ProtocolError, ResultCode } from '../deps';
import type { ExtendedRequest, LdapResult } from '../deps';
import type { OperationContext } from '../context';
import { generatePassword, hashPassword, passwordMatches } from '../password';
import { failure, resultOf, success } from '../result';
import type { Session } from '../session';
import { clientCertificates } from '../tls-identity';
import { checkControls } from './controls';

/**
 * Extended operations: Who am I? (RFC 4532), Password Modify (RFC 3062), Cancel (RFC 3909) and
 * StartTLS (RFC 4511 §4.14) when the server has a certificate. Anything else is protocolError,
 * as slapd answers an OID it does not know.
 */
export const extended = (context: OperationContext, request: ExtendedRequest, session: Session): void => {
  const answer = (result: LdapResult, response: { responseName?: string; responseValue?: Buffer } = {}): void => {
    context.reply.send({ type: 'extendedResp', ...result, ...response });
    context.finish();
  };
  try {
    checkControls(context, []);
    switch (request.requestName) {
      case ExtendedOid.whoAmI:
        answer(success(), { responseValue: Buffer.from(session.identity.dn === undefined ? '' : `dn:${session.identity.text}`, 'utf8') });
        return;
      case ExtendedOid.passwordModify: {
        const generated = passwordModify(context, request, session);
        answer(success(), generated === undefined ? {} : { responseValue: passwordModifyCodec.encodeResponseValue({ genPasswd: generated }) ?? Buffer.alloc(0) });
        return;
      }
      case ExtendedOid.cancel: {
        const result = cancel(request, session);
        // RFC 3909 §2: the cancelled operation's own answer (canceled) goes out before Cancel's.
        if (result.resultCode === ResultCode.success) setImmediate(() => answer(result));
        else answer(result);
        return;
      }
      case ExtendedOid.startTLS:
        startTLS(context, session, answer);
        return;
      default:
        throw failure('protocolError', `${request.requestName} not supported`);
    }
  } catch (error) {
    answer(resultOf(error));
  }
};

const passwordModify = (context: OperationContext, request: ExtendedRequest, session: Session): Buffer | undefined => {
  let value;
  try {
    value = decodeExtendedRequestValue(passwordModifyCodec, request);
  } catch (error) {
    if (error instanceof ProtocolError) throw failure('protocolError', 'decoding error');
    throw error;
  }
  const { identity } = session;
  if (identity.dn === undefined) throw failure('strongerAuthRequired', 'only authenticated users may change passwords');
  let targetDN = identity.dn;
  if (value.userIdentity !== undefined) {
    const text = value.userIdentity.startsWith('dn:') ? value.userIdentity.slice(3) : value.userIdentity;
    try {
      targetDN = parseDN(text);
    } catch {
      throw failure('invalidAttributeSyntax', 'Invalid DN');
    }
  }
  const { directory, access } = context.settings;
  if (identity.root && context.settings.rootDN?.equals(targetDN) === true) throw failure('unwillingToPerform', 'the root DN has no entry');
  const entry = directory.get(targetDN);
  if (entry === undefined) throw failure('noSuchObject');
  if (!access.allows(identity, entry, 'userPassword', 'write')) throw failure('insufficientAccessRights');
  const { oldPasswd, newPasswd } = value;
  if (oldPasswd !== undefined) {
    const stored = entry.attribute('userpassword')?.vals ?? [];
    if (!stored.some((existing) => passwordMatches(existing, oldPasswd))) throw failure('unwillingToPerform', 'unwilling to verify old password');
  }
  const password = newPasswd ?? generatePassword();
  const generated = newPasswd === undefined ? password : undefined;
  directory.applyChanges(entry.dn, [{ operation: 'replace', modification: { type: 'userPassword', vals: [hashPassword(password)] } }], { dn: identity.text, root: identity.root });
  return generated;
};

const cancel = (request: ExtendedRequest, session: Session): LdapResult => {
  let cancelID: number;
  try {
    cancelID = decodeExtendedRequestValue(cancelCodec, request);
  } catch (error) {
    if (error instanceof ProtocolError) throw failure('protocolError', 'decoding error');
    throw error;
  }
  const type = session.runningType(cancelID);
  if (type === undefined) return { resultCode: ResultCode.noSuchOperation, matchedDN: '', diagnosticMessage: '' };
  if (type === 'bindRequest' || type === 'extendedReq') return { resultCode: ResultCode.cannotCancel, matchedDN: '', diagnosticMessage: '' };
  session.stopOperation(cancelID, 'cancel');
  return success();
};

const startTLS = (context: OperationContext, session: Session, answer: (result: LdapResult) => void): void => {
  const tls = context.settings.tls;
  if (tls === undefined) throw failure('protocolError', 'TLS not configured');
  if (session.secure) throw failure('operationsError', 'TLS already started');
  answer(success());
  session.flush();
  const plain = session.rawSocket;
  const secure = new TLSSocket(plain, { isServer: true, secureContext: createSecureContext(tls), ...clientCertificates(tls) });
  session.upgrade(secure);
};
