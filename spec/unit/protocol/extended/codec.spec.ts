import { expect } from 'chai';
import { ProtocolError } from '../../../../lib/errors';
import {
  ExtendedOid,
  buildExtendedRequest,
  cancelCodec,
  decodeExtendedRequestValue,
  decodeExtendedResponseValue,
  endTransactionCodec,
  extendedCodecFor,
  forbidExtendedValue,
  noticeOfDisconnectionCodec,
  passwordModifyCodec,
  registerExtendedCodec,
  requireExtendedValue,
  startTLSCodec,
  startTransactionCodec,
  whoAmICodec,
} from '../../../../lib/protocol/extended';
import type { ExtendedOperationCodec } from '../../../../lib/protocol/extended';
import { hex } from './helpers';

describe('protocol/extended/codec', () => {
  it('ExtendedOid has the registered OIDs', () => {
    expect(ExtendedOid).to.deep.equal({
      startTLS: '1.3.6.1.4.1.1466.20037',
      whoAmI: '1.3.6.1.4.1.4203.1.11.3',
      passwordModify: '1.3.6.1.4.1.4203.1.11.1',
      cancel: '1.3.6.1.1.8',
      startTransaction: '1.3.6.1.1.21.1',
      endTransaction: '1.3.6.1.1.21.3',
      abortedTransaction: '1.3.6.1.1.21.4',
      noticeOfDisconnection: '1.3.6.1.4.1.1466.20036',
    });
  });

  it('the registry finds every codec by its OID', () => {
    for (const codec of [
      startTLSCodec,
      whoAmICodec,
      passwordModifyCodec,
      cancelCodec,
      startTransactionCodec,
      endTransactionCodec,
      noticeOfDisconnectionCodec,
    ]) {
      expect(extendedCodecFor(codec.requestName)).to.equal(codec);
    }
    expect(extendedCodecFor('1.2.3.4')).to.equal(undefined);
  });

  it('registerExtendedCodec adds a codec', () => {
    const codec: ExtendedOperationCodec<Buffer, Buffer> = {
      requestName: '1.3.6.1.4.1.99999.1',
      encodeRequestValue: (value) => value,
      decodeRequestValue: (value) => value ?? Buffer.alloc(0),
      encodeResponseValue: (value) => value,
      decodeResponseValue: (value) => value ?? Buffer.alloc(0),
    };
    registerExtendedCodec(codec);
    expect(extendedCodecFor('1.3.6.1.4.1.99999.1')).to.equal(codec);
  });

  it('buildExtendedRequest leaves an absent value out', () => {
    const request = buildExtendedRequest(whoAmICodec, undefined);
    expect(request).to.deep.equal({ type: 'extendedReq', requestName: '1.3.6.1.4.1.4203.1.11.3' });
    expect(Object.keys(request)).not.to.include('requestValue');
    expect(buildExtendedRequest(cancelCodec, 1)).to.deep.equal({
      type: 'extendedReq',
      requestName: '1.3.6.1.1.8',
      requestValue: hex('30 03 02 01 01'),
    });
  });

  it('requireExtendedValue / forbidExtendedValue', () => {
    expect(() => requireExtendedValue(undefined, 'X')).to.throw(ProtocolError, 'X has no value');
    expect(() => requireExtendedValue(Buffer.alloc(0), 'X')).to.throw(ProtocolError, 'X has no value');
    expect(requireExtendedValue(hex('01'), 'X')).to.deep.equal(hex('01'));
    expect(() => forbidExtendedValue(hex('01'), 'X')).to.throw(ProtocolError, 'X must not have a value');
    expect(() => forbidExtendedValue(undefined, 'X')).not.to.throw();
    expect(() => forbidExtendedValue(Buffer.alloc(0), 'X')).not.to.throw();
  });

  it('decodeExtendedResponseValue names the operation in errors', () => {
    expect(decodeExtendedResponseValue(whoAmICodec, { responseValue: Buffer.from('u:kurt') })).to.equal('u:kurt');
    let caught: unknown;
    try {
      decodeExtendedResponseValue(passwordModifyCodec, { responseValue: hex('04 00') });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ProtocolError);
    expect((caught as ProtocolError).message).to.match(/^malformed passwordModify response value: expected tag 0x30/);
    expect((caught as ProtocolError).cause).to.be.instanceOf(ProtocolError);
  });

  it('decodeExtendedRequestValue names the operation in errors', () => {
    expect(decodeExtendedRequestValue(cancelCodec, { requestValue: hex('30 03 02 01 09') })).to.equal(9);
    expect(() => decodeExtendedRequestValue(cancelCodec, {})).to.throw(ProtocolError, /^malformed cancel request value: Cancel request has no value/);
  });

  it('passes non-protocol errors through unchanged', () => {
    const boom = new TypeError('boom');
    const codec: ExtendedOperationCodec<void, void> = {
      requestName: '1.2.3',
      encodeRequestValue: () => undefined,
      decodeRequestValue: () => {
        throw boom;
      },
      encodeResponseValue: () => undefined,
      decodeResponseValue: () => {
        throw boom;
      },
    };
    expect(() => decodeExtendedResponseValue(codec, {})).to.throw(boom);
    expect(() => decodeExtendedRequestValue(codec, {})).to.throw(boom);
  });
});
