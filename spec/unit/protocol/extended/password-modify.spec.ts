import { expect } from 'chai';
import fc from 'fast-check';
import { passwordModifyCodec, passwordModifyRequest } from '../../../../lib/protocol/extended';
import type { PasswordModifyRequestValue, PasswordModifyResponseValue } from '../../../../lib/protocol/extended';
import { assertOnlyProtocolErrors, bytes, expectProtocolError, hex, text, toHex } from './helpers';

const OID = '1.3.6.1.4.1.4203.1.11.1';

describe('protocol/extended/password-modify', () => {
  describe('request value', () => {
    const vectors: Array<[string, PasswordModifyRequestValue, string]> = [
      [
        'all three fields',
        { userIdentity: 'u:jdoe', oldPasswd: Buffer.from('old'), newPasswd: Buffer.from('new') },
        '30 12  80 06 753a6a646f65  81 03 6f6c64  82 03 6e6577',
      ],
      ['only newPasswd', { newPasswd: Buffer.from('new') }, '30 05  82 03 6e6577'],
      ['only oldPasswd', { oldPasswd: Buffer.from('old') }, '30 05  81 03 6f6c64'],
      ['only userIdentity', { userIdentity: 'u:jdoe' }, '30 08  80 06 753a6a646f65'],
      ['an empty new password', { newPasswd: Buffer.alloc(0) }, '30 02  82 00'],
      [
        'userIdentity and newPasswd, binary password',
        { userIdentity: 'dn:cn=a', newPasswd: hex('00 ff 80') },
        '30 0e  80 07 646e3a636e3d61  82 03 00ff80',
      ],
    ];

    for (const [name, value, encoded] of vectors) {
      it(`encodes and decodes ${name}`, () => {
        expect(toHex(passwordModifyCodec.encodeRequestValue(value))).to.equal(toHex(hex(encoded)));
        expect(passwordModifyCodec.decodeRequestValue(hex(encoded))).to.deep.equal(value);
      });
    }

    it('leaves the value out when every field is absent', () => {
      expect(passwordModifyCodec.encodeRequestValue({})).to.equal(undefined);
      expect(passwordModifyCodec.decodeRequestValue(undefined)).to.deep.equal({});
      expect(passwordModifyCodec.decodeRequestValue(Buffer.alloc(0))).to.deep.equal({});
      expect(passwordModifyCodec.decodeRequestValue(hex('30 00'))).to.deep.equal({});
    });

    it('decodes passwords as views of the value, without copying', () => {
      const value = hex('30 05 82 03 6e6577');
      const decoded = passwordModifyCodec.decodeRequestValue(value);
      expect(decoded.newPasswd!.buffer).to.equal(value.buffer);
    });

    it('rejects malformed values', () => {
      // not a SEQUENCE
      expectProtocolError(() => passwordModifyCodec.decodeRequestValue(hex('31 00')), /expected tag 0x30/);
      // fields out of order
      expectProtocolError(
        () => passwordModifyCodec.decodeRequestValue(hex('30 0a 82 03 6e6577 81 03 6f6c64')),
        /unexpected tag 0x81 in PasswdModifyRequestValue/,
      );
      // a field twice
      expectProtocolError(() => passwordModifyCodec.decodeRequestValue(hex('30 04 80 00 80 00')), /unexpected tag 0x80/);
      // universal OCTET STRING instead of [0]
      expectProtocolError(() => passwordModifyCodec.decodeRequestValue(hex('30 02 04 00')), /unexpected tag 0x04/);
      // [3] is not a field
      expectProtocolError(() => passwordModifyCodec.decodeRequestValue(hex('30 02 83 00')), /unexpected tag 0x83/);
      // constructed [2]
      expectProtocolError(() => passwordModifyCodec.decodeRequestValue(hex('30 07 a2 05 04 03 6e6577')), /constructed/);
      // length past the end
      expectProtocolError(() => passwordModifyCodec.decodeRequestValue(hex('30 05 82 09 6e6577')), /runs past the end/);
      // trailing octets after the SEQUENCE
      expectProtocolError(() => passwordModifyCodec.decodeRequestValue(hex('30 00 00')), /unexpected octets after the end/);
    });

    it('the builder accepts strings and omits what is not given', () => {
      expect(passwordModifyRequest()).to.deep.equal({ type: 'extendedReq', requestName: OID });
      expect(passwordModifyRequest({ userIdentity: 'u:jdoe', oldPasswd: 'old', newPasswd: Buffer.from('new') })).to.deep.equal({
        type: 'extendedReq',
        requestName: OID,
        requestValue: hex('30 12 80 06 753a6a646f65 81 03 6f6c64 82 03 6e6577'),
      });
      expect(passwordModifyRequest({ newPasswd: 'pässword' }).requestValue).to.deep.equal(
        hex('30 0b 82 09 70c3a47373776f7264'),
      );
    });

    it('round-trips any value', () => {
      const arbitrary = fc.record(
        { userIdentity: text(), oldPasswd: bytes(), newPasswd: bytes() },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(arbitrary, (value) => {
          expect(passwordModifyCodec.decodeRequestValue(passwordModifyCodec.encodeRequestValue(value))).to.deep.equal(value);
        }),
      );
    });

    it('fails only with ProtocolError on arbitrary bytes', () => {
      assertOnlyProtocolErrors((value) => passwordModifyCodec.decodeRequestValue(value));
    });
  });

  describe('response value', () => {
    it('encodes and decodes genPasswd', () => {
      const value: PasswordModifyResponseValue = { genPasswd: Buffer.from('abc') };
      expect(toHex(passwordModifyCodec.encodeResponseValue(value))).to.equal(toHex(hex('30 05 80 03 616263')));
      expect(passwordModifyCodec.decodeResponseValue(hex('30 05 80 03 616263'))).to.deep.equal(value);
    });

    it('absent, empty and an empty SEQUENCE all mean no generated password', () => {
      expect(passwordModifyCodec.encodeResponseValue({})).to.equal(undefined);
      expect(passwordModifyCodec.decodeResponseValue(undefined)).to.deep.equal({});
      expect(passwordModifyCodec.decodeResponseValue(Buffer.alloc(0))).to.deep.equal({});
      expect(passwordModifyCodec.decodeResponseValue(hex('30 00'))).to.deep.equal({});
    });

    it('rejects malformed values', () => {
      expectProtocolError(() => passwordModifyCodec.decodeResponseValue(hex('04 03 616263')), /expected tag 0x30/);
      expectProtocolError(() => passwordModifyCodec.decodeResponseValue(hex('30 05 82 03 616263')), /unexpected tag 0x82 in PasswdModifyResponseValue/);
      expectProtocolError(() => passwordModifyCodec.decodeResponseValue(hex('30 05 04 03 616263')), /unexpected tag 0x04/);
      expectProtocolError(() => passwordModifyCodec.decodeResponseValue(hex('30 04 80 00 80 00')), /unexpected tag 0x80/);
      expectProtocolError(() => passwordModifyCodec.decodeResponseValue(hex('30 80 80 00 00 00')), /indefinite length/);
      expectProtocolError(() => passwordModifyCodec.decodeResponseValue(hex('30 05 80 03 6162')), /runs past the end/);
    });

    it('round-trips any value', () => {
      fc.assert(
        fc.property(fc.record({ genPasswd: bytes() }, { requiredKeys: [] }), (value) => {
          expect(passwordModifyCodec.decodeResponseValue(passwordModifyCodec.encodeResponseValue(value))).to.deep.equal(value);
        }),
      );
    });

    it('fails only with ProtocolError on arbitrary bytes', () => {
      assertOnlyProtocolErrors((value) => passwordModifyCodec.decodeResponseValue(value));
    });
  });
});
