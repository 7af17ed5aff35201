import { expect } from 'chai';
import { startTLSCodec, startTLSRequest } from '../../../../lib/protocol/extended';
import { expectProtocolError, hex } from './helpers';

describe('protocol/extended/start-tls', () => {
  it('builds the request with no value', () => {
    expect(startTLSRequest()).to.deep.equal({ type: 'extendedReq', requestName: '1.3.6.1.4.1.1466.20037' });
  });

  it('has no values in either direction', () => {
    expect(startTLSCodec.requestName).to.equal('1.3.6.1.4.1.1466.20037');
    expect(startTLSCodec.encodeRequestValue()).to.equal(undefined);
    expect(startTLSCodec.encodeResponseValue()).to.equal(undefined);
    expect(startTLSCodec.decodeRequestValue(undefined)).to.equal(undefined);
    expect(startTLSCodec.decodeResponseValue(undefined)).to.equal(undefined);
  });

  it('tolerates an empty value, rejects one with content', () => {
    expect(startTLSCodec.decodeResponseValue(Buffer.alloc(0))).to.equal(undefined);
    expectProtocolError(() => startTLSCodec.decodeResponseValue(hex('00')), /StartTLS response must not have a value/);
    expectProtocolError(() => startTLSCodec.decodeRequestValue(hex('30 00')), /StartTLS request must not have a value/);
  });
});
