import { defineControlCodec } from './codec';
import { ControlOid } from './oids';
import { requireValue } from './value-helpers';

/**
 * RFC 4370 §3: "The controlValue SHALL be present and it either contains an authzId
 * [RFC 4513] representing the entity the operation is to be performed as, or is empty (for
 * anonymous)." The authzId is the value itself as UTF-8, not wrapped in BER. The codec does not
 * check the authzId's form (`dn:…` / `u:…`); proxiedAuthorizationControl() does.
 */
export const proxiedAuthorizationCodec = defineControlCodec({
  type: 'proxiedAuthorization',
  oid: ControlOid.proxiedAuthorization,
  direction: 'request',
  encodeValue: ({ value }) => Buffer.from(value.authzId, 'utf8'),
  decodeValue: (value, criticality) => ({
    type: 'proxiedAuthorization',
    oid: ControlOid.proxiedAuthorization,
    criticality,
    value: { authzId: requireValue(value, 'proxiedAuthorization').toString('utf8') },
  }),
});
