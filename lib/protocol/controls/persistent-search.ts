import { BerReader, BerWriter, Tag } from '../../ber';
import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import type { ChangeTypeName } from './types';
import { WIDE_INTEGER, checkInteger, enumCode, nextIs, readEnumName, requireValue } from './value-helpers';

/**
 * draft-ietf-ldapext-psearch-03 change types: the bits of PersistentSearch.changeTypes and the
 * values of EntryChangeNotification.changeType ENUMERATED { add (1), delete (2), modify (4), modDN (8) }.
 */
export const CHANGE_TYPES: Readonly<Record<ChangeTypeName, number>> = { add: 1, delete: 2, modify: 4, modDN: 8 };
/** Every change type: add | delete | modify | modDN. */
export const ALL_CHANGE_TYPES = 0x0f;

/**
 * PersistentSearch ::= SEQUENCE { changeTypes INTEGER, changesOnly BOOLEAN, returnECs BOOLEAN }
 * changeTypes is "the logical OR of one or more" change types, so it must be within 1..15.
 */
export const persistentSearchCodec = defineControlCodec({
  type: 'persistentSearch',
  oid: ControlOid.persistentSearch,
  direction: 'request',
  encodeValue: ({ value }) =>
    new BerWriter(16)
      .startSequence()
      .writeInteger(checkInteger(value.changeTypes, 1, ALL_CHANGE_TYPES, 'persistentSearch changeTypes'))
      .writeBoolean(value.changesOnly)
      .writeBoolean(value.returnECs)
      .endSequence()
      .toBuffer(),
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'persistentSearch'));
    const end = reader.enter();
    const changeTypes = reader.readInteger(Tag.INTEGER, 1, ALL_CHANGE_TYPES, end);
    const changesOnly = reader.readBoolean(Tag.BOOLEAN, end);
    const returnECs = reader.readBoolean(Tag.BOOLEAN, end);
    reader.exit(end);
    reader.expectEnd();
    return {
      type: 'persistentSearch',
      oid: ControlOid.persistentSearch,
      criticality,
      value: { changeTypes, changesOnly, returnECs },
    };
  },
});

/**
 * EntryChangeNotification ::= SEQUENCE {
 *   changeType ENUMERATED { add (1), delete (2), modify (4), modDN (8) },
 *   previousDN LDAPDN OPTIONAL,     -- modifyDN ops. only
 *   changeNumber INTEGER OPTIONAL } -- if supported
 * previousDN with any other changeType is rejected both ways. changeNumber has no stated bound;
 * any integer up to 2^48 in magnitude is accepted.
 */
export const entryChangeNotificationCodec = defineControlCodec({
  type: 'entryChangeNotification',
  oid: ControlOid.entryChangeNotification,
  direction: 'response',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(32 + (value.previousDN?.length ?? 0) * 3).startSequence();
    writer.writeEnumerated(enumCode(CHANGE_TYPES, value.changeType, 'change type'));
    if (value.previousDN !== undefined) {
      if (value.changeType !== 'modDN') {
        throw new TypeError(`entryChangeNotification previousDN is only allowed with changeType modDN, not ${value.changeType}`);
      }
      writer.writeString(value.previousDN);
    }
    if (value.changeNumber !== undefined) {
      writer.writeInteger(checkInteger(value.changeNumber, -WIDE_INTEGER, WIDE_INTEGER, 'entryChangeNotification changeNumber'));
    }
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'entryChangeNotification'));
    const end = reader.enter();
    const changeType = readEnumName(reader, CHANGE_TYPES, 'change type', end);
    let previousDN: string | undefined;
    if (nextIs(reader, Tag.OCTET_STRING, end)) {
      if (changeType !== 'modDN') throw reader.error(`previousDN is only allowed with changeType modDN, not ${changeType}`);
      previousDN = reader.readString(Tag.OCTET_STRING, end);
    }
    const changeNumber = nextIs(reader, Tag.INTEGER, end)
      ? reader.readInteger(Tag.INTEGER, -WIDE_INTEGER, WIDE_INTEGER, end)
      : undefined;
    reader.exit(end);
    reader.expectEnd();
    const result: { changeType: ChangeTypeName; previousDN?: string; changeNumber?: number } = { changeType };
    if (previousDN !== undefined) result.previousDN = previousDN;
    if (changeNumber !== undefined) result.changeNumber = changeNumber;
    return { type: 'entryChangeNotification', oid: ControlOid.entryChangeNotification, criticality, value: result };
  },
});
