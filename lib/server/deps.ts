/**
 * Everything the in-memory directory takes from the rest of rxldap, in one place. The server is
 * the client's pipeline in reverse (the same codecs, framer, DN and filter code), and it ships
 * as its own entry point: this one module is what the CommonJS build of `rxldap/server` resolves
 * to the copy inside rxldap's own bundle (scripts/bundle.mjs), so the server shares the client's
 * classes and registries instead of carrying a second copy of them.
 */
export { BerWriter } from '../ber';
export { DN, parseDN, isValidDN, normalizeType, escapeDNValue } from '../dn';
export {
  ConnectionError,
  InvalidDNError,
  InvalidFilterError,
  LdapError,
  ProtocolError,
  ResultCode,
  errorClassForCode,
} from '../errors';
export type { ResultCodeName } from '../errors';
export { compileFilter, findMatchingRule, filterToString } from '../filter';
export type { CompiledFilter, FilterEntry } from '../filter';
export { parseDescription, describes } from '../filter/description';
export {
  ControlOid,
  ExtendedOid,
  cancelCodec,
  decodeExtendedRequestValue,
  encodeMessage,
  encodeSyncInfoValue,
  errorFromResult,
  noticeOfDisconnection,
  passwordModifyCodec,
  SYNC_INFO_OID,
  writeMessage,
} from '../protocol';
export type {
  AddRequest,
  Attribute,
  AttributeValueAssertion,
  BindRequest,
  Change,
  CompareRequest,
  Control,
  ControlOfType,
  ControlType,
  DelRequest,
  ExtendedRequest,
  Filter,
  LdapMessage,
  LdapResult,
  ModifyDNRequest,
  ModifyOperation,
  ModifyRequest,
  PartialAttribute,
  ProtocolOp,
  RequestOp,
  SearchRequest,
  SearchResultEntry,
  SearchScope,
  SortKey,
} from '../protocol';
export { MessageParser } from '../transport/message-parser';
export { toAttributes, toChanges } from '../client/attributes';
export type { AttributeInput, AttributeValues, ModificationInput } from '../client/attributes';
export { Schema as RxSchema } from '../schema';
export { loadSchemaSnapshot } from '../schema/snapshots';
export { printAttributeType, printLdapSyntax, printMatchingRule, printMatchingRuleUse, printObjectClass } from '../schema';
export type { AttributeUsage, ObjectClassKind } from '../schema';
export type { SchemaDefinitions, SchemaJSON } from '../schema';
export { formatLdif, parseLdif } from '../ldif';
export type { LdifRecord } from '../ldif';
export { LdifSyntaxError } from '../errors';
