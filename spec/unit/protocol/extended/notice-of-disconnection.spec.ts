import { expect } from 'chai';
import {
  NOTICE_OF_DISCONNECTION_OID,
  isNoticeOfDisconnection,
  noticeOfDisconnection,
  noticeOfDisconnectionCodec,
} from '../../../../lib/protocol/extended';
import type { LdapMessage } from '../../../../lib/protocol/types';
import { expectProtocolError, hex } from './helpers';

describe('protocol/extended/notice-of-disconnection', () => {
  const notice = (messageId: number, responseName?: string): LdapMessage => ({
    messageId,
    protocolOp: {
      type: 'extendedResp',
      resultCode: 52,
      matchedDN: '',
      diagnosticMessage: 'shutting down',
      ...(responseName === undefined ? {} : { responseName }),
    },
  });

  it('has the OID of RFC 4511 §4.4.1', () => {
    expect(NOTICE_OF_DISCONNECTION_OID).to.equal('1.3.6.1.4.1.1466.20036');
    expect(noticeOfDisconnectionCodec.requestName).to.equal('1.3.6.1.4.1.1466.20036');
  });

  it('recognises an extendedResp with messageID 0 and the OID', () => {
    expect(isNoticeOfDisconnection(notice(0, '1.3.6.1.4.1.1466.20036'))).to.equal(true);
  });

  it('rejects anything else', () => {
    expect(isNoticeOfDisconnection(notice(1, '1.3.6.1.4.1.1466.20036')), 'messageID 1').to.equal(false);
    expect(isNoticeOfDisconnection(notice(0)), 'no responseName').to.equal(false);
    expect(isNoticeOfDisconnection(notice(0, '1.3.6.1.1.21.4')), 'other unsolicited notification').to.equal(false);
    expect(
      isNoticeOfDisconnection({ messageId: 0, protocolOp: { type: 'intermediateResponse', responseName: '1.3.6.1.4.1.1466.20036' } }),
      'intermediateResponse',
    ).to.equal(false);
    expect(
      isNoticeOfDisconnection({ messageId: 0, protocolOp: { type: 'extendedReq', requestName: '1.3.6.1.4.1.1466.20036' } }),
      'extendedReq',
    ).to.equal(false);
  });

  it('builds the notice a server sends', () => {
    const message = noticeOfDisconnection(2, 'bad PDU');
    expect(message).to.deep.equal({
      messageId: 0,
      protocolOp: {
        type: 'extendedResp',
        resultCode: 2,
        matchedDN: '',
        diagnosticMessage: 'bad PDU',
        responseName: '1.3.6.1.4.1.1466.20036',
      },
    });
    expect(isNoticeOfDisconnection(message)).to.equal(true);
    expect(noticeOfDisconnection(52).protocolOp.diagnosticMessage).to.equal('');
  });

  it('carries no value', () => {
    expect(noticeOfDisconnectionCodec.encodeResponseValue()).to.equal(undefined);
    expect(noticeOfDisconnectionCodec.decodeResponseValue(undefined)).to.equal(undefined);
    expect(noticeOfDisconnectionCodec.decodeResponseValue(Buffer.alloc(0))).to.equal(undefined);
    expectProtocolError(() => noticeOfDisconnectionCodec.decodeResponseValue(hex('01')), /must not have a value/);
  });
});
