/**
 * Entries received undecoded (as the SyncReplConsumer's own sync receives them), and random
 * attribute lists of the usual shape for the property specs of what is read from their BER:
 * binary and non-ASCII values, invalid UTF-8, quotes, backslashes and control characters,
 * types repeated in another case, empty value sets, names an object could inherit, names that
 * are array indices.
 */
import fc from 'fast-check';
import { decodeMessageAt } from '../../../../lib/protocol/decode';
import { encodeMessage } from '../../../../lib/protocol/encode';
import type { PartialAttribute } from '../../../../lib/protocol/types';
import { UndecodedEntry } from '../../../../lib/protocol/undecoded-entry';
import { binaryAttributeSet, DEFAULT_BINARY_ATTRIBUTES } from '../../../../lib/search/sync/attributes';

export const undecodedEntry = (objectName: string, attributes: PartialAttribute[]): UndecodedEntry => {
  const bytes = encodeMessage({ messageId: 7, protocolOp: { type: 'searchResEntry', objectName, attributes } });
  const op = decodeMessageAt(bytes, 0, bytes.length, undefined, () => true).protocolOp;
  if (!(op instanceof UndecodedEntry)) throw new Error(`expected an undecoded entry, got ${op.type}`);
  return op;
};

export const attributeName = fc.oneof(
  fc.constantFrom(
    'cn', 'CN', 'Cn', 'sn', 'description', 'DESCRIPTION;lang-en', 'description;Binary', 'userCertificate', 'userCertificate;binary',
    'USERCERTIFICATE;BINARY', 'jpegPhoto', 'objectClass', 'objectclass', '2.5.4.3', 'constructor', '__proto__', 'valueOf', 'toString',
    'x-opt;lang-en;binary', '1', '0', '42', '01', '4294967295', 'a"b', 'back\\slash', 'tab\there', 'caf\u00e9',
  ),
  fc.string({ maxLength: 12 }).filter((name) => Buffer.byteLength(name) < 128),
);
export const byteValue = fc.uint8Array({ maxLength: 127 }).map((bytes) => Buffer.from(bytes)); // invalid UTF-8, control characters, empty values
const textValue = fc.string({ maxLength: 60 }).map((text) => Buffer.from(text, 'utf8')).filter((value) => value.length < 128);
const unicodeValue = fc.string({ unit: 'grapheme', maxLength: 20 }).map((text) => Buffer.from(text, 'utf8')).filter((value) => value.length < 128);
const special = fc.constantFrom(
  ...['', 'Jos\u00e9', '\u{1F600}', 'a', '"', '\\', '\\"', '\u0000', '\u001f', '\b\f\n\r\t', '\u007f', '\u2028\u2029', 'a"b\\c\nd'].map((text) => Buffer.from(text, 'utf8')),
  Buffer.from([0xff, 0xfe]), Buffer.from([0xe2, 0x82]), Buffer.from([0x61, 0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf0, 0x9f, 0x98]),
  Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x22]), Buffer.from([0x80, 0x5c]),
);
export const attributeList = fc.array(fc.record({ type: attributeName, vals: fc.array(fc.oneof(byteValue, textValue, unicodeValue, special), { maxLength: 4 }) }), { maxLength: 10 });


/** The binary attribute sets the property specs run with. */
export const BINARY_SETS: ReadonlyArray<[string, ReadonlySet<string>]> = [
  ['the default binary attributes', binaryAttributeSet(DEFAULT_BINARY_ATTRIBUTES)],
  ['description and CN as binary', binaryAttributeSet(['description', 'CN'])],
  ['no binary attributes', new Set<string>()],
];
