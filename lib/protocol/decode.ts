import { BerReader, MAX_INT32 } from '../ber/reader';
import type { BerReaderOptions } from '../ber/reader';
import { ctxConstructed, ctxPrimitive, formatTag } from '../ber/tags';
import { decodeControl } from './controls/registry';
import type { Control, ControlDirection } from './controls/types';
import { readFilter } from './filter-codec';
import { DEREF_ALIASES, MODIFY_OPERATIONS, OpTag, SCOPES, isRequestType } from './op-tags';
import { UndecodedEntry } from './undecoded-entry';
import { isUsualAttributeList, readShortValues, readUsualAttribute, usualAttribute } from './usual-attributes';
import type {
  AuthenticationChoice, Change, LdapMessage, LdapResult, PartialAttribute, ProtocolOp,
} from './types';

// Plain module constants: reading Tag.X through the ber/index re-export costs a getter call per
// use in CommonJS output, which showed up in the decode profile.
const SEQUENCE = 0x30;
const SET = 0x31;
const OCTET_STRING = 0x04;
const INTEGER = 0x02;
const BOOLEAN = 0x01;
const ENUMERATED = 0x0a;
const CONTROLS = ctxConstructed(0);
const REFERRAL = ctxConstructed(3);

/**
 * Decodes exactly one LDAPMessage from `buffer` (which must hold nothing else). Values are
 * subarrays of `buffer`: keep the buffer alive as long as the message, and do not reuse it.
 */
export const decodeMessage = (buffer: Buffer, options?: BerReaderOptions): LdapMessage => decodeMessageAt(buffer, 0, buffer.length, options);

/**
 * Decodes the one LDAPMessage that fills `buffer[start, end)`, in place (a framer passes the
 * socket chunk and the PDU's bounds, so no view of the PDU is made). Error offsets are
 * `options.baseOffset` plus the offset in `buffer`.
 */
export const decodeMessageAt = (buffer: Buffer, start: number, end: number, options?: BerReaderOptions, undecoded?: UndecodedEntries): LdapMessage => {
  const reader = new BerReader(buffer, start, end, options);
  const message = readMessage(reader, undecoded);
  reader.expectEnd();
  return message;
};

/**
 * Which operations take their entries undecoded (see UndecodedEntry): asked with the messageID
 * of each searchResEntry before its attributes are read.
 */
export type UndecodedEntries = (messageId: number) => boolean;

/** Reads one LDAPMessage at the reader's cursor. */
export const readMessage = (reader: BerReader, undecoded?: UndecodedEntries): LdapMessage => {
  const end = reader.enter(SEQUENCE);
  const messageId = reader.readInteger(INTEGER, 0, MAX_INT32, end);
  const protocolOp =
    undecoded !== undefined && reader.peekTag(end) === OpTag.searchResEntry && undecoded(messageId) ? readUndecodedEntry(reader, end) : readProtocolOp(reader, end);
  let message: LdapMessage;
  if (reader.pos < end) {
    const direction: ControlDirection = isRequestType(protocolOp.type) ? 'request' : 'response';
    message = { messageId, protocolOp, controls: readControls(reader, end, direction) };
  } else {
    message = { messageId, protocolOp };
  }
  reader.exit(end);
  return message;
};

const readControls = (reader: BerReader, limit: number, direction: ControlDirection): Control[] => {
  const end = reader.enter(CONTROLS, limit);
  const controls: Control[] = [];
  while (reader.pos < end) {
    const controlEnd = reader.enter(SEQUENCE, end);
    const oid = reader.readInternedString(OCTET_STRING, controlEnd);
    const criticality = reader.peekTag(controlEnd) === BOOLEAN ? reader.readBoolean(BOOLEAN, controlEnd) : false;
    const value = reader.pos < controlEnd ? reader.readOctetString(OCTET_STRING, controlEnd) : undefined;
    reader.exit(controlEnd);
    controls.push(decodeControl(oid, criticality, value, direction));
  }
  reader.exit(end);
  return controls;
};

