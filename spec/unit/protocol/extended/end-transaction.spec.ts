import { expect } from 'chai';
import fc from 'fast-check';
import { endTransactionCodec, endTransactionRequest } from '../../../../lib/protocol/extended';
import type { EndTransactionResponseValue } from '../../../../lib/protocol/extended';
import type { RawControl } from '../../../../lib/protocol/controls/types';
import { assertOnlyProtocolErrors, bytes, expectProtocolError, hex, text, toHex } from './helpers';

const OID = '1.3.6.1.1.21.3';

describe('protocol/extended/end-transaction', () => {
  describe('request value', () => {
    it('leaves commit out when it is TRUE (its DEFAULT)', () => {
      const encoded = '30 06  04 04 74786e31';
      expect(toHex(endTransactionCodec.encodeRequestValue({ identifier: Buffer.from('txn1'), commit: true }))).to.equal(toHex(hex(encoded)));
      expect(endTransactionCodec.decodeRequestValue(hex(encoded))).to.deep.equal({ identifier: Buffer.from('txn1'), commit: true });
    });

    it('writes commit FALSE to abort', () => {
      const encoded = '30 09  01 01 00  04 04 74786e31';
      expect(toHex(endTransactionCodec.encodeRequestValue({ identifier: Buffer.from('txn1'), commit: false }))).to.equal(toHex(hex(encoded)));
      expect(endTransactionCodec.decodeRequestValue(hex(encoded))).to.deep.equal({ identifier: Buffer.from('txn1'), commit: false });
    });

    it('accepts an explicit TRUE', () => {
      expect(endTransactionCodec.decodeRequestValue(hex('30 09 01 01 ff 04 04 74786e31'))).to.deep.equal({
        identifier: Buffer.from('txn1'),
        commit: true,
      });
    });

    it('builds the request, committing by default', () => {
      expect(endTransactionRequest(Buffer.from('txn1'))).to.deep.equal({
        type: 'extendedReq',
        requestName: OID,
        requestValue: hex('30 06 04 04 74786e31'),
      });
      expect(endTransactionRequest(Buffer.from('txn1'), false).requestValue).to.deep.equal(hex('30 09 01 01 00 04 04 74786e31'));
    });

    it('rejects malformed values', () => {
      expectProtocolError(() => endTransactionCodec.decodeRequestValue(undefined), /End Transaction request has no value/);
      expectProtocolError(() => endTransactionCodec.decodeRequestValue(hex('30 03 01 01 00')), /expected tag 0x04 but the data ended/);
      expectProtocolError(() => endTransactionCodec.decodeRequestValue(hex('30 00')), /expected tag 0x04/);
      expectProtocolError(() => endTransactionCodec.decodeRequestValue(hex('30 06 80 04 74786e31')), /expected tag 0x04 but found 0x80/);
      expectProtocolError(() => endTransactionCodec.decodeRequestValue(hex('30 09 04 04 74786e31 01 01 00')), /unexpected octets/);
      expectProtocolError(() => endTransactionCodec.decodeRequestValue(hex('30 0a 01 02 00 00 04 04 74786e31')), /BOOLEAN must have one content octet/);
    });

    it('round-trips any value', () => {
      fc.assert(
        fc.property(fc.record({ identifier: bytes(), commit: fc.boolean() }), (value) => {
          expect(endTransactionCodec.decodeRequestValue(endTransactionCodec.encodeRequestValue(value))).to.deep.equal(value);
        }),
      );
    });

    it('fails only with ProtocolError on arbitrary bytes', () => {
      assertOnlyProtocolErrors((value) => endTransactionCodec.decodeRequestValue(value));
    });
  });

  describe('response value', () => {
    const control = (oid: string, criticality: boolean, value?: Buffer): RawControl =>
      value === undefined ? { type: 'raw', oid, criticality } : { type: 'raw', oid, criticality, value };

    const vectors: Array<[string, EndTransactionResponseValue, string]> = [
      ['only messageID', { messageId: 7 }, '30 03  02 01 07'],
      [
        'messageID and updatesControls',
        {
          messageId: 3,
          updatesControls: [
            { messageId: 2, controls: [control('1.2.3', true, Buffer.from('ab'))] },
            { messageId: 4, controls: [] },
          ],
        },
        `30 23  02 01 03
                30 1e  30 15  02 01 02
                              30 10  30 0e  04 05 312e322e33  01 01 ff  04 02 6162
                       30 05  02 01 04  30 00`,
      ],
      [
        'only updatesControls, a non-critical control without a value',
        { updatesControls: [{ messageId: 300, controls: [control('1.2', false)] }] },
        '30 11  30 0f  30 0d  02 02 012c  30 07  30 05  04 03 312e32',
      ],
      ['an empty updatesControls list', { updatesControls: [] }, '30 02  30 00'],
    ];

    for (const [name, value, encoded] of vectors) {
      it(`encodes and decodes ${name}`, () => {
        expect(toHex(endTransactionCodec.encodeResponseValue(value))).to.equal(toHex(hex(encoded)));
        expect(endTransactionCodec.decodeResponseValue(hex(encoded))).to.deep.equal(value);
      });
    }

    it('absent, empty and an empty SEQUENCE all decode as {}', () => {
      expect(endTransactionCodec.encodeResponseValue({})).to.equal(undefined);
      expect(endTransactionCodec.decodeResponseValue(undefined)).to.deep.equal({});
      expect(endTransactionCodec.decodeResponseValue(Buffer.alloc(0))).to.deep.equal({});
      expect(endTransactionCodec.decodeResponseValue(hex('30 00'))).to.deep.equal({});
    });

    it('accepts an explicit criticality FALSE', () => {
      expect(endTransactionCodec.decodeResponseValue(hex('30 11 30 0f 30 0d 02 01 01 30 08 30 06 04 01 31 01 01 00'))).to.deep.equal({
        updatesControls: [{ messageId: 1, controls: [control('1', false)] }],
      });
    });

    it('refuses to encode a messageID outside MessageID', () => {
      expect(() => endTransactionCodec.encodeResponseValue({ messageId: -1 })).to.throw(RangeError);
      expect(() => endTransactionCodec.encodeResponseValue({ updatesControls: [{ messageId: 2 ** 31, controls: [] }] })).to.throw(RangeError);
    });

    it('rejects malformed values', () => {
      // negative messageID
      expectProtocolError(() => endTransactionCodec.decodeResponseValue(hex('30 03 02 01 ff')), /out of range/);
      // updatesControls not a SEQUENCE
      expectProtocolError(() => endTransactionCodec.decodeResponseValue(hex('30 02 31 00')), /expected tag 0x30 but found 0x31/);
      // an updateControls without its controls
      expectProtocolError(() => endTransactionCodec.decodeResponseValue(hex('30 07 30 05 30 03 02 01 01')), /expected tag 0x30 but the data ended/);
      // an updateControls without its messageID
      expectProtocolError(() => endTransactionCodec.decodeResponseValue(hex('30 06 30 04 30 02 30 00')), /expected tag 0x02 but found 0x30/);
      // a control without its OID
      expectProtocolError(
        () => endTransactionCodec.decodeResponseValue(hex('30 0b 30 09 30 07 02 01 01 30 02 30 00')),
        /expected tag 0x04 but the data ended/,
      );
      // a control value with a context tag
      expectProtocolError(
        () => endTransactionCodec.decodeResponseValue(hex('30 10 30 0e 30 0c 02 01 01 30 07 30 05 04 01 31 80 00')),
        /expected tag 0x04 but found 0x80/,
      );
      // messageID after updatesControls
      expectProtocolError(() => endTransactionCodec.decodeResponseValue(hex('30 05 30 00 02 01 01')), /unexpected octets/);
      // trailing octets
      expectProtocolError(() => endTransactionCodec.decodeResponseValue(hex('30 00 30 00')), /unexpected octets after the end/);
    });

    it('round-trips any value', () => {
      const rawControl: fc.Arbitrary<RawControl> = fc.record(
        { type: fc.constant('raw' as const), oid: text(), criticality: fc.boolean(), value: bytes({ maxLength: 40 }) },
        { requiredKeys: ['type', 'oid', 'criticality'] },
      );
      const messageId = fc.integer({ min: 0, max: 2 ** 31 - 1 });
      const arbitrary = fc.record(
        {
          messageId,
          updatesControls: fc.array(fc.record({ messageId, controls: fc.array(rawControl, { maxLength: 4 }) }), { maxLength: 4 }),
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(arbitrary, (value) => {
          expect(endTransactionCodec.decodeResponseValue(endTransactionCodec.encodeResponseValue(value))).to.deep.equal(value);
        }),
      );
    });

    it('fails only with ProtocolError on arbitrary bytes', () => {
      assertOnlyProtocolErrors((value) => endTransactionCodec.decodeResponseValue(value));
    });
  });
});
