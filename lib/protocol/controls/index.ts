/** Controls: typed shapes, OIDs, the codec registry, each control's codec, and builders. */
export type * from './types';
export type { ControlCodec, AnyControlCodec } from './codec';
export { defineControlCodec } from './codec';
export { ControlOid } from './oids';
export {
  registerControlCodec,
  controlCodecFor,
  encodeControlValue,
  controlOid,
  decodeControl,
  builtinControlCodecs,
} from './registry';

export { pagedResultsCodec } from './paged-results';
export { syncRequestCodec, syncStateCodec, syncDoneCodec, SYNC_MODES, SYNC_STATES, SYNC_UUID_LENGTH } from './sync';
export { persistentSearchCodec, entryChangeNotificationCodec, CHANGE_TYPES, ALL_CHANGE_TYPES } from './persistent-search';
export { sortRequestCodec, sortResponseCodec } from './sort';
export { vlvRequestCodec, vlvResponseCodec } from './vlv';
export { preReadRequestCodec, postReadRequestCodec, preReadResponseCodec, postReadResponseCodec } from './read-entry';
export { encodeEntryValue, decodeEntryValue } from './entry-value';
export type { EntryValue } from './entry-value';
export { assertionCodec } from './assertion';
export { proxiedAuthorizationCodec } from './proxied-authorization';
export {
  manageDsaITCodec,
  subtreeDeleteCodec,
  permissiveModifyCodec,
  adChangeNotificationCodec,
  defineFlagControlCodec,
} from './flag-controls';
export type { FlagControlType } from './flag-controls';
export {
  passwordPolicyRequestCodec,
  passwordPolicyResponseCodec,
  PasswordPolicyError,
  PASSWORD_POLICY_ERROR_NAMES,
} from './password-policy';
export type { PasswordPolicyErrorName } from './password-policy';
export { transactionSpecificationCodec } from './transaction';
export { dirSyncRequestCodec, dirSyncResponseCodec, DirSyncFlags, DIRSYNC_DEFAULT_MAX_BYTES } from './dir-sync';

export {
  pagedResultsControl,
  syncRequestControl,
  persistentSearchControl,
  sortControl,
  vlvControl,
  preReadControl,
  postReadControl,
  assertionControl,
  proxiedAuthorizationControl,
  manageDsaITControl,
  passwordPolicyControl,
  subtreeDeleteControl,
  permissiveModifyControl,
  transactionSpecificationControl,
  dirSyncControl,
  adChangeNotificationControl,
  rawControl,
} from './factories';
export type { ControlOptions, SortKeyInput, VlvControlInput } from './factories';