const readEnum = <T>(reader: BerReader, names: readonly T[], what: string, limit: number): T => {
  const at = reader.pos;
  const value = reader.readEnumerated(ENUMERATED, limit);
  const name = names[value];
  if (name === undefined) throw reader.error(`unknown ${what} ${value}`, at);
  return name;
};

/** LDAPResult's fields; the caller has entered the op's constructed value ending at `end`. */
const readResult = (reader: BerReader, end: number): LdapResult => {
  const resultCode = reader.readEnumerated(ENUMERATED, end);
  const matchedDN = reader.readString(OCTET_STRING, end);
  const diagnosticMessage = reader.readString(OCTET_STRING, end);
  if (reader.peekTag(end) !== REFERRAL) return { resultCode, matchedDN, diagnosticMessage };
  return { resultCode, matchedDN, diagnosticMessage, referral: readStringList(reader, REFERRAL, end) };
};

const readStringList = (reader: BerReader, tag: number, limit: number): string[] => {
  const end = reader.enter(tag, limit);
  const list: string[] = [];
  while (reader.pos < end) list.push(reader.readString(OCTET_STRING, end));
  reader.exit(end);
  return list;
};

const readAttribute = (reader: BerReader, limit: number): PartialAttribute => {
  const end = reader.enter(SEQUENCE, limit);
  const type = reader.readInternedString(OCTET_STRING, end);
  const setEnd = reader.enter(SET, end);
  const vals = readShortValues(reader.buffer, reader.pos, setEnd) ?? readValues(reader, setEnd);
  reader.pos = setEnd;
  reader.exit(setEnd);
  reader.exit(end);
  return { type, vals };
};

/** Any values, with readOctetString's full checks (long values, bad tags, truncation). */
const readValues = (reader: BerReader, setEnd: number): Buffer[] => {
  const vals: Buffer[] = [];
  while (reader.pos < setEnd) vals.push(reader.readOctetString(OCTET_STRING, setEnd));
  return vals;
};

/**
 * An entry's attribute list. Each attribute of the usual shape (definite lengths of at most two
 * octets, a description under 128 octets, short values) is read straight off the buffer, its
 * headers parsed inline; anything else (and anything malformed, which it then rejects with the
 * precise error) goes through readAttribute and the reader's full checks. Both accept exactly
 * the same input.
 */
const readAttributeList = (reader: BerReader, limit: number): PartialAttribute[] => {
  const end = reader.enter(SEQUENCE, limit);
  const attributes: PartialAttribute[] = [];
  const buffer = reader.buffer;
  const fastPath = reader.canNest(2); // an attribute's SEQUENCE and SET
  let at = reader.pos;
  while (at < end) {
    const attribute = fastPath ? readUsualAttribute(buffer, at, end) : undefined;
    if (attribute !== undefined) {
      attributes.push(attribute);
      at = usualAttribute.end;
    } else {
      reader.pos = at;
      attributes.push(readAttribute(reader, end));
      at = reader.pos;
    }
  }
  reader.pos = end;
  reader.exit(end);
  return attributes;
};

const readAuthentication = (reader: BerReader, limit: number): AuthenticationChoice => {
  const tag = reader.peekTag(limit);
  if (tag === ctxPrimitive(0)) return { type: 'simple', simple: reader.readOctetString(tag, limit) };
  if (tag !== ctxConstructed(3)) throw reader.error(`unknown authentication choice ${formatTag(tag)}`);
  const end = reader.enter(tag, limit);
  const mechanism = reader.readString(OCTET_STRING, end);
  const sasl: AuthenticationChoice = { type: 'sasl', mechanism };
  if (reader.pos < end) sasl.credentials = reader.readOctetString(OCTET_STRING, end);
  reader.exit(end);
  return sasl;
};

const readChange = (reader: BerReader, limit: number): Change => {
  const end = reader.enter(SEQUENCE, limit);
  const operation = readEnum(reader, MODIFY_OPERATIONS, 'modify operation', end);
  const modification = readAttribute(reader, end);
  reader.exit(end);
  return { operation, modification };
};

/** Optional [n] OCTET STRING fields as strings or bytes, shared by the extended ops. */
const optionalString = (reader: BerReader, tag: number, end: number): string | undefined =>
  reader.peekTag(end) === tag ? reader.readString(tag, end) : undefined;
