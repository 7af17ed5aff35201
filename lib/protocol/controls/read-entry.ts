import { BerReader, BerWriter, Tag } from '../../ber';
import { defineControlCodec } from './codec';
import type { ControlCodec } from './codec';
import { decodeEntryValue, encodeEntryValue } from './entry-value';
import { ControlOid } from './oids';
import { requireValue } from './value-helpers';

/** RFC 4511 §4.5.1.8: AttributeSelection ::= SEQUENCE OF selector LDAPString */
const encodeAttributeSelection = (attributes: readonly string[]): Buffer => {
  const writer = new BerWriter(16 + attributes.reduce((size, name) => size + 4 + name.length * 3, 0)).startSequence();
  for (const name of attributes) writer.writeString(name);
  return writer.endSequence().toBuffer();
};

const decodeAttributeSelection = (value: Buffer): string[] => {
  const reader = new BerReader(value);
  const end = reader.enter();
  const attributes: string[] = [];
  while (reader.pos < end) attributes.push(reader.readString(Tag.OCTET_STRING, end));
  reader.exit(end);
  reader.expectEnd();
  return attributes;
};

/** RFC 4527 §3.1 Pre-Read request: the controlValue is an AttributeSelection. */
export const preReadRequestCodec: ControlCodec<'preReadRequest'> = defineControlCodec({
  type: 'preReadRequest',
  oid: ControlOid.preRead,
  direction: 'request',
  encodeValue: ({ value }) => encodeAttributeSelection(value.attributes),
  decodeValue: (value, criticality) => ({
    type: 'preReadRequest',
    oid: ControlOid.preRead,
    criticality,
    value: { attributes: decodeAttributeSelection(requireValue(value, 'preReadRequest')) },
  }),
});

/** RFC 4527 §3.2 Post-Read request: the controlValue is an AttributeSelection. */
export const postReadRequestCodec: ControlCodec<'postReadRequest'> = defineControlCodec({
  type: 'postReadRequest',
  oid: ControlOid.postRead,
  direction: 'request',
  encodeValue: ({ value }) => encodeAttributeSelection(value.attributes),
  decodeValue: (value, criticality) => ({
    type: 'postReadRequest',
    oid: ControlOid.postRead,
    criticality,
    value: { attributes: decodeAttributeSelection(requireValue(value, 'postReadRequest')) },
  }),
});

/** RFC 4527 §3.1 Pre-Read response: the controlValue is a SearchResultEntry (the entry before the update). */
export const preReadResponseCodec: ControlCodec<'preReadResponse'> = defineControlCodec({
  type: 'preReadResponse',
  oid: ControlOid.preRead,
  direction: 'response',
  encodeValue: ({ value }) => encodeEntryValue(value),
  decodeValue: (value, criticality) => ({
    type: 'preReadResponse',
    oid: ControlOid.preRead,
    criticality,
    value: decodeEntryValue(requireValue(value, 'preReadResponse')),
  }),
});

/** RFC 4527 §3.2 Post-Read response: the controlValue is a SearchResultEntry (the entry after the update). */
export const postReadResponseCodec: ControlCodec<'postReadResponse'> = defineControlCodec({
  type: 'postReadResponse',
  oid: ControlOid.postRead,
  direction: 'response',
  encodeValue: ({ value }) => encodeEntryValue(value),
  decodeValue: (value, criticality) => ({
    type: 'postReadResponse',
    oid: ControlOid.postRead,
    criticality,
    value: decodeEntryValue(requireValue(value, 'postReadResponse')),
  }),
});
