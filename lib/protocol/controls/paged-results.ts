import { BerReader, BerWriter } from '../../ber';
import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import { requireValue } from './value-helpers';

/** RFC 2696 realSearchControlValue ::= SEQUENCE { size INTEGER (0..maxInt), cookie OCTET STRING } */
export const pagedResultsCodec = defineControlCodec({
  type: 'pagedResults',
  oid: ControlOid.pagedResults,
  direction: 'both',
  encodeValue: (control) =>
    new BerWriter(16 + control.value.cookie.length)
      .startSequence()
      .writeInteger(control.value.size)
      .writeOctetString(control.value.cookie)
      .endSequence()
      .toBuffer(),
  decodeValue: (value, criticality) => {
    const reader = new BerReader(requireValue(value, 'pagedResults'));
    const end = reader.enter();
    const size = reader.readInteger(undefined, 0);
    const cookie = reader.readOctetString();
    reader.exit(end);
    reader.expectEnd();
    return { type: 'pagedResults', oid: ControlOid.pagedResults, criticality, value: { size, cookie } };
  },
});
