/**
 * Entries that test LDIF's corners, as slapadd LDIF to load beside generatePeople's: a JPEG,
 * bytes that are not UTF-8, a UTF-8 DN and values, a value with a leading space, values that are
 * exactly a line long and longer than one, a tab (SAFE-STRING allows it plain, ldapsearch does not).
 */
import { PEOPLE_DN } from './data';

/**
 * A real baseline JPEG (an 8×8 mid-grey block), built marker by marker: SOI, JFIF, a quantization
 * table, the frame, one-code Huffman tables for DC and AC, the scan (DC difference 0, end of
 * block) and EOI. 0x00 and 0xFF bytes throughout, as in any JPEG.
 */
export const tinyJpeg = (): Buffer =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    Buffer.from([0xff, 0xdb, 0x00, 0x43, 0x00]), Buffer.alloc(64, 0x01),
    Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]),
    Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x00, 0x01]), Buffer.alloc(15), Buffer.from([0x00]),
    Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x10, 0x01]), Buffer.alloc(15), Buffer.from([0x00]),
    Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f]),
    Buffer.from([0xff, 0xd9]),
  ]);

export const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x0a, 0x0d]);
export const UTF8_UID = 'josé';
export const LEADING_SPACE = ' leading space';
export const TABBED = 'a\ttab';

const b64 = (value: string | Buffer): string => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString('base64');

/** The special entries as LDIF (every tricky value base64, as slapadd needs). */
export const specialEntriesLdif = (): string =>
  [
    `dn: uid=binary,${PEOPLE_DN}`,
    'objectClass: inetOrgPerson',
    'uid: binary',
    'sn: Binary',
    `cn:: ${b64('Binary trailing ')}`,
    `jpegPhoto:: ${b64(tinyJpeg())}`,
    `audio:: ${b64(NOT_UTF8)}`,
    `description:: ${b64(LEADING_SPACE)}`,
    `title:: ${b64(TABBED)}`,
    `street:: ${b64(':colon first')}`,
    '',
    `dn:: ${b64(`uid=${UTF8_UID},${PEOPLE_DN}`)}`,
    'objectClass: inetOrgPerson',
    `uid:: ${b64(UTF8_UID)}`,
    `sn:: ${b64('Müller')}`,
    `cn:: ${b64('José Müller')}`,
    `description:: ${b64('Grüße aus Köln, '.repeat(20))}`,
    `displayName:: ${b64('<angle first')}`,
    '',
    `dn: uid=${'long'.repeat(20)},${PEOPLE_DN}`,
    'objectClass: inetOrgPerson',
    `uid: ${'long'.repeat(20)}`,
    'sn: Long',
    'cn: Long',
    `description: ${'a long ASCII description, '.repeat(12).trim()}`,
    `l: ${'x'.repeat(72)}`,
    `st: ${'x'.repeat(73)}`,
    '',
    '',
  ].join('\n');
