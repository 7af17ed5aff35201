import { expect } from 'chai';
import fc from 'fast-check';
import { ControlOid, encodeControlValue } from '../../../../lib/protocol/controls';
import type { VlvRequestControl, VlvResponseControl, VlvTarget } from '../../../../lib/protocol/controls';
import { assertRoundTrips, bytesArb, expectEncoding, expectMalformed, uint31Arb } from './helpers';

const vlvRequest = (value: VlvRequestControl['value'], criticality = true): VlvRequestControl => ({
  type: 'vlvRequest',
  oid: ControlOid.vlvRequest,
  criticality,
  value,
});
const vlvResponse = (value: VlvResponseControl['value']): VlvResponseControl => ({
  type: 'vlvResponse',
  oid: ControlOid.vlvResponse,
  criticality: false,
  value,
});

describe('virtual list view request control (draft-ietf-ldapext-ldapv3-vlv-09)', () => {
  it('encodes a byOffset [0] target', () => {
    expectEncoding(
      vlvRequest({ beforeCount: 0, afterCount: 19, target: { type: 'byOffset', offset: 1, contentCount: 0 } }),
      '30 0e 02 01 00 02 01 13 a0 06 02 01 01 02 01 00',
    );
  });

  it('encodes a greaterThanOrEqual [1] target and a contextID', () => {
    expectEncoding(
      vlvRequest({
        beforeCount: 0,
        afterCount: 5,
        target: { type: 'greaterThanOrEqual', assertionValue: Buffer.from('m') },
        contextID: Buffer.from('ctx'),
      }),
      '30 0e 02 01 00 02 01 05 81 01 6d 04 03 63 74 78',
    );
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.vlvRequest;
    expectMalformed(oid, undefined, 'request', /no value/);
    expectMalformed(oid, '30 08 02 01 00 02 01 05 a2 00', 'request', /unknown VLV target choice 0xa2/);
    expectMalformed(oid, '30 0e 02 01 00 02 01 13 80 06 02 01 01 02 01 00', 'request', /unknown VLV target choice 0x80/); // byOffset must be constructed
    expectMalformed(oid, '30 09 02 01 00 02 01 05 a1 01 6d', 'request', /unknown VLV target choice 0xa1/); // assertion value must be primitive
    expectMalformed(oid, '30 06 02 01 00 02 01 05', 'request', /VLV target expected/);
    expectMalformed(oid, '30 0e 02 01 ff 02 01 13 a0 06 02 01 01 02 01 00', 'request', /out of range/); // beforeCount -1
    expectMalformed(oid, '30 0b 02 01 00 02 01 13 a0 03 02 01 01', 'request', /expected tag 0x02 but the data ended/); // no contentCount
    expectMalformed(oid, '30 0e 02 01 00 02 01 13 a0 06 02 01 01 02 01', 'request', /runs past the end/);
    expectMalformed(oid, '30 09 02 01 00 02 01 05 81 01 6d 00', 'request', /unexpected octets after the end/);
  });

  it('rejects negative counts when encoding', () => {
    expect(() =>
      encodeControlValue(vlvRequest({ beforeCount: -1, afterCount: 0, target: { type: 'byOffset', offset: 1, contentCount: 0 } })),
    ).to.throw(RangeError, /beforeCount/);
  });

  it('round-trips any window, target and context', () => {
    const target: fc.Arbitrary<VlvTarget> = fc.oneof(
      fc.record({ type: fc.constant('byOffset' as const), offset: uint31Arb(), contentCount: uint31Arb() }),
      fc.record({ type: fc.constant('greaterThanOrEqual' as const), assertionValue: bytesArb() }),
    );
    assertRoundTrips(
      fc
        .record({ beforeCount: uint31Arb(), afterCount: uint31Arb(), target, contextID: bytesArb() }, { requiredKeys: ['beforeCount', 'afterCount', 'target'] })
        .chain((value) => fc.boolean().map((criticality) => vlvRequest(value, criticality))),
    );
  });
});

describe('virtual list view response control', () => {
  it('encodes targetPosition, contentCount, the result and a contextID', () => {
    expectEncoding(
      vlvResponse({ targetPosition: 1, contentCount: 100, virtualListViewResult: 0, contextID: Buffer.from('ab') }),
      '30 0d 02 01 01 02 01 64 0a 01 00 04 02 61 62',
    );
    expectEncoding(vlvResponse({ targetPosition: 0, contentCount: 0, virtualListViewResult: 76 }), '30 09 02 01 00 02 01 00 0a 01 4c');
  });

  it('keeps a virtualListViewResult the draft does not list as a number', () => {
    expectEncoding(vlvResponse({ targetPosition: 1, contentCount: 1, virtualListViewResult: 80 }), '30 09 02 01 01 02 01 01 0a 01 50');
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.vlvResponse;
    expectMalformed(oid, undefined, 'response', /no value/);
    expectMalformed(oid, '30 09 02 01 01 02 01 01 02 01 00', 'response', /expected tag 0x0a but found 0x02/);
    expectMalformed(oid, '30 06 02 01 01 02 01 01', 'response', /expected tag 0x0a but the data ended/);
    expectMalformed(oid, '30 09 02 01 01 02 01 ff 0a 01 00', 'response', /out of range/); // contentCount -1
    expectMalformed(oid, '30 0b 02 01 01 02 01 01 0a 01 00 80 00', 'response', /unexpected octets at the end of a constructed/);
    expectMalformed(oid, '30 09 02 01 01 02 01 01 0a 01 00 00', 'response', /unexpected octets after the end/);
  });

  it('round-trips any position, count, result and context', () => {
    assertRoundTrips(
      fc
        .record(
          { targetPosition: uint31Arb(), contentCount: uint31Arb(), virtualListViewResult: fc.integer({ min: 0, max: 0x7fffffff }), contextID: bytesArb() },
          { requiredKeys: ['targetPosition', 'contentCount', 'virtualListViewResult'] },
        )
        .map(vlvResponse),
    );
  });
});
