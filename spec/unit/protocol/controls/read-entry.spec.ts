import { expect } from 'chai';
import fc from 'fast-check';
import { ProtocolError } from '../../../../lib/errors';
import { ControlOid, decodeControl, decodeEntryValue, encodeEntryValue } from '../../../../lib/protocol/controls';
import type {
  PostReadRequestControl,
  PostReadResponseControl,
  PreReadRequestControl,
  PreReadResponseControl,
} from '../../../../lib/protocol/controls';
import type { PartialAttribute } from '../../../../lib/protocol/types';
import { assertRoundTrips, attributeArb, bytesArb, expectEncoding, expectMalformed, hex, textArb } from './helpers';

const preReadRequest = (attributes: string[]): PreReadRequestControl => ({
  type: 'preReadRequest',
  oid: ControlOid.preRead,
  criticality: false,
  value: { attributes },
});
const postReadRequest = (attributes: string[]): PostReadRequestControl => ({
  type: 'postReadRequest',
  oid: ControlOid.postRead,
  criticality: true,
  value: { attributes },
});
const preReadResponse = (objectName: string, attributes: PartialAttribute[]): PreReadResponseControl => ({
  type: 'preReadResponse',
  oid: ControlOid.preRead,
  criticality: false,
  value: { objectName, attributes },
});
const postReadResponse = (objectName: string, attributes: PartialAttribute[]): PostReadResponseControl => ({
  type: 'postReadResponse',
  oid: ControlOid.postRead,
  criticality: false,
  value: { objectName, attributes },
});

const ENTRY = '64 13 04 04 63 6e 3d 61 30 0b 30 09 04 02 63 6e 31 03 04 01 61';

describe('pre-read and post-read controls (RFC 4527)', () => {
  it('encodes the request value as an AttributeSelection', () => {
    expectEncoding(preReadRequest(['cn', 'mail']), '30 0a 04 02 63 6e 04 04 6d 61 69 6c');
    expectEncoding(postReadRequest([]), '30 00');
    expectEncoding(postReadRequest(['*', '+']), '30 06 04 01 2a 04 01 2b');
  });

  it('encodes the response value as an [APPLICATION 4] SearchResultEntry', () => {
    expectEncoding(preReadResponse('cn=a', [{ type: 'cn', vals: [Buffer.from('a')] }]), ENTRY);
    expectEncoding(
      postReadResponse('', [
        { type: 'x', vals: [] },
        { type: 'y', vals: [Buffer.from('1'), Buffer.from('2')] },
      ]),
      '64 18 04 00 30 14 30 05 04 01 78 31 00 30 0b 04 01 79 31 06 04 01 31 04 01 32',
    );
    expectEncoding(postReadResponse('cn=b', []), '64 08 04 04 63 6e 3d 62 30 00');
  });

  it('picks the request or the response shape by direction', () => {
    expect(decodeControl(ControlOid.preRead, false, hex('30 04 04 02 63 6e'), 'request').type).to.equal('preReadRequest');
    expect(decodeControl(ControlOid.preRead, false, hex(ENTRY), 'response').type).to.equal('preReadResponse');
    expect(decodeControl(ControlOid.postRead, false, hex('30 04 04 02 63 6e'), 'request').type).to.equal('postReadRequest');
    expect(decodeControl(ControlOid.postRead, false, hex(ENTRY), 'response').type).to.equal('postReadResponse');
  });

  it('rejects malformed request values', () => {
    expectMalformed(ControlOid.preRead, undefined, 'request', /no value/);
    expectMalformed(ControlOid.preRead, '31 04 04 02 63 6e', 'request', /expected tag 0x30 but found 0x31/);
    expectMalformed(ControlOid.postRead, '30 04 80 02 63 6e', 'request', /expected tag 0x04 but found 0x80/);
    expectMalformed(ControlOid.postRead, '30 04 04 02 63', 'request', /runs past the end/);
    expectMalformed(ControlOid.postRead, '30 00 00', 'request', /unexpected octets after the end/);
  });

  it('rejects malformed response values', () => {
    expectMalformed(ControlOid.preRead, undefined, 'response', /no value/);
    expectMalformed(ControlOid.preRead, '30 13 04 04 63 6e 3d 61 30 0b 30 09 04 02 63 6e 31 03 04 01 61', 'response', /expected tag 0x64 but found 0x30/);
    expectMalformed(ControlOid.postRead, '64 13 04 04 63 6e 3d 61 30 0b 30 09 04 02 63 6e 30 03 04 01 61', 'response', /expected tag 0x31 but found 0x30/); // vals as SEQUENCE
    expectMalformed(ControlOid.postRead, '64 06 04 04 63 6e 3d 61', 'response', /expected tag 0x30 but the data ended/); // no attribute list
    expectMalformed(ControlOid.postRead, '64 13 04 04 63 6e 3d 61 30 0b 30 09 04 02 63 6e 31 03 04 01', 'response', /runs past the end/);
    expectMalformed(ControlOid.postRead, `${ENTRY} 00`, 'response', /unexpected octets after the end/);
    expectMalformed(ControlOid.postRead, '64 0a 04 00 30 06 30 04 04 02 63 6e', 'response', /expected tag 0x31 but the data ended/); // no vals SET
  });

  it('exposes the entry codec on its own', () => {
    const entry = { objectName: 'cn=a', attributes: [{ type: 'cn', vals: [Buffer.from('a')] }] };
    expect(encodeEntryValue(entry).toString('hex')).to.equal(hex(ENTRY).toString('hex'));
    expect(decodeEntryValue(hex(ENTRY))).to.deep.equal(entry);
    expect(() => decodeEntryValue(hex(`${ENTRY} 00`))).to.throw(ProtocolError);
  });

  it('round-trips any attribute selection and any entry', () => {
    const selection = fc.array(textArb(16), { maxLength: 6 });
    assertRoundTrips(selection.map(preReadRequest));
    assertRoundTrips(selection.map(postReadRequest));
    const attributes = fc.array(fc.record({ type: attributeArb(), vals: fc.array(bytesArb(24), { maxLength: 4 }) }), { maxLength: 5 });
    assertRoundTrips(fc.tuple(textArb(40), attributes).map(([dn, attrs]) => preReadResponse(dn, attrs)));
    // Large enough that lengths take more than one octet.
    assertRoundTrips(
      fc.tuple(textArb(40), fc.array(fc.record({ type: attributeArb(), vals: fc.array(bytesArb(300, 100), { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }))
        .map(([dn, attrs]) => postReadResponse(dn, attrs)),
      50,
    );
  });
});
