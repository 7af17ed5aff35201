import { BerReader, BerWriter, MAX_INT32, MIN_INT32, Tag } from '../../ber';
import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import { checkInteger, requireValue } from './value-helpers';

/** [MS-ADTS] 3.1.1.3.4.1.3 DirSync flag bits (combine with |, then `>>> 0` to keep it unsigned). */
export const DirSyncFlags = {
  /** LDAP_DIRSYNC_OBJECT_SECURITY: return only what the caller may read, without the replication right. */
  objectSecurity: 0x00000001,
  /** LDAP_DIRSYNC_ANCESTORS_FIRST_ORDER: parents before children. */
  ancestorsFirstOrder: 0x00000800,
  /** LDAP_DIRSYNC_PUBLIC_DATA_ONLY: accepted and ignored by Windows Server 2003 and later. */
  publicDataOnly: 0x00002000,
  /** LDAP_DIRSYNC_INCREMENTAL_VALUES: linked-attribute changes as value deltas. */
  incrementalValues: 0x80000000,
} as const;

export const MAX_UINT32 = 0xffffffff;
/** The maxBytes dirSyncControl() asks for when not told: as much as the server will send (2^31 - 1). */
export const DIRSYNC_DEFAULT_MAX_BYTES = MAX_INT32;

/**
 * Active Directory treats DirSync's INTEGERs as 32-bit words ([MS-DRSR] 5.115.1.5 types them as
 * ULONG), so a value with bit 31 set travels as 4 octets, e.g. 0x80000000 as `02 04 80 00 00 00`,
 * which plain BER reads as negative. AD rejects the 5-octet positive form `02 05 00 80 00 00 00`
 * (go-ldap/ldap#571, cannatag/ldap3#642).
 *
 * So rxldap holds these fields as unsigned 32-bit numbers (0 .. 0xffffffff):
 * - encoding writes the 32-bit two's complement form, the one AD's own client sends;
 * - decoding accepts both forms, anything in [-2^31, 2^32 - 1], and returns `value >>> 0`;
 * - a negative number given to the encoder is taken as its 32-bit pattern (-1 → 0xffffffff).
 */
const writeWord = (writer: BerWriter, value: number, what: string): BerWriter =>
  writer.writeInteger(checkInteger(value, MIN_INT32, MAX_UINT32, `DirSync ${what}`) | 0);

const readWord = (reader: BerReader, limit: number): number => reader.readInteger(Tag.INTEGER, MIN_INT32, MAX_UINT32, limit) >>> 0;

/**
 * [MS-ADTS] 3.1.1.3.4.1.3
 * DirSyncRequestValue ::= SEQUENCE { Flags INTEGER, MaxBytes INTEGER, Cookie OCTET STRING }
 * The first request has an empty cookie; later ones send the last response's cookie.
 */
export const dirSyncRequestCodec = defineControlCodec({
  type: 'dirSyncRequest',
  oid: ControlOid.dirSync,
  direction: 'request',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(24 + value.cookie.length).startSequence();
    writeWord(writer, value.flags, 'flags');
    writeWord(writer, value.maxBytes, 'maxBytes');
    return writer.writeOctetString(value.cookie).endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'dirSyncRequest'));
    const end = reader.enter();
    const flags = readWord(reader, end);
    const maxBytes = readWord(reader, end);
    const cookie = reader.readOctetString(Tag.OCTET_STRING, end);
    reader.exit(end);
    reader.expectEnd();
    return { type: 'dirSyncRequest', oid: ControlOid.dirSync, criticality, value: { flags, maxBytes, cookie } };
  },
});

/**
 * [MS-ADTS] 3.1.1.3.4.1.3, on SearchResultDone
 * DirSyncResponseValue ::= SEQUENCE { MoreResults INTEGER, unused INTEGER, CookieServer OCTET STRING }
 * MoreResults is non-zero when more changes wait; the same word rules as the request apply.
 */
export const dirSyncResponseCodec = defineControlCodec({
  type: 'dirSyncResponse',
  oid: ControlOid.dirSync,
  direction: 'response',
  encodeValue: ({ value }) => {
    const writer = new BerWriter(24 + value.cookie.length).startSequence();
    writeWord(writer, value.moreResults, 'moreResults');
    writeWord(writer, value.unused, 'unused');
    return writer.writeOctetString(value.cookie).endSequence().toBuffer();
  },
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'dirSyncResponse'));
    const end = reader.enter();
    const moreResults = readWord(reader, end);
    const unused = readWord(reader, end);
    const cookie = reader.readOctetString(Tag.OCTET_STRING, end);
    reader.exit(end);
    reader.expectEnd();
    return { type: 'dirSyncResponse', oid: ControlOid.dirSync, criticality, value: { moreResults, unused, cookie } };
  },
});
