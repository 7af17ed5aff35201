import { BerReader, BerWriter, MAX_INT32, MIN_INT32, Tag, ctxConstructed, ctxPrimitive, formatTag } from '../../ber';
import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import type { VlvTarget } from './types';
import { checkInteger, nextIs, requireValue } from './value-helpers';

const BY_OFFSET = ctxConstructed(0);
const GREATER_THAN_OR_EQUAL = ctxPrimitive(1);

/**
 * draft-ietf-ldapext-ldapv3-vlv-09 §6.1
 * VirtualListViewRequest ::= SEQUENCE {
 *   beforeCount INTEGER (0..maxInt),
 *   afterCount  INTEGER (0..maxInt),
 *   target CHOICE {
 *     byOffset [0] SEQUENCE { offset INTEGER (0 .. maxInt), contentCount INTEGER (0 .. maxInt) },
 *     greaterThanOrEqual [1] AssertionValue },
 *   contextID OCTET STRING OPTIONAL }
 */
export const vlvRequestCodec = defineControlCodec({
  type: 'vlvRequest',
  oid: ControlOid.vlvRequest,
  direction: 'request',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(32 + (value.contextID?.length ?? 0)).startSequence();
    writer.writeInteger(checkInteger(value.beforeCount, 0, MAX_INT32, 'VLV beforeCount'));
    writer.writeInteger(checkInteger(value.afterCount, 0, MAX_INT32, 'VLV afterCount'));
    const target = value.target;
    if (target.type === 'byOffset') {
      writer
        .startSequence(BY_OFFSET)
        .writeInteger(checkInteger(target.offset, 0, MAX_INT32, 'VLV offset'))
        .writeInteger(checkInteger(target.contentCount, 0, MAX_INT32, 'VLV contentCount'))
        .endSequence();
    } else if (target.type === 'greaterThanOrEqual') {
      writer.writeOctetString(target.assertionValue, GREATER_THAN_OR_EQUAL);
    } else {
      throw new TypeError(`unknown VLV target type '${String((target as { type: unknown }).type)}'`);
    }
    if (value.contextID !== undefined) writer.writeOctetString(value.contextID);
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'vlvRequest'));
    const end = reader.enter();
    const beforeCount = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, end);
    const afterCount = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, end);
    let target: VlvTarget;
    const tag = reader.peekTag(end);
    if (tag === BY_OFFSET) {
      const targetEnd = reader.enter(BY_OFFSET, end);
      const offset = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, targetEnd);
      const contentCount = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, targetEnd);
      reader.exit(targetEnd);
      target = { type: 'byOffset', offset, contentCount };
    } else if (tag === GREATER_THAN_OR_EQUAL) {
      target = { type: 'greaterThanOrEqual', assertionValue: reader.readOctetString(GREATER_THAN_OR_EQUAL, end) };
    } else if (tag === -1) {
      throw reader.error('VLV target expected but the value ended');
    } else {
      throw reader.error(`unknown VLV target choice ${formatTag(tag)}`);
    }
    const contextID = nextIs(reader, Tag.OCTET_STRING, end) ? reader.readOctetString(Tag.OCTET_STRING, end) : undefined;
    reader.exit(end);
    reader.expectEnd();
    return {
      type: 'vlvRequest',
      oid: ControlOid.vlvRequest,
      criticality,
      value: contextID === undefined ? { beforeCount, afterCount, target } : { beforeCount, afterCount, target, contextID },
    };
  },
});

/**
 * draft-ietf-ldapext-ldapv3-vlv-09 §6.2
 * VirtualListViewResponse ::= SEQUENCE {
 *   targetPosition INTEGER (0 .. maxInt),
 *   contentCount   INTEGER (0 .. maxInt),
 *   virtualListViewResult ENUMERATED {...},
 *   contextID OCTET STRING OPTIONAL }
 * virtualListViewResult stays a number and is not checked (servers differ on its list).
 */
export const vlvResponseCodec = defineControlCodec({
  type: 'vlvResponse',
  oid: ControlOid.vlvResponse,
  direction: 'response',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(32 + (value.contextID?.length ?? 0)).startSequence();
    writer.writeInteger(checkInteger(value.targetPosition, 0, MAX_INT32, 'VLV targetPosition'));
    writer.writeInteger(checkInteger(value.contentCount, 0, MAX_INT32, 'VLV contentCount'));
    writer.writeEnumerated(checkInteger(value.virtualListViewResult, MIN_INT32, MAX_INT32, 'virtualListViewResult'));
    if (value.contextID !== undefined) writer.writeOctetString(value.contextID);
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'vlvResponse'));
    const end = reader.enter();
    const targetPosition = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, end);
    const contentCount = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, end);
    const virtualListViewResult = reader.readEnumerated(Tag.ENUMERATED, end);
    const contextID = nextIs(reader, Tag.OCTET_STRING, end) ? reader.readOctetString(Tag.OCTET_STRING, end) : undefined;
    reader.exit(end);
    reader.expectEnd();
    const result = { targetPosition, contentCount, virtualListViewResult };
    return {
      type: 'vlvResponse',
      oid: ControlOid.vlvResponse,
      criticality,
      value: contextID === undefined ? result : { ...result, contextID },
    };
  },
});
