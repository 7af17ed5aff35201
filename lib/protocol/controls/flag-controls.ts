import { defineControlCodec } from './codec';
import type { ControlCodec } from './codec';
import { ControlOid } from './oids';
import type { ControlDirection, ControlOfType, ControlType } from './types';
import { forbidValue } from './value-helpers';

/** The control types that never carry a value (RawControl excepted: its value is optional). */
export type FlagControlType = Exclude<
  { [T in ControlType]: ControlOfType<T> extends { value: unknown } ? never : T }[ControlType],
  'raw'
>;

/**
 * A codec for a control that has no controlValue: encoding gives none, and decoding rejects a
 * non-empty one (an empty OCTET STRING is tolerated, as some servers send it).
 */
export const defineFlagControlCodec = <T extends FlagControlType>(
  type: T,
  oid: string,
  direction: ControlDirection | 'both',
): ControlCodec<T> =>
  defineControlCodec<T>({
    type,
    oid,
    direction,
    encodeValue: () => undefined,
    decodeValue: (value, criticality) => {
      forbidValue(value, type);
      return { type, oid, criticality } as ControlOfType<T>;
    },
  });

/** RFC 3296 §3: ManageDsaIT, no value. */
export const manageDsaITCodec = defineFlagControlCodec('manageDsaIT', ControlOid.manageDsaIT, 'request');
/** draft-armijo-ldap-treedelete: Tree Delete (subtree delete), no value. */
export const subtreeDeleteCodec = defineFlagControlCodec('subtreeDelete', ControlOid.subtreeDelete, 'request');
/** LDAP_SERVER_PERMISSIVE_MODIFY_OID (AD, OpenLDAP): no value. */
export const permissiveModifyCodec = defineFlagControlCodec('permissiveModify', ControlOid.permissiveModify, 'request');
/**
 * LDAP_SERVER_NOTIFICATION_OID ([MS-ADTS] 3.1.1.3.4.1.9): no value; the search's entries arrive
 * under its messageID until it is abandoned, and its filter must be (objectClass=*).
 */
export const adChangeNotificationCodec = defineFlagControlCodec(
  'adChangeNotification',
  ControlOid.adChangeNotification,
  'request',
);
