import { BerReader, BerWriter, Tag, ctxConstructed, ctxPrimitive, formatTag } from '../../ber';
import { checkSyncUUID, readSyncUUID } from '../controls/sync';

/** RFC 4533 §2.5: the IntermediateResponse responseName of a Sync Info Message. */
export const SYNC_INFO_OID = '1.3.6.1.4.1.4203.1.9.1.4';

/**
 * RFC 4533 §2.5 syncInfoValue, one member per CHOICE alternative. DEFAULT fields are always
 * present here (refreshDone TRUE, refreshDeletes FALSE when the server left them out).
 */
export type SyncInfo =
  | { type: 'newcookie'; cookie: Buffer }
  | { type: 'refreshDelete'; cookie?: Buffer; refreshDone: boolean }
  | { type: 'refreshPresent'; cookie?: Buffer; refreshDone: boolean }
  | { type: 'syncIdSet'; cookie?: Buffer; refreshDeletes: boolean; syncUUIDs: Buffer[] };
export type SyncInfoType = SyncInfo['type'];

const NEW_COOKIE = ctxPrimitive(0);
const REFRESH_DELETE = ctxConstructed(1);
const REFRESH_PRESENT = ctxConstructed(2);
const SYNC_ID_SET = ctxConstructed(3);

/**
 * syncInfoValue ::= CHOICE {
 *   newcookie      [0] syncCookie,
 *   refreshDelete  [1] SEQUENCE { cookie syncCookie OPTIONAL, refreshDone BOOLEAN DEFAULT TRUE },
 *   refreshPresent [2] SEQUENCE { cookie syncCookie OPTIONAL, refreshDone BOOLEAN DEFAULT TRUE },
 *   syncIdSet      [3] SEQUENCE { cookie syncCookie OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE,
 *                                 syncUUIDs SET OF syncUUID } }
 * DEFAULT values are left out; every syncUUID must be 16 octets.
 */
export const encodeSyncInfoValue = (info: SyncInfo): Buffer => {
  const cookieSize = info.cookie === undefined ? 0 : info.cookie.length;
  switch (info.type) {
    case 'newcookie':
      return new BerWriter(8 + cookieSize).writeOctetString(info.cookie, NEW_COOKIE).toBuffer();
    case 'refreshDelete':
    case 'refreshPresent': {
      const writer = new BerWriter(16 + cookieSize).startSequence(info.type === 'refreshDelete' ? REFRESH_DELETE : REFRESH_PRESENT);
      if (info.cookie !== undefined) writer.writeOctetString(info.cookie);
      if (!info.refreshDone) writer.writeBoolean(false);
      return writer.endSequence().toBuffer();
    }
    case 'syncIdSet': {
      const writer = new BerWriter(24 + cookieSize + 18 * info.syncUUIDs.length).startSequence(SYNC_ID_SET);
      if (info.cookie !== undefined) writer.writeOctetString(info.cookie);
      if (info.refreshDeletes) writer.writeBoolean(true);
      writer.startSequence(Tag.SET);
      for (const uuid of info.syncUUIDs) writer.writeOctetString(checkSyncUUID(uuid, 'syncUUID'));
      return writer.endSequence().endSequence().toBuffer();
    }
    default:
      throw new TypeError(`unknown Sync Info type '${String((info as { type: unknown }).type)}'`);
  }
};

/** Decodes a Sync Info Message's responseValue; malformed octets are a ProtocolError. */
export const decodeSyncInfoValue = (value: Buffer): SyncInfo => {
  const reader = new BerReader(value);
  const tag = reader.peekTag();
  let info: SyncInfo;
  switch (tag) {
    case NEW_COOKIE:
      info = { type: 'newcookie', cookie: reader.readOctetString(NEW_COOKIE) };
      break;
    case REFRESH_DELETE:
    case REFRESH_PRESENT: {
      const end = reader.enter(tag);
      const cookie = reader.peekTag(end) === Tag.OCTET_STRING ? reader.readOctetString(Tag.OCTET_STRING, end) : undefined;
      const refreshDone = reader.peekTag(end) === Tag.BOOLEAN ? reader.readBoolean(Tag.BOOLEAN, end) : true;
      reader.exit(end);
      const type = tag === REFRESH_DELETE ? 'refreshDelete' : 'refreshPresent';
      info = cookie === undefined ? { type, refreshDone } : { type, cookie, refreshDone };
      break;
    }
    case SYNC_ID_SET: {
      const end = reader.enter(tag);
      const cookie = reader.peekTag(end) === Tag.OCTET_STRING ? reader.readOctetString(Tag.OCTET_STRING, end) : undefined;
      const refreshDeletes = reader.peekTag(end) === Tag.BOOLEAN ? reader.readBoolean(Tag.BOOLEAN, end) : false;
      const setEnd = reader.enter(Tag.SET, end);
      const syncUUIDs: Buffer[] = [];
      while (reader.pos < setEnd) syncUUIDs.push(readSyncUUID(reader, setEnd));
      reader.exit(setEnd);
      reader.exit(end);
      info = cookie === undefined
        ? { type: 'syncIdSet', refreshDeletes, syncUUIDs }
        : { type: 'syncIdSet', cookie, refreshDeletes, syncUUIDs };
      break;
    }
    case -1:
      throw reader.error('empty Sync Info value');
    default:
      throw reader.error(`unknown Sync Info choice ${formatTag(tag)}`);
  }
  reader.expectEnd();
  return info;
};
