import { expect } from 'chai';
import { ControlOid, transactionSpecificationControl } from '../../../../lib/protocol/controls';
import type { TransactionSpecificationControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, bytesArb, expectEncoding, expectMalformed } from './helpers';

const txn = (transactionId: Buffer, criticality = true): TransactionSpecificationControl => ({
  type: 'transactionSpecification',
  oid: ControlOid.transactionSpecification,
  criticality,
  value: { transactionId },
});

describe('transaction specification control (RFC 5805)', () => {
  it('sends the transaction identifier as the raw value', () => {
    expectEncoding(txn(Buffer.from([0x00, 0x01, 0xfe, 0xff])), '00 01 fe ff');
    expectEncoding(txn(Buffer.from('txn-1')), '74 78 6e 2d 31');
  });

  it('requires a value', () => {
    expectMalformed(ControlOid.transactionSpecification, undefined, 'request', /no value/);
  });

  it('is critical by default in its builder', () => {
    expect(transactionSpecificationControl(Buffer.from('id'))).to.deep.equal(txn(Buffer.from('id')));
    expect(transactionSpecificationControl('id', { critical: false })).to.deep.equal(txn(Buffer.from('id'), false));
  });

  it('round-trips any identifier', () => {
    assertRoundTrips(bytesArb(64).map((id) => txn(id)));
  });
});
