export { ExtendedOid } from './oids';
export type { ExtendedOidName } from './oids';
export {
  buildExtendedRequest,
  decodeExtendedRequestValue,
  decodeExtendedResponseValue,
  defineExtendedCodec,
  forbidExtendedValue,
  requireExtendedValue,
} from './codec';
export type { AnyExtendedOperationCodec, ExtendedOperationCodec } from './codec';
export { extendedCodecFor, registerExtendedCodec } from './registry';
export { startTLSCodec, startTLSRequest } from './start-tls';
export { parseAuthzId, whoAmICodec, whoAmIRequest } from './who-am-i';
export type { AuthzId } from './who-am-i';
export { passwordModifyCodec, passwordModifyRequest } from './password-modify';
export type { PasswordModifyOptions, PasswordModifyRequestValue, PasswordModifyResponseValue } from './password-modify';
export { cancelCodec, cancelRequest } from './cancel';
export { startTransactionCodec, startTransactionRequest } from './start-transaction';
export { endTransactionCodec, endTransactionRequest } from './end-transaction';
export type { EndTransactionRequestValue, EndTransactionResponseValue, EndTransactionUpdateControls } from './end-transaction';
export {
  NOTICE_OF_DISCONNECTION_OID,
  isNoticeOfDisconnection,
  noticeOfDisconnection,
  noticeOfDisconnectionCodec,
} from './notice-of-disconnection';