const optionalBytes = (reader: BerReader, tag: number, end: number): Buffer | undefined =>
  reader.peekTag(end) === tag ? reader.readOctetString(tag, end) : undefined;

/** The responses that are an LDAPResult and nothing more. */
type ResultOpType = Extract<ProtocolOp['type'], 'searchResDone' | 'modifyResponse' | 'addResponse' | 'delResponse' | 'modDNResponse' | 'compareResponse'>;

const readResultOp = (reader: BerReader, tag: number, limit: number, type: ResultOpType): ProtocolOp => {
  const end = reader.enter(tag, limit);
  const result = readResult(reader, end);
  reader.exit(end);
  return { type, ...result };
};

/**
 * A searchResEntry whose attribute list, when it is all of the usual shape, is checked and left
 * undecoded; any other list is read as usual (and rejected with the usual errors).
 */
const readUndecodedEntry = (reader: BerReader, limit: number): ProtocolOp => {
  const end = reader.enter(OpTag.searchResEntry, limit);
  const objectName = reader.readString(OCTET_STRING, end);
  const listEnd = reader.enter(SEQUENCE, end);
  let op: ProtocolOp;
  if (reader.canNest(2) && isUsualAttributeList(reader.buffer, reader.pos, listEnd)) {
    op = new UndecodedEntry(objectName, reader.buffer, reader.pos, listEnd);
    reader.pos = listEnd;
  } else {
    // The general path, with the reader's full checks (and its precise errors).
    const attributes: PartialAttribute[] = [];
    while (reader.pos < listEnd) attributes.push(readAttribute(reader, listEnd));
    op = { type: 'searchResEntry', objectName, attributes };
  }
  reader.exit(listEnd);
  reader.exit(end);
  return op;
};

