import { expect } from 'chai';
import fc from 'fast-check';
import { ControlOid, decodeControl, encodeControlValue } from '../../../../lib/protocol/controls';
import type { PagedResultsControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, bytesArb, expectEncoding, expectMalformed, hex, uint31Arb } from './helpers';

const paged = (size: number, cookie: Buffer, criticality = false): PagedResultsControl => ({
  type: 'pagedResults',
  oid: ControlOid.pagedResults,
  criticality,
  value: { size, cookie },
});

describe('paged results control (RFC 2696)', () => {
  it('encodes SEQUENCE { size INTEGER, cookie OCTET STRING } byte for byte', () => {
    expectEncoding(paged(100, Buffer.from('abc')), '30 08 02 01 64 04 03 61 62 63');
    // First request: size 500 (two octets), empty cookie.
    expectEncoding(paged(500, Buffer.alloc(0), true), '30 06 02 02 01 f4 04 00');
  });

  it('decodes the same shape in both directions', () => {
    const value = hex('30 08 02 01 64 04 03 61 62 63');
    for (const direction of ['request', 'response'] as const) {
      expect(decodeControl(ControlOid.pagedResults, false, value, direction)).to.deep.equal(paged(100, Buffer.from('abc')));
    }
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.pagedResults;
    expectMalformed(oid, undefined, 'response', /has no value/);
    expectMalformed(oid, '31 08 02 01 64 04 03 61 62 63', 'response', /expected tag 0x30/); // SET, not SEQUENCE
    expectMalformed(oid, '30 08 02 01 64 04 03 61 62', 'response', /runs past the end/); // truncated
    expectMalformed(oid, '30 06 02 01 ff 04 01 61', 'response', /out of range/); // size -1
    expectMalformed(oid, '30 03 02 01 64', 'response', /expected tag 0x04/); // no cookie
    expectMalformed(oid, '30 05 02 01 64 04 00 00', 'response', /unexpected octets after the end/); // trailing
  });

  it('round-trips any size and cookie', () => {
    assertRoundTrips(
      fc.record({ size: uint31Arb(), cookie: bytesArb(), criticality: fc.boolean() }).map(({ size, cookie, criticality }) =>
        paged(size, cookie, criticality),
      ),
    );
    expect(encodeControlValue(paged(0x7fffffff, Buffer.alloc(0)))?.toString('hex')).to.equal('300802047fffffff0400');
  });
});
