import type { Filter, AttributeValueAssertion } from './filter-types';
import type { Control } from './controls/types';

/**
 * RFC 4511 §4 LDAPMessage and its protocolOps as TypeScript types. `protocolOp.type` and the
 * field names are the ASN.1 names; LDAPDN and LDAPString are strings; attribute values are
 * Buffers (they are bytes on the wire and may be binary).
 */
export interface LdapMessage<Op extends ProtocolOp = ProtocolOp> {
  messageId: number;
  protocolOp: Op;
  controls?: Control[];
}

/** LDAPResult (RFC 4511 §4.1.9); `referral` holds the LDAP URLs of a referral result. */
export interface LdapResult {
  resultCode: number;
  matchedDN: string;
  diagnosticMessage: string;
  referral?: string[];
}

/** PartialAttribute: a description and zero or more values. */
export interface PartialAttribute {
  type: string;
  vals: Buffer[];
}
/** Attribute: a PartialAttribute with at least one value (not enforced on decode). */
export type Attribute = PartialAttribute;

export type SearchScope = 'baseObject' | 'singleLevel' | 'wholeSubtree' | 'subordinateSubtree';
export type DerefAliases = 'neverDerefAliases' | 'derefInSearching' | 'derefFindingBaseObj' | 'derefAlways';
export type ModifyOperation = 'add' | 'delete' | 'replace' | 'increment';

export type AuthenticationChoice =
  | { type: 'simple'; simple: Buffer }
  | { type: 'sasl'; mechanism: string; credentials?: Buffer };

export interface BindRequest {
  type: 'bindRequest';
  version: number;
  name: string;
  authentication: AuthenticationChoice;
}
export interface BindResponse extends LdapResult {
  type: 'bindResponse';
  serverSaslCreds?: Buffer;
}
export interface UnbindRequest {
  type: 'unbindRequest';
}
export interface SearchRequest {
  type: 'searchRequest';
  baseObject: string;
  scope: SearchScope;
  derefAliases: DerefAliases;
  sizeLimit: number;
  timeLimit: number;
  typesOnly: boolean;
  filter: Filter;
  attributes: string[];
}
export interface SearchResultEntry {
  type: 'searchResEntry';
  objectName: string;
  attributes: PartialAttribute[];
}
export interface SearchResultDone extends LdapResult {
  type: 'searchResDone';
}
export interface SearchResultReference {
  type: 'searchResRef';
  uris: string[];
}
export interface Change {
  operation: ModifyOperation;
  modification: PartialAttribute;
}
export interface ModifyRequest {
  type: 'modifyRequest';
  object: string;
  changes: Change[];
}
export interface ModifyResponse extends LdapResult {
  type: 'modifyResponse';
}
export interface AddRequest {
  type: 'addRequest';
  entry: string;
  attributes: Attribute[];
}
export interface AddResponse extends LdapResult {
  type: 'addResponse';
}
export interface DelRequest {
  type: 'delRequest';
  entry: string;
}
export interface DelResponse extends LdapResult {
  type: 'delResponse';
}
export interface ModifyDNRequest {
  type: 'modDNRequest';
  entry: string;
  newrdn: string;
  deleteoldrdn: boolean;
  newSuperior?: string;
}
export interface ModifyDNResponse extends LdapResult {
  type: 'modDNResponse';
}
export interface CompareRequest {
  type: 'compareRequest';
  entry: string;
  ava: AttributeValueAssertion;
}
export interface CompareResponse extends LdapResult {
  type: 'compareResponse';
}
export interface AbandonRequest {
  type: 'abandonRequest';
  /** The MessageID of the operation to abandon. */
  idToAbandon: number;
}
export interface ExtendedRequest {
  type: 'extendedReq';
  requestName: string;
  requestValue?: Buffer;
}
export interface ExtendedResponse extends LdapResult {
  type: 'extendedResp';
  responseName?: string;
  responseValue?: Buffer;
}
export interface IntermediateResponse {
  type: 'intermediateResponse';
  responseName?: string;
  responseValue?: Buffer;
}

export type RequestOp =
  | BindRequest
  | UnbindRequest
  | SearchRequest
  | ModifyRequest
  | AddRequest
  | DelRequest
  | ModifyDNRequest
  | CompareRequest
  | AbandonRequest
  | ExtendedRequest;

export type ResponseOp =
  | BindResponse
  | SearchResultEntry
  | SearchResultDone
  | SearchResultReference
  | ModifyResponse
  | AddResponse
  | DelResponse
  | ModifyDNResponse
  | CompareResponse
  | ExtendedResponse
  | IntermediateResponse;

export type ProtocolOp = RequestOp | ResponseOp;
export type ProtocolOpType = ProtocolOp['type'];
/** The protocolOps that end with an LDAPResult. */
export type ResultOp = Extract<ResponseOp, LdapResult>;

export type { Filter, AttributeValueAssertion };
