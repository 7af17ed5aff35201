import { appConstructed, appPrimitive } from '../ber';
import type { ProtocolOpType, RequestOp, SearchScope, DerefAliases, ModifyOperation } from './types';

/** The [APPLICATION n] identifier octet of every protocolOp (RFC 4511 Appendix B). */
export const OpTag = {
  bindRequest: appConstructed(0),
  bindResponse: appConstructed(1),
  unbindRequest: appPrimitive(2),
  searchRequest: appConstructed(3),
  searchResEntry: appConstructed(4),
  searchResDone: appConstructed(5),
  modifyRequest: appConstructed(6),
  modifyResponse: appConstructed(7),
  addRequest: appConstructed(8),
  addResponse: appConstructed(9),
  delRequest: appPrimitive(10),
  delResponse: appConstructed(11),
  modDNRequest: appConstructed(12),
  modDNResponse: appConstructed(13),
  compareRequest: appConstructed(14),
  compareResponse: appConstructed(15),
  abandonRequest: appPrimitive(16),
  searchResRef: appConstructed(19),
  extendedReq: appConstructed(23),
  extendedResp: appConstructed(24),
  intermediateResponse: appConstructed(25),
} as const satisfies Record<ProtocolOpType, number>;

const requestTypes = new Set<string>([
  'bindRequest', 'unbindRequest', 'searchRequest', 'modifyRequest', 'addRequest',
  'delRequest', 'modDNRequest', 'compareRequest', 'abandonRequest', 'extendedReq',
] satisfies RequestOp['type'][]);

/** True for the ops a client sends; decides how shared-OID controls on a message are read. */
export const isRequestType = (type: ProtocolOpType): boolean => requestTypes.has(type);

/** ENUMERATED values by position, as RFC 4511 numbers them. */
export const SCOPES: readonly SearchScope[] = ['baseObject', 'singleLevel', 'wholeSubtree', 'subordinateSubtree'];
export const DEREF_ALIASES: readonly DerefAliases[] = ['neverDerefAliases', 'derefInSearching', 'derefFindingBaseObj', 'derefAlways'];
export const MODIFY_OPERATIONS: readonly ModifyOperation[] = ['add', 'delete', 'replace', 'increment'];
// increment is RFC 4525's value 3; the others are RFC 4511's 0..2.
