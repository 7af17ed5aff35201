import { BerReader, BerWriter, MAX_INT32, MIN_INT32, Tag, ctxPrimitive } from '../../ber';
import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import type { SortKey } from './types';
import { checkInteger, nextIs, requireValue } from './value-helpers';

const ORDERING_RULE = ctxPrimitive(0);
const REVERSE_ORDER = ctxPrimitive(1);
const ATTRIBUTE_TYPE = ctxPrimitive(0);

/**
 * RFC 2891 §1.1
 * SortKeyList ::= SEQUENCE OF SEQUENCE {
 *   attributeType AttributeDescription,
 *   orderingRule  [0] MatchingRuleId OPTIONAL,
 *   reverseOrder  [1] BOOLEAN DEFAULT FALSE }
 */
export const sortRequestCodec = defineControlCodec({
  type: 'sortRequest',
  oid: ControlOid.sortRequest,
  direction: 'request',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(16 + 24 * value.keys.length).startSequence();
    for (const key of value.keys) {
      writer.startSequence().writeString(key.attributeType);
      if (key.orderingRule !== undefined) writer.writeString(key.orderingRule, ORDERING_RULE);
      if (key.reverseOrder) writer.writeBoolean(true, REVERSE_ORDER);
      writer.endSequence();
    }
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'sortRequest'));
    const end = reader.enter();
    const keys: SortKey[] = [];
    while (reader.pos < end) {
      const keyEnd = reader.enter(Tag.SEQUENCE, end);
      const attributeType = reader.readString(Tag.OCTET_STRING, keyEnd);
      const orderingRule = nextIs(reader, ORDERING_RULE, keyEnd) ? reader.readString(ORDERING_RULE, keyEnd) : undefined;
      const reverseOrder = nextIs(reader, REVERSE_ORDER, keyEnd) ? reader.readBoolean(REVERSE_ORDER, keyEnd) : false;
      reader.exit(keyEnd);
      keys.push(orderingRule === undefined ? { attributeType, reverseOrder } : { attributeType, orderingRule, reverseOrder });
    }
    reader.exit(end);
    reader.expectEnd();
    return { type: 'sortRequest', oid: ControlOid.sortRequest, criticality, value: { keys } };
  },
});

/**
 * RFC 2891 §1.2
 * SortResult ::= SEQUENCE { sortResult ENUMERATED {...}, attributeType [0] AttributeDescription OPTIONAL }
 * sortResult stays a number and is not checked against the RFC's list (servers add their own).
 */
export const sortResponseCodec = defineControlCodec({
  type: 'sortResponse',
  oid: ControlOid.sortResponse,
  direction: 'response',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(32).startSequence().writeEnumerated(checkInteger(value.sortResult, MIN_INT32, MAX_INT32, 'sortResult'));
    if (value.attributeType !== undefined) writer.writeString(value.attributeType, ATTRIBUTE_TYPE);
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'sortResponse'));
    const end = reader.enter();
    const sortResult = reader.readEnumerated(Tag.ENUMERATED, end);
    const attributeType = nextIs(reader, ATTRIBUTE_TYPE, end) ? reader.readString(ATTRIBUTE_TYPE, end) : undefined;
    reader.exit(end);
    reader.expectEnd();
    return {
      type: 'sortResponse',
      oid: ControlOid.sortResponse,
      criticality,
      value: attributeType === undefined ? { sortResult } : { sortResult, attributeType },
    };
  },
});
