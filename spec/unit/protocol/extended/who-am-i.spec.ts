import { expect } from 'chai';
import fc from 'fast-check';
import { parseAuthzId, whoAmICodec, whoAmIRequest } from '../../../../lib/protocol/extended';
import { expectProtocolError, hex, text } from './helpers';

describe('protocol/extended/who-am-i', () => {
  it('builds the request with no value', () => {
    expect(whoAmIRequest()).to.deep.equal({ type: 'extendedReq', requestName: '1.3.6.1.4.1.4203.1.11.3' });
    expect(whoAmICodec.encodeRequestValue()).to.equal(undefined);
    expect(whoAmICodec.decodeRequestValue(undefined)).to.equal(undefined);
    expectProtocolError(() => whoAmICodec.decodeRequestValue(hex('30 00')), /must not have a value/);
  });

  it('the response value is the authzId itself, not BER-wrapped', () => {
    expect(whoAmICodec.encodeResponseValue('u:kurt')).to.deep.equal(hex('75 3a 6b 75 72 74'));
    expect(whoAmICodec.encodeResponseValue('dn:cn=a')).to.deep.equal(hex('64 6e 3a 63 6e 3d 61'));
    expect(whoAmICodec.decodeResponseValue(hex('75 3a 6b 75 72 74'))).to.equal('u:kurt');
    expect(whoAmICodec.decodeResponseValue(hex('64 6e 3a 63 6e 3d 61'))).to.equal('dn:cn=a');
  });

  it('decodes the DN form with UTF-8', () => {
    const authzId = 'dn:cn=Jürgen,dc=example,dc=com';
    const encoded = whoAmICodec.encodeResponseValue(authzId)!;
    expect(encoded.subarray(0, 13).toString('hex')).to.equal('646e3a636e3d4ac3bc7267656e');
    expect(whoAmICodec.decodeResponseValue(encoded)).to.equal(authzId);
  });

  it('anonymous: absent and empty values are the empty authzId; encoding gives an empty value', () => {
    expect(whoAmICodec.decodeResponseValue(undefined)).to.equal('');
    expect(whoAmICodec.decodeResponseValue(Buffer.alloc(0))).to.equal('');
    expect(whoAmICodec.encodeResponseValue('')).to.deep.equal(Buffer.alloc(0));
  });

  it('round-trips any authzId', () => {
    fc.assert(
      fc.property(text(), (authzId) => {
        expect(whoAmICodec.decodeResponseValue(whoAmICodec.encodeResponseValue(authzId))).to.equal(authzId);
      }),
    );
  });

  describe('parseAuthzId', () => {
    it('splits the forms of RFC 4513', () => {
      expect(parseAuthzId('')).to.deep.equal({ type: 'anonymous' });
      expect(parseAuthzId('dn:uid=jdoe,dc=example,dc=com')).to.deep.equal({ type: 'dn', dn: 'uid=jdoe,dc=example,dc=com' });
      expect(parseAuthzId('dn:')).to.deep.equal({ type: 'dn', dn: '' });
      expect(parseAuthzId('u:jdoe@EXAMPLE.COM')).to.deep.equal({ type: 'u', userId: 'jdoe@EXAMPLE.COM' });
      expect(parseAuthzId('u:')).to.deep.equal({ type: 'u', userId: '' });
    });

    it('matches the prefixes in any case', () => {
      expect(parseAuthzId('DN:cn=x')).to.deep.equal({ type: 'dn', dn: 'cn=x' });
      expect(parseAuthzId('U:kurt')).to.deep.equal({ type: 'u', userId: 'kurt' });
    });

    it('keeps anything else as received', () => {
      expect(parseAuthzId('cn=x,dc=com')).to.deep.equal({ type: 'other', value: 'cn=x,dc=com' });
      expect(parseAuthzId('d')).to.deep.equal({ type: 'other', value: 'd' });
      expect(parseAuthzId('user:x')).to.deep.equal({ type: 'other', value: 'user:x' });
    });
  });
});
