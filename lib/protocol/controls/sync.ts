import { BerReader, BerWriter, Tag } from '../../ber';
import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import type { SyncMode, SyncStateName } from './types';
import { enumCode, nextIs, readEnumName, requireValue } from './value-helpers';

/** RFC 4533 §2.2: mode ENUMERATED { refreshOnly (1), -- 2 reserved -- refreshAndPersist (3) } */
export const SYNC_MODES: Readonly<Record<SyncMode, number>> = { refreshOnly: 1, refreshAndPersist: 3 };
/** RFC 4533 §2.3: state ENUMERATED { present (0), add (1), modify (2), delete (3) } */
export const SYNC_STATES: Readonly<Record<SyncStateName, number>> = { present: 0, add: 1, modify: 2, delete: 3 };

/** syncUUID ::= OCTET STRING (SIZE(16)) — an entryUUID's 16 raw octets (RFC 4533 §2.1). */
export const SYNC_UUID_LENGTH = 16;

/** Reads one syncUUID and rejects any length other than 16 octets. */
export const readSyncUUID = (reader: BerReader, limit = reader.end): Buffer => {
  const at = reader.pos;
  const uuid = reader.readOctetString(Tag.OCTET_STRING, limit);
  if (uuid.length !== SYNC_UUID_LENGTH) {
    throw reader.error(`syncUUID must be ${SYNC_UUID_LENGTH} octets, not ${uuid.length}`, at);
  }
  return uuid;
};

/** Checks a syncUUID about to be encoded (a RangeError: the caller's mistake, not the wire's). */
export const checkSyncUUID = (uuid: Buffer | Uint8Array, what = 'entryUUID'): Buffer | Uint8Array => {
  if (uuid.length !== SYNC_UUID_LENGTH) throw new RangeError(`${what} must be ${SYNC_UUID_LENGTH} octets, not ${uuid.length}`);
  return uuid;
};

const cookieLength = (cookie: Buffer | undefined): number => (cookie === undefined ? 0 : cookie.length);

/**
 * RFC 4533 §2.2
 * syncRequestValue ::= SEQUENCE { mode ENUMERATED {...}, cookie syncCookie OPTIONAL, reloadHint BOOLEAN DEFAULT FALSE }
 */
export const syncRequestCodec = defineControlCodec({
  type: 'syncRequest',
  oid: ControlOid.syncRequest,
  direction: 'request',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(16 + cookieLength(value.cookie)).startSequence();
    writer.writeEnumerated(enumCode(SYNC_MODES, value.mode, 'sync mode'));
    if (value.cookie !== undefined) writer.writeOctetString(value.cookie);
    if (value.reloadHint) writer.writeBoolean(true);
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'syncRequest'));
    const end = reader.enter();
    const mode = readEnumName(reader, SYNC_MODES, 'sync mode', end);
    const cookie = nextIs(reader, Tag.OCTET_STRING, end) ? reader.readOctetString(Tag.OCTET_STRING, end) : undefined;
    const reloadHint = nextIs(reader, Tag.BOOLEAN, end) ? reader.readBoolean(Tag.BOOLEAN, end) : false;
    reader.exit(end);
    reader.expectEnd();
    return {
      type: 'syncRequest',
      oid: ControlOid.syncRequest,
      criticality,
      value: cookie === undefined ? { mode, reloadHint } : { mode, cookie, reloadHint },
    };
  },
});

/**
 * RFC 4533 §2.3, on SearchResultEntry and SearchResultReference
 * syncStateValue ::= SEQUENCE { state ENUMERATED {...}, entryUUID syncUUID, cookie syncCookie OPTIONAL }
 */
export const syncStateCodec = defineControlCodec({
  type: 'syncState',
  oid: ControlOid.syncState,
  direction: 'response',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(32 + cookieLength(value.cookie)).startSequence();
    writer.writeEnumerated(enumCode(SYNC_STATES, value.state, 'sync state'));
    writer.writeOctetString(checkSyncUUID(value.entryUUID));
    if (value.cookie !== undefined) writer.writeOctetString(value.cookie);
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'syncState'));
    const end = reader.enter();
    const state = readEnumName(reader, SYNC_STATES, 'sync state', end);
    const entryUUID = readSyncUUID(reader, end);
    const cookie = nextIs(reader, Tag.OCTET_STRING, end) ? reader.readOctetString(Tag.OCTET_STRING, end) : undefined;
    reader.exit(end);
    reader.expectEnd();
    return {
      type: 'syncState',
      oid: ControlOid.syncState,
      criticality,
      value: cookie === undefined ? { state, entryUUID } : { state, entryUUID, cookie },
    };
  },
});

/**
 * RFC 4533 §2.4, on SearchResultDone
 * syncDoneValue ::= SEQUENCE { cookie syncCookie OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE }
 */
export const syncDoneCodec = defineControlCodec({
  type: 'syncDone',
  oid: ControlOid.syncDone,
  direction: 'response',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(16 + cookieLength(value.cookie)).startSequence();
    if (value.cookie !== undefined) writer.writeOctetString(value.cookie);
    if (value.refreshDeletes) writer.writeBoolean(true);
    return writer.endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'syncDone'));
    const end = reader.enter();
    const cookie = nextIs(reader, Tag.OCTET_STRING, end) ? reader.readOctetString(Tag.OCTET_STRING, end) : undefined;
    const refreshDeletes = nextIs(reader, Tag.BOOLEAN, end) ? reader.readBoolean(Tag.BOOLEAN, end) : false;
    reader.exit(end);
    reader.expectEnd();
    return {
      type: 'syncDone',
      oid: ControlOid.syncDone,
      criticality,
      value: cookie === undefined ? { refreshDeletes } : { cookie, refreshDeletes },
    };
  },
});
