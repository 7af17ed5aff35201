import type { ExtendedRequest } from '../types';
import { buildExtendedRequest, defineExtendedCodec, forbidExtendedValue } from './codec';
import { ExtendedOid } from './oids';

/**
 * Who am I? (RFC 4532). The request has no value. The response value is the authzId itself
 * (RFC 4513 §5.2.1.8: `dn:<DN>` or `u:<userid>`), UTF-8, not BER-wrapped; an empty value means
 * the server treats the client as anonymous. An absent value decodes to '' as well (servers
 * differ). Encoding '' gives an empty value, which is what slapd 2.5 sends (see the whoami-anon
 * wire fixture). The response has no responseName.
 */
export const whoAmICodec = defineExtendedCodec<void, string>({
  requestName: ExtendedOid.whoAmI,
  name: 'whoAmI',
  encodeRequestValue: () => undefined,
  decodeRequestValue: (value) => forbidExtendedValue(value, 'Who am I? request'),
  encodeResponseValue: (authzId) => Buffer.from(authzId, 'utf8'),
  decodeResponseValue: (value) => (value === undefined ? '' : value.toString('utf8')),
});

export const whoAmIRequest = (): ExtendedRequest => buildExtendedRequest(whoAmICodec, undefined);

/** An authzId split by its form (RFC 4513 §5.2.1.8). */
export type AuthzId =
  | { type: 'anonymous' }
  | { type: 'dn'; dn: string }
  | { type: 'u'; userId: string }
  /** Not one of RFC 4513's forms; kept as received. */
  | { type: 'other'; value: string };

/**
 * Splits an authzId such as a Who am I? response into its form. The `dn:` and `u:` prefixes are
 * ABNF literals and so match in any case. The DN is not parsed or normalised here.
 */
export const parseAuthzId = (authzId: string): AuthzId => {
  if (authzId === '') return { type: 'anonymous' };
  const prefix = authzId.slice(0, 3).toLowerCase();
  if (prefix === 'dn:') return { type: 'dn', dn: authzId.slice(3) };
  if (prefix.startsWith('u:')) return { type: 'u', userId: authzId.slice(2) };
  return { type: 'other', value: authzId };
};
