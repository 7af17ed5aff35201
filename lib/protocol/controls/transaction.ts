import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import { requireValue } from './value-helpers';

/**
 * RFC 5805 §2.2: Transaction Specification control; the controlValue is the transaction
 * identifier the Start Transaction response returned, as raw octets (not BER-wrapped).
 */
export const transactionSpecificationCodec = defineControlCodec({
  type: 'transactionSpecification',
  oid: ControlOid.transactionSpecification,
  direction: 'request',
  encodeValue: ({ value }) => value.transactionId,
  decodeValue: (value, criticality) => ({
    type: 'transactionSpecification',
    oid: ControlOid.transactionSpecification,
    criticality,
    value: { transactionId: requireValue(value, 'transactionSpecification') },
  }),
});
