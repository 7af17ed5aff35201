import { expect } from 'chai';
import fc from 'fast-check';
import { ControlOid, DirSyncFlags, decodeControl, dirSyncControl, encodeControlValue } from '../../../../lib/protocol/controls';
import type { DirSyncRequestControl, DirSyncResponseControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, bytesArb, expectEncoding, expectMalformed, hex } from './helpers';

// Byte vectors: Active Directory is not available to these tests. The cookie imitates AD's,
// which starts with "MSDS" and a version.
const COOKIE = '4d 53 44 53 03 00 00 00';

const request = (value: DirSyncRequestControl['value'], criticality = true): DirSyncRequestControl => ({
  type: 'dirSyncRequest',
  oid: ControlOid.dirSync,
  criticality,
  value,
});
const response = (value: DirSyncResponseControl['value']): DirSyncResponseControl => ({
  type: 'dirSyncResponse',
  oid: ControlOid.dirSync,
  criticality: true,
  value,
});

describe('Active Directory DirSync control ([MS-ADTS] 3.1.1.3.4.1.3)', () => {
  it('encodes flags with bit 31 set in four octets, as AD expects', () => {
    // incrementalValues | ancestorsFirstOrder | objectSecurity = 0x80000801
    expectEncoding(
      request({ flags: 0x80000801, maxBytes: 1048576, cookie: hex(COOKIE) }),
      `30 15 02 04 80 00 08 01 02 03 10 00 00 04 08 ${COOKIE}`,
    );
    expectEncoding(request({ flags: 0x80000000, maxBytes: 0x7fffffff, cookie: Buffer.alloc(0) }), '30 0e 02 04 80 00 00 00 02 04 7f ff ff ff 04 00');
    expectEncoding(request({ flags: 0, maxBytes: 0, cookie: Buffer.alloc(0) }), '30 08 02 01 00 02 01 00 04 00');
    expectEncoding(request({ flags: 0x800, maxBytes: 0, cookie: Buffer.alloc(0) }), '30 09 02 02 08 00 02 01 00 04 00');
  });

  it('decodes flags sent as a negative or as a positive INTEGER to the same unsigned number', () => {
    const expected = request({ flags: 0x80000801, maxBytes: 1048576, cookie: hex(COOKIE) });
    const positive = hex(`30 16 02 05 00 80 00 08 01 02 03 10 00 00 04 08 ${COOKIE}`);
    const negative = hex(`30 15 02 04 80 00 08 01 02 03 10 00 00 04 08 ${COOKIE}`);
    expect(decodeControl(ControlOid.dirSync, true, positive, 'request')).to.deep.equal(expected);
    expect(decodeControl(ControlOid.dirSync, true, negative, 'request')).to.deep.equal(expected);
    expect(decodeControl(ControlOid.dirSync, true, hex('30 0b 02 04 ff ff ff ff 02 01 00 04 00'), 'request')).to.deep.equal(
      request({ flags: 0xffffffff, maxBytes: 0, cookie: Buffer.alloc(0) }),
    );
  });

  it('takes a negative 32-bit pattern as its unsigned value when encoding', () => {
    const control = request({ flags: DirSyncFlags.incrementalValues | DirSyncFlags.objectSecurity, maxBytes: 0, cookie: Buffer.alloc(0) });
    expect(control.value.flags).to.be.below(0); // JavaScript's | is signed
    expect(encodeControlValue(control)?.toString('hex')).to.equal('300b0204800000010201000400');
  });

  it('encodes the response: moreResults, unused, cookie', () => {
    expectEncoding(response({ moreResults: 1, unused: 0, cookie: hex(COOKIE) }), `30 10 02 01 01 02 01 00 04 08 ${COOKIE}`);
    expectEncoding(response({ moreResults: 0, unused: 0, cookie: Buffer.alloc(0) }), '30 08 02 01 00 02 01 00 04 00');
  });

  it('accepts the non-minimal four-octet INTEGERs AD writes', () => {
    expect(decodeControl(ControlOid.dirSync, true, hex(`30 16 02 04 00 00 00 01 02 04 00 00 00 00 04 08 ${COOKIE}`), 'response')).to.deep.equal(
      response({ moreResults: 1, unused: 0, cookie: hex(COOKIE) }),
    );
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.dirSync;
    expectMalformed(oid, undefined, 'request', /no value/);
    expectMalformed(oid, undefined, 'response', /no value/);
    expectMalformed(oid, '30 0c 02 05 01 00 00 00 00 02 01 00 04 00', 'request', /out of range/); // 2^32 does not fit
    expectMalformed(oid, '30 0c 02 05 ff 7f ff ff ff 02 01 00 04 00', 'request', /out of range/); // below -2^31
    expectMalformed(oid, '30 06 02 01 00 02 01 00', 'request', /expected tag 0x04 but the data ended/); // no cookie
    expectMalformed(oid, '30 08 02 01 00 02 01 00 24 00', 'request', /constructed encoding of a string/);
    expectMalformed(oid, '30 08 0a 01 00 02 01 00 04 00', 'response', /expected tag 0x02 but found 0x0a/);
    expectMalformed(oid, `30 10 02 01 01 02 01 00 04 08 4d 53 44 53`, 'response', /runs past the end/);
    expectMalformed(oid, '30 08 02 01 00 02 01 00 04 00 00', 'response', /unexpected octets after the end/);
  });

  it('refuses numbers outside the 32-bit range when encoding', () => {
    expect(() => encodeControlValue(request({ flags: 2 ** 32, maxBytes: 0, cookie: Buffer.alloc(0) }))).to.throw(RangeError, /flags/);
    expect(() => encodeControlValue(request({ flags: 0, maxBytes: 1.5, cookie: Buffer.alloc(0) }))).to.throw(RangeError, /maxBytes/);
  });

  it('builds a critical request with an empty cookie and unsigned flags', () => {
    const control = dirSyncControl({ flags: DirSyncFlags.incrementalValues | DirSyncFlags.ancestorsFirstOrder | DirSyncFlags.objectSecurity });
    expect(control).to.deep.equal(request({ flags: 0x80000801, maxBytes: 0x7fffffff, cookie: Buffer.alloc(0) }));
    expect(encodeControlValue(control)?.toString('hex')).to.equal(hex('30 0e 02 04 80 00 08 01 02 04 7f ff ff ff 04 00').toString('hex'));
    expect(dirSyncControl({ cookie: hex(COOKIE), maxBytes: 4096 }, { critical: false })).to.deep.equal(
      request({ flags: 0, maxBytes: 4096, cookie: hex(COOKIE) }, false),
    );
  });

  it('round-trips any unsigned 32-bit words and cookie', () => {
    const word = fc.integer({ min: 0, max: 0xffffffff });
    assertRoundTrips(fc.record({ flags: word, maxBytes: word, cookie: bytesArb(200) }).map((value) => request(value)));
    assertRoundTrips(fc.record({ moreResults: word, unused: word, cookie: bytesArb(200) }).map(response));
  });
});
