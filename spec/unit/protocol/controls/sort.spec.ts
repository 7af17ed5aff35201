import { expect } from 'chai';
import fc from 'fast-check';
import { ControlOid, decodeControl } from '../../../../lib/protocol/controls';
import type { SortKey, SortRequestControl, SortResponseControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, attributeArb, expectEncoding, expectMalformed, hex } from './helpers';

const sortRequest = (keys: SortKey[], criticality = false): SortRequestControl => ({
  type: 'sortRequest',
  oid: ControlOid.sortRequest,
  criticality,
  value: { keys },
});
const sortResponse = (value: SortResponseControl['value']): SortResponseControl => ({
  type: 'sortResponse',
  oid: ControlOid.sortResponse,
  criticality: false,
  value,
});

describe('server-side sort request control (RFC 2891)', () => {
  it('encodes keys with [0] orderingRule and [1] reverseOrder, leaving out reverseOrder FALSE', () => {
    expectEncoding(
      sortRequest([
        { attributeType: 'cn', reverseOrder: true },
        { attributeType: 'sn', orderingRule: '2.5.13.3', reverseOrder: false },
      ]),
      '30 19 30 07 04 02 63 6e 81 01 ff 30 0e 04 02 73 6e 80 08 32 2e 35 2e 31 33 2e 33',
    );
    expectEncoding(sortRequest([{ attributeType: 'uid', reverseOrder: false }]), '30 07 30 05 04 03 75 69 64');
    expectEncoding(sortRequest([]), '30 00');
  });

  it('accepts an explicit FALSE reverseOrder', () => {
    expect(decodeControl(ControlOid.sortRequest, false, hex('30 08 30 06 04 01 78 81 01 00'), 'request')).to.deep.equal(
      sortRequest([{ attributeType: 'x', reverseOrder: false }]),
    );
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.sortRequest;
    expectMalformed(oid, undefined, 'request', /no value/);
    expectMalformed(oid, '30 06 30 04 80 02 63 6e', 'request', /expected tag 0x04 but found 0x80/); // no attributeType
    expectMalformed(oid, '30 09 30 07 04 02 63 6e 01 01 ff', 'request', /unexpected octets at the end of a constructed/); // untagged BOOLEAN
    expectMalformed(oid, '30 0b 30 09 04 02 63 6e 81 01 ff 80 00', 'request', /unexpected octets at the end of a constructed/); // rule after reverse
    expectMalformed(oid, '30 06 04 04 63 6e 3d 61', 'request', /expected tag 0x30 but found 0x04/); // key not a SEQUENCE
    expectMalformed(oid, '30 07 30 05 04 03 75 69', 'request', /runs past the end/);
    expectMalformed(oid, '30 00 00', 'request', /unexpected octets after the end/);
  });

  it('round-trips any key list', () => {
    const key = fc
      .record({ attributeType: attributeArb(), orderingRule: fc.stringMatching(/^[0-9]+(\.[0-9]+){0,6}$/), reverseOrder: fc.boolean() }, {
        requiredKeys: ['attributeType', 'reverseOrder'],
      });
    assertRoundTrips(fc.record({ keys: fc.array(key, { maxLength: 5 }), criticality: fc.boolean() }).map(({ keys, criticality }) => sortRequest(keys, criticality)));
  });
});

describe('server-side sort response control (RFC 2891)', () => {
  it('encodes sortResult and [0] attributeType', () => {
    expectEncoding(sortResponse({ sortResult: 16, attributeType: 'cn' }), '30 07 0a 01 10 80 02 63 6e');
    expectEncoding(sortResponse({ sortResult: 0 }), '30 03 0a 01 00');
  });

  it('keeps a sortResult that RFC 2891 does not list as a number', () => {
    expectEncoding(sortResponse({ sortResult: 99 }), '30 03 0a 01 63');
    expectEncoding(sortResponse({ sortResult: 300 }), '30 04 0a 02 01 2c');
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.sortResponse;
    expectMalformed(oid, undefined, 'response', /no value/);
    expectMalformed(oid, '30 03 02 01 00', 'response', /expected tag 0x0a but found 0x02/);
    expectMalformed(oid, '30 07 0a 01 10 04 02 63 6e', 'response', /unexpected octets at the end of a constructed/); // untagged type
    expectMalformed(oid, '30 07 0a 01 10 80 02 63', 'response', /runs past the end/);
    expectMalformed(oid, '30 03 0a 01 00 00', 'response', /unexpected octets after the end/);
  });

  it('is a response control: the same OID in a request is kept raw', () => {
    const value = hex('30 03 0a 01 00');
    expect(decodeControl(ControlOid.sortResponse, false, value, 'request')).to.deep.equal({
      type: 'raw',
      oid: ControlOid.sortResponse,
      criticality: false,
      value,
    });
  });

  it('round-trips any result and attribute', () => {
    assertRoundTrips(
      fc.record({ sortResult: fc.integer({ min: 0, max: 0x7fffffff }), attributeType: attributeArb() }, { requiredKeys: ['sortResult'] }).map(sortResponse),
    );
  });
});
