import { decodeFilter, encodeFilter } from '../filter-codec';
import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import { requireValue } from './value-helpers';

/**
 * RFC 4528 §3: the controlValue is a BER-encoded Filter (RFC 4511 §4.5.1). When the assertion
 * is FALSE the server answers assertionFailed (122); when Undefined, also assertionFailed.
 */
export const assertionCodec = defineControlCodec({
  type: 'assertion',
  oid: ControlOid.assertion,
  direction: 'request',
  encodeValue: ({ value }) => encodeFilter(value.filter),
  decodeValue: (value, criticality) => ({
    type: 'assertion',
    oid: ControlOid.assertion,
    criticality,
    value: { filter: decodeFilter(requireValue(value, 'assertion')) },
  }),
});
