import type { ExtendedResponse, LdapMessage } from '../types';
import { defineExtendedCodec, forbidExtendedValue } from './codec';
import { ExtendedOid } from './oids';

/** RFC 4511 §4.4.1 Notice of Disconnection. */
export const NOTICE_OF_DISCONNECTION_OID = ExtendedOid.noticeOfDisconnection;

/**
 * Notice of Disconnection carries no value. It is never requested: only the response side
 * means anything, and the codec exists so the OID has an entry like every other.
 */
export const noticeOfDisconnectionCodec = defineExtendedCodec<void, void>({
  requestName: ExtendedOid.noticeOfDisconnection,
  name: 'noticeOfDisconnection',
  encodeRequestValue: () => undefined,
  decodeRequestValue: (value) => forbidExtendedValue(value, 'Notice of Disconnection request'),
  encodeResponseValue: () => undefined,
  decodeResponseValue: (value) => forbidExtendedValue(value, 'Notice of Disconnection'),
});

/**
 * Whether a received message is a Notice of Disconnection: an unsolicited (messageID 0)
 * extendedResp whose responseName is the notice's OID. Its resultCode says why (unavailable,
 * protocolError, strongerAuthRequired, …); the server closes the connection after it.
 */
export const isNoticeOfDisconnection = (message: LdapMessage): message is LdapMessage<ExtendedResponse> =>
  message.messageId === 0 &&
  message.protocolOp.type === 'extendedResp' &&
  message.protocolOp.responseName === NOTICE_OF_DISCONNECTION_OID;

/** The message a server (rxldap's mock) sends before it closes the connection. */
export const noticeOfDisconnection = (resultCode: number, diagnosticMessage = ''): LdapMessage<ExtendedResponse> => ({
  messageId: 0,
  protocolOp: {
    type: 'extendedResp',
    resultCode,
    matchedDN: '',
    diagnosticMessage,
    responseName: NOTICE_OF_DISCONNECTION_OID,
  },
});
