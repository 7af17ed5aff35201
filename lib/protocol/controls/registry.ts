import { ProtocolError } from '../../errors';
import type { AnyControlCodec, ControlCodec } from './codec';
import type { Control, ControlDirection, ControlType } from './types';
import { pagedResultsCodec } from './paged-results';
import { syncDoneCodec, syncRequestCodec, syncStateCodec } from './sync';
import { entryChangeNotificationCodec, persistentSearchCodec } from './persistent-search';
import { sortRequestCodec, sortResponseCodec } from './sort';
import { vlvRequestCodec, vlvResponseCodec } from './vlv';
import { postReadRequestCodec, postReadResponseCodec, preReadRequestCodec, preReadResponseCodec } from './read-entry';
import { assertionCodec } from './assertion';
import { proxiedAuthorizationCodec } from './proxied-authorization';
import { adChangeNotificationCodec, manageDsaITCodec, permissiveModifyCodec, subtreeDeleteCodec } from './flag-controls';
import { passwordPolicyRequestCodec, passwordPolicyResponseCodec } from './password-policy';
import { transactionSpecificationCodec } from './transaction';
import { dirSyncRequestCodec, dirSyncResponseCodec } from './dir-sync';

/**
 * Looks codecs up by type (to encode) and by OID and direction (to decode). A codec registered
 * for 'both' directions answers for either side.
 */
const byType = new Map<string, AnyControlCodec>();
const byOidRequest = new Map<string, AnyControlCodec>();
const byOidResponse = new Map<string, AnyControlCodec>();

/** Adds a codec; later registrations for the same type or OID+direction replace earlier ones. */
export const registerControlCodec = (codec: AnyControlCodec): void => {
  byType.set(codec.type, codec);
  if (codec.direction !== 'response') byOidRequest.set(codec.oid, codec);
  if (codec.direction !== 'request') byOidResponse.set(codec.oid, codec);
};

export const controlCodecFor = (type: ControlType): AnyControlCodec | undefined => byType.get(type);

/** The controlValue octets of a typed control (raw controls pass theirs through). */
export const encodeControlValue = (control: Control): Buffer | undefined => {
  if (control.type === 'raw') return control.value;
  const codec = byType.get(control.type) as ControlCodec<typeof control.type> | undefined;
  if (codec === undefined) throw new TypeError(`no codec for control type '${control.type}'`);
  return codec.encodeValue(control);
};

/** The OID to put on the wire: the codec's for typed controls, the caller's for raw ones. */
export const controlOid = (control: Control): string => {
  if (control.type === 'raw') return control.oid;
  return byType.get(control.type)?.oid ?? control.oid;
};

/**
 * A typed control for a received (oid, criticality, value); unknown OIDs become RawControl.
 * A known OID with a malformed value is a ProtocolError naming the control.
 */
export const decodeControl = (
  oid: string,
  criticality: boolean,
  value: Buffer | undefined,
  direction: ControlDirection,
): Control => {
  const codec = (direction === 'request' ? byOidRequest : byOidResponse).get(oid);
  if (codec === undefined) {
    return value === undefined ? { type: 'raw', oid, criticality } : { type: 'raw', oid, criticality, value };
  }
  try {
    return codec.decodeValue(value, criticality);
  } catch (error) {
    if (error instanceof ProtocolError) {
      throw new ProtocolError(`malformed ${codec.type} control value (${oid}): ${error.reason}`, undefined, { cause: error });
    }
    throw error;
  }
};

/** Every codec rxldap ships, registered when this module loads. */
export const builtinControlCodecs: readonly AnyControlCodec[] = [
  pagedResultsCodec,
  syncRequestCodec,
  syncStateCodec,
  syncDoneCodec,
  persistentSearchCodec,
  entryChangeNotificationCodec,
  sortRequestCodec,
  sortResponseCodec,
  vlvRequestCodec,
  vlvResponseCodec,
  preReadRequestCodec,
  postReadRequestCodec,
  preReadResponseCodec,
  postReadResponseCodec,
  assertionCodec,
  proxiedAuthorizationCodec,
  manageDsaITCodec,
  passwordPolicyRequestCodec,
  passwordPolicyResponseCodec,
  subtreeDeleteCodec,
  permissiveModifyCodec,
  transactionSpecificationCodec,
  dirSyncRequestCodec,
  dirSyncResponseCodec,
  adChangeNotificationCodec,
] as AnyControlCodec[];

for (const codec of builtinControlCodecs) registerControlCodec(codec);