/** Reads the protocolOp CHOICE; each branch consumes exactly its TLV. */
const readProtocolOp = (reader: BerReader, limit: number): ProtocolOp => {
  const tag = reader.peekTag(limit);
  switch (tag) {
    case OpTag.searchResEntry: {
      const end = reader.enter(tag, limit);
      const objectName = reader.readString(OCTET_STRING, end);
      const attributes = readAttributeList(reader, end);
      reader.exit(end);
      return { type: 'searchResEntry', objectName, attributes };
    }
    case OpTag.searchResDone:
      return readResultOp(reader, tag, limit, 'searchResDone');
    case OpTag.modifyResponse:
      return readResultOp(reader, tag, limit, 'modifyResponse');
    case OpTag.addResponse:
      return readResultOp(reader, tag, limit, 'addResponse');
    case OpTag.delResponse:
      return readResultOp(reader, tag, limit, 'delResponse');
    case OpTag.modDNResponse:
      return readResultOp(reader, tag, limit, 'modDNResponse');
    case OpTag.compareResponse:
      return readResultOp(reader, tag, limit, 'compareResponse');
    case OpTag.searchResRef:
      return { type: 'searchResRef', uris: readStringList(reader, tag, limit) };
    case OpTag.bindRequest: {
      const end = reader.enter(tag, limit);
      const version = reader.readInteger(INTEGER, 1, 127, end);
      const name = reader.readString(OCTET_STRING, end);
      const authentication = readAuthentication(reader, end);
      reader.exit(end);
      return { type: 'bindRequest', version, name, authentication };
    }
    case OpTag.bindResponse: {
      const end = reader.enter(tag, limit);
      const result = readResult(reader, end);
      const serverSaslCreds = optionalBytes(reader, ctxPrimitive(7), end);
      reader.exit(end);
      return serverSaslCreds === undefined ? { type: 'bindResponse', ...result } : { type: 'bindResponse', ...result, serverSaslCreds };
    }
    case OpTag.unbindRequest:
      reader.readNull(tag, limit);
      return { type: 'unbindRequest' };
    case OpTag.searchRequest: {
      const end = reader.enter(tag, limit);
      const baseObject = reader.readString(OCTET_STRING, end);
      const scope = readEnum(reader, SCOPES, 'search scope', end);
      const derefAliases = readEnum(reader, DEREF_ALIASES, 'derefAliases value', end);
      const sizeLimit = reader.readInteger(INTEGER, 0, MAX_INT32, end);
      const timeLimit = reader.readInteger(INTEGER, 0, MAX_INT32, end);
      const typesOnly = reader.readBoolean(BOOLEAN, end);
      const filter = readFilter(reader, end);
      const attributes = readStringList(reader, SEQUENCE, end);
      reader.exit(end);
      return { type: 'searchRequest', baseObject, scope, derefAliases, sizeLimit, timeLimit, typesOnly, filter, attributes };
    }
    case OpTag.modifyRequest: {
      const end = reader.enter(tag, limit);
      const object = reader.readString(OCTET_STRING, end);
      const listEnd = reader.enter(SEQUENCE, end);
      const changes: Change[] = [];
      while (reader.pos < listEnd) changes.push(readChange(reader, listEnd));
      reader.exit(listEnd);
      reader.exit(end);
      return { type: 'modifyRequest', object, changes };
    }
    case OpTag.addRequest: {
      const end = reader.enter(tag, limit);
      const entry = reader.readString(OCTET_STRING, end);
      const attributes = readAttributeList(reader, end);
      reader.exit(end);
      return { type: 'addRequest', entry, attributes };
    }
    case OpTag.delRequest:
      return { type: 'delRequest', entry: reader.readString(tag, limit) };
    case OpTag.modDNRequest: {
      const end = reader.enter(tag, limit);
      const entry = reader.readString(OCTET_STRING, end);
      const newrdn = reader.readString(OCTET_STRING, end);
      const deleteoldrdn = reader.readBoolean(BOOLEAN, end);
      const newSuperior = optionalString(reader, ctxPrimitive(0), end);
      reader.exit(end);
      return newSuperior === undefined
        ? { type: 'modDNRequest', entry, newrdn, deleteoldrdn }
        : { type: 'modDNRequest', entry, newrdn, deleteoldrdn, newSuperior };
    }
    case OpTag.compareRequest: {
      const end = reader.enter(tag, limit);
      const entry = reader.readString(OCTET_STRING, end);
      const avaEnd = reader.enter(SEQUENCE, end);
      const attributeDesc = reader.readString(OCTET_STRING, avaEnd);
      const assertionValue = reader.readOctetString(OCTET_STRING, avaEnd);
      reader.exit(avaEnd);
      reader.exit(end);
      return { type: 'compareRequest', entry, ava: { attributeDesc, assertionValue } };
    }
    case OpTag.abandonRequest:
      return { type: 'abandonRequest', idToAbandon: reader.readInteger(tag, 0, MAX_INT32, limit) };
    case OpTag.extendedReq: {
      const end = reader.enter(tag, limit);
      const requestName = reader.readString(ctxPrimitive(0), end);
      const requestValue = optionalBytes(reader, ctxPrimitive(1), end);
      reader.exit(end);
      return requestValue === undefined ? { type: 'extendedReq', requestName } : { type: 'extendedReq', requestName, requestValue };
    }
    case OpTag.extendedResp: {
      const end = reader.enter(tag, limit);
      const op: ProtocolOp = { type: 'extendedResp', ...readResult(reader, end) };
      const responseName = optionalString(reader, ctxPrimitive(10), end);
      if (responseName !== undefined) op.responseName = responseName;
      const responseValue = optionalBytes(reader, ctxPrimitive(11), end);
      if (responseValue !== undefined) op.responseValue = responseValue;
      reader.exit(end);
      return op;
    }
    case OpTag.intermediateResponse: {
      const end = reader.enter(tag, limit);
      const op: ProtocolOp = { type: 'intermediateResponse' };
      const responseName = optionalString(reader, ctxPrimitive(0), end);
      if (responseName !== undefined) op.responseName = responseName;
      const responseValue = optionalBytes(reader, ctxPrimitive(1), end);
      if (responseValue !== undefined) op.responseValue = responseValue;
      reader.exit(end);
      return op;
    }
    case -1:
      throw reader.error('protocolOp expected but the message ended');
    default:
      throw reader.error(`unknown protocolOp tag ${formatTag(tag)}`);
  }
};

