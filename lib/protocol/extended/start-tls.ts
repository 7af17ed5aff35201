import type { ExtendedRequest } from '../types';
import { buildExtendedRequest, defineExtendedCodec, forbidExtendedValue } from './codec';
import { ExtendedOid } from './oids';

/**
 * StartTLS (RFC 4511 §4.14): neither the request nor the response has a value. RFC 4511
 * §4.14.2 says the response's responseName is the same OID, but slapd 2.5 leaves it out (see
 * the starttls wire fixture), so an operation should not insist on it.
 */
export const startTLSCodec = defineExtendedCodec<void, void>({
  requestName: ExtendedOid.startTLS,
  name: 'startTLS',
  encodeRequestValue: () => undefined,
  decodeRequestValue: (value) => forbidExtendedValue(value, 'StartTLS request'),
  encodeResponseValue: () => undefined,
  decodeResponseValue: (value) => forbidExtendedValue(value, 'StartTLS response'),
});

export const startTLSRequest = (): ExtendedRequest => buildExtendedRequest(startTLSCodec, undefined);
