import { expect } from 'chai';
import fc from 'fast-check';
import { startTransactionCodec, startTransactionRequest } from '../../../../lib/protocol/extended';
import { bytes, expectProtocolError, hex } from './helpers';

describe('protocol/extended/start-transaction', () => {
  it('builds the request with no value', () => {
    expect(startTransactionRequest()).to.deep.equal({ type: 'extendedReq', requestName: '1.3.6.1.1.21.1' });
    expect(startTransactionCodec.encodeRequestValue()).to.equal(undefined);
    expect(startTransactionCodec.decodeRequestValue(undefined)).to.equal(undefined);
    expectProtocolError(() => startTransactionCodec.decodeRequestValue(hex('04 00')), /must not have a value/);
  });

  it('the response value is the raw transaction identifier', () => {
    // Not BER-wrapped: the octets are the identifier, even when they look like BER.
    expect(startTransactionCodec.decodeResponseValue(hex('04 02 31 32'))).to.deep.equal(hex('04 02 31 32'));
    expect(startTransactionCodec.encodeResponseValue(hex('74 78 6e 31'))).to.deep.equal(hex('74 78 6e 31'));
  });

  it('rejects a response without an identifier', () => {
    expectProtocolError(() => startTransactionCodec.decodeResponseValue(undefined), /Start Transaction response has no value/);
    expectProtocolError(() => startTransactionCodec.decodeResponseValue(Buffer.alloc(0)), /has no value/);
  });

  it('round-trips any non-empty identifier', () => {
    fc.assert(
      fc.property(bytes({ minLength: 1 }), (id) => {
        expect(startTransactionCodec.decodeResponseValue(startTransactionCodec.encodeResponseValue(id))).to.deep.equal(id);
      }),
    );
  });
});
