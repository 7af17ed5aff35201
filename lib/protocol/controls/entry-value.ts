import { BerReader, BerWriter, Tag, appConstructed } from '../../ber';
import type { PartialAttribute } from '../types';

/** [APPLICATION 4], the SearchResultEntry tag. */
export const SEARCH_RESULT_ENTRY = appConstructed(4);

/** The fields of a SearchResultEntry, as the pre-read and post-read response controls carry it. */
export interface EntryValue {
  objectName: string;
  attributes: PartialAttribute[];
}

/**
 * RFC 4511 §4.5.2, used as a control value by RFC 4527 §3.1/§3.2:
 * SearchResultEntry ::= [APPLICATION 4] SEQUENCE {
 *   objectName LDAPDN,
 *   attributes PartialAttributeList }
 * PartialAttributeList ::= SEQUENCE OF partialAttribute PartialAttribute
 * PartialAttribute ::= SEQUENCE { type AttributeDescription, vals SET OF value AttributeValue }
 *
 * lib/protocol/decode.ts reads the same shape inside LDAPMessages, but it imports the control
 * registry, so the controls keep this small copy rather than import it back (a cycle).
 */
export const writeEntryValue = (writer: BerWriter, entry: EntryValue): void => {
  writer.startSequence(SEARCH_RESULT_ENTRY).writeString(entry.objectName).startSequence();
  for (const attribute of entry.attributes) {
    writer.startSequence().writeString(attribute.type).startSequence(Tag.SET);
    for (const val of attribute.vals) writer.writeOctetString(val);
    writer.endSequence().endSequence();
  }
  writer.endSequence().endSequence();
};

/** Reads a SearchResultEntry at the cursor; the values are subarrays of the reader's buffer. */
export const readEntryValue = (reader: BerReader, limit = reader.end): EntryValue => {
  const end = reader.enter(SEARCH_RESULT_ENTRY, limit);
  const objectName = reader.readString(Tag.OCTET_STRING, end);
  const listEnd = reader.enter(Tag.SEQUENCE, end);
  const attributes: PartialAttribute[] = [];
  while (reader.pos < listEnd) {
    const attributeEnd = reader.enter(Tag.SEQUENCE, listEnd);
    const type = reader.readString(Tag.OCTET_STRING, attributeEnd);
    const valsEnd = reader.enter(Tag.SET, attributeEnd);
    const vals: Buffer[] = [];
    while (reader.pos < valsEnd) vals.push(reader.readOctetString(Tag.OCTET_STRING, valsEnd));
    reader.exit(valsEnd);
    reader.exit(attributeEnd);
    attributes.push({ type, vals });
  }
  reader.exit(listEnd);
  reader.exit(end);
  return { objectName, attributes };
};

/** A SearchResultEntry as a standalone BER document. */
export const encodeEntryValue = (entry: EntryValue): Buffer => {
  let size = 32 + entry.objectName.length * 3;
  for (const attribute of entry.attributes) {
    size += 16 + attribute.type.length * 3;
    for (const val of attribute.vals) size += 6 + val.length;
  }
  const writer = new BerWriter(size);
  writeEntryValue(writer, entry);
  return writer.toBuffer();
};

/** Decodes a standalone SearchResultEntry document, rejecting trailing octets. */
export const decodeEntryValue = (value: Buffer): EntryValue => {
  const reader = new BerReader(value);
  const entry = readEntryValue(reader);
  reader.expectEnd();
  return entry;
};
