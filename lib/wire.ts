/**
 * rxldap's codec-level API: the package's `./wire` export (`import … from 'rxldap/wire'`). For
 * code that reads or writes LDAP PDUs itself (a capture decoder, a proxy, a test server) or
 * teaches the client a control or extended operation it does not know. An application that
 * only talks to a directory needs `rxldap` alone. etc/rxldap-wire.api.md records this surface.
 */

// Messages: one PDU at a time, or a byte stream cut into PDUs.
export { encodeMessage, decodeMessage, encodeFilter, decodeFilter } from './protocol';
export { MessageFramer, MessageParser, DEFAULT_MAX_PDU_SIZE } from './transport';
export type { MessageFramerOptions, MessageParserOptions } from './transport';
export type {
  LdapMessage,
  ProtocolOp,
  ProtocolOpType,
  RequestOp,
  ResponseOp,
  ResultOp,
  AuthenticationChoice,
  BindRequest,
  BindResponse,
  UnbindRequest,
  SearchRequest,
  SearchResultEntry,
  SearchResultDone,
  SearchResultReference,
  ModifyRequest,
  ModifyResponse,
  AddRequest,
  AddResponse,
  DelRequest,
  DelResponse,
  ModifyDNRequest,
  ModifyDNResponse,
  CompareRequest,
  CompareResponse,
  AbandonRequest,
  ExtendedRequest,
  ExtendedResponse,
  IntermediateResponse,
} from './protocol';

// Controls: the codecs of the built-in ones and the registry a new one joins.
export type { ControlCodec, AnyControlCodec } from './protocol';
export { defineControlCodec, registerControlCodec, controlCodecFor, encodeControlValue, controlOid, decodeControl } from './protocol';
export { defineFlagControlCodec } from './protocol';
export type { FlagControlType } from './protocol';
export {
  pagedResultsCodec,
  syncRequestCodec,
  syncStateCodec,
  syncDoneCodec,
  persistentSearchCodec,
  entryChangeNotificationCodec,
  sortRequestCodec,
  sortResponseCodec,
  vlvRequestCodec,
  vlvResponseCodec,
  preReadRequestCodec,
  postReadRequestCodec,
  preReadResponseCodec,
  postReadResponseCodec,
  assertionCodec,
  proxiedAuthorizationCodec,
  manageDsaITCodec,
  subtreeDeleteCodec,
  permissiveModifyCodec,
  adChangeNotificationCodec,
  passwordPolicyRequestCodec,
  passwordPolicyResponseCodec,
  transactionSpecificationCodec,
  dirSyncRequestCodec,
  dirSyncResponseCodec,
} from './protocol';
export { encodeEntryValue, decodeEntryValue } from './protocol';
export type { EntryValue } from './protocol';

// Extended operations: codecs, request builders and their registry.
export {
  buildExtendedRequest,
  decodeExtendedRequestValue,
  decodeExtendedResponseValue,
  defineExtendedCodec,
  forbidExtendedValue,
  requireExtendedValue,
  extendedCodecFor,
  registerExtendedCodec,
} from './protocol';
export type { AnyExtendedOperationCodec, ExtendedOperationCodec } from './protocol';
export { startTLSCodec, startTLSRequest, whoAmICodec, whoAmIRequest, passwordModifyCodec, passwordModifyRequest } from './protocol';
export { cancelCodec, cancelRequest, startTransactionCodec, startTransactionRequest, endTransactionCodec, endTransactionRequest } from './protocol';
export { NOTICE_OF_DISCONNECTION_OID, isNoticeOfDisconnection, noticeOfDisconnection, noticeOfDisconnectionCodec } from './protocol';
export type { PasswordModifyOptions, PasswordModifyRequestValue, PasswordModifyResponseValue } from './protocol';
export type { EndTransactionRequestValue, EndTransactionResponseValue, EndTransactionUpdateControls } from './protocol';

// The Sync Info intermediate response (RFC 4533).
export { SYNC_INFO_OID, encodeSyncInfoValue, decodeSyncInfoValue } from './protocol';
export type { SyncInfo, SyncInfoType } from './protocol';

// BER, for a codec's value: the reader and writer every built-in codec uses.
export { BerReader, BerWriter, Tag, ctxPrimitive, ctxConstructed } from './ber';
export type { BerReaderOptions } from './ber';

// What the codecs take and give that the client API also names: the same declarations, so a
// program that imports both entries sees one type (and one class) under each name.
export { RxLdapError, ProtocolError } from './errors';
export type { LdapResult, PartialAttribute, Attribute, SearchScope, DerefAliases, ModifyOperation, Change } from './protocol';
export type {
  Filter,
  FilterValue,
  AndFilter,
  OrFilter,
  NotFilter,
  AttributeValueAssertion,
  EqualityMatchFilter,
  GreaterOrEqualFilter,
  LessOrEqualFilter,
  ApproxMatchFilter,
  SubstringsFilter,
  PresentFilter,
  ExtensibleMatchFilter,
} from './protocol';
export type * from './protocol/controls/types';
