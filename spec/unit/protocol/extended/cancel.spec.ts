import { expect } from 'chai';
import fc from 'fast-check';
import { cancelCodec, cancelRequest } from '../../../../lib/protocol/extended';
import { assertOnlyProtocolErrors, expectProtocolError, hex, toHex } from './helpers';

describe('protocol/extended/cancel', () => {
  const vectors: Array<[number, string]> = [
    [0, '30 03 02 01 00'],
    [5, '30 03 02 01 05'],
    [127, '30 03 02 01 7f'],
    [128, '30 04 02 02 00 80'],
    [65536, '30 05 02 03 01 00 00'],
    [2 ** 31 - 1, '30 06 02 04 7f ff ff ff'],
  ];

  for (const [id, encoded] of vectors) {
    it(`encodes and decodes cancelID ${id}`, () => {
      expect(toHex(cancelCodec.encodeRequestValue(id))).to.equal(toHex(hex(encoded)));
      expect(cancelCodec.decodeRequestValue(hex(encoded))).to.equal(id);
    });
  }

  it('builds the request', () => {
    expect(cancelRequest(5)).to.deep.equal({ type: 'extendedReq', requestName: '1.3.6.1.1.8', requestValue: hex('30 03 02 01 05') });
  });

  it('refuses to encode an ID outside MessageID', () => {
    for (const id of [-1, 2 ** 31, 1.5, Number.NaN]) {
      expect(() => cancelCodec.encodeRequestValue(id), String(id)).to.throw(RangeError);
    }
  });

  it('rejects malformed request values', () => {
    expectProtocolError(() => cancelCodec.decodeRequestValue(undefined), /Cancel request has no value/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(Buffer.alloc(0)), /Cancel request has no value/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('30 00')), /expected tag 0x02/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('02 01 05')), /expected tag 0x30/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('30 03 0a 01 05')), /expected tag 0x02 but found 0x0a/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('30 03 02 01 ff')), /out of range/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('30 07 02 05 00 80 00 00 00')), /out of range/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('30 02 02 00')), /no content octets/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('30 06 02 01 05 02 01 06')), /unexpected octets at the end of a constructed value/);
    expectProtocolError(() => cancelCodec.decodeRequestValue(hex('30 03 02 01 05 00')), /unexpected octets after the end/);
  });

  it('the response has no value', () => {
    expect(cancelCodec.encodeResponseValue()).to.equal(undefined);
    expect(cancelCodec.decodeResponseValue(undefined)).to.equal(undefined);
    expectProtocolError(() => cancelCodec.decodeResponseValue(hex('30 00')), /Cancel response must not have a value/);
  });

  it('round-trips every MessageID', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (id) => {
        expect(cancelCodec.decodeRequestValue(cancelCodec.encodeRequestValue(id))).to.equal(id);
      }),
    );
  });

  it('fails only with ProtocolError on arbitrary bytes', () => {
    assertOnlyProtocolErrors((value) => cancelCodec.decodeRequestValue(value));
  });
});
