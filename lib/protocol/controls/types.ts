import type { Filter } from '../filter-types';
import type { PartialAttribute } from '../types';

/**
 * Controls (RFC 4511 §4.1.11) as typed values. `type` names the control (and its direction where
 * the request and response share an OID but not a shape); `oid` is what goes on the wire.
 * A control whose OID has no codec here is kept as a RawControl with its value's bytes.
 */
interface ControlBase<T extends string> {
  type: T;
  oid: string;
  criticality: boolean;
}
interface ValuedControl<T extends string, V> extends ControlBase<T> {
  value: V;
}

export type SyncMode = 'refreshOnly' | 'refreshAndPersist';
export type SyncStateName = 'present' | 'add' | 'modify' | 'delete';
export type ChangeTypeName = 'add' | 'delete' | 'modify' | 'modDN';

export interface SortKey {
  attributeType: string;
  orderingRule?: string;
  reverseOrder: boolean;
}
export type VlvTarget =
  | { type: 'byOffset'; offset: number; contentCount: number }
  | { type: 'greaterThanOrEqual'; assertionValue: Buffer };

/** RFC 2696, same shape in both directions. */
export type PagedResultsControl = ValuedControl<'pagedResults', { size: number; cookie: Buffer }>;
/** RFC 4533 §2.2 */
export type SyncRequestControl = ValuedControl<'syncRequest', { mode: SyncMode; cookie?: Buffer; reloadHint: boolean }>;
/** RFC 4533 §2.3; entryUUID is the 16 raw octets. */
export type SyncStateControl = ValuedControl<'syncState', { state: SyncStateName; entryUUID: Buffer; cookie?: Buffer }>;
/** RFC 4533 §2.4 */
export type SyncDoneControl = ValuedControl<'syncDone', { cookie?: Buffer; refreshDeletes: boolean }>;
/** draft-ietf-ldapext-psearch-03: changeTypes is the bitmask add 1, delete 2, modify 4, modDN 8. */
export type PersistentSearchControl = ValuedControl<'persistentSearch', { changeTypes: number; changesOnly: boolean; returnECs: boolean }>;
export type EntryChangeNotificationControl = ValuedControl<'entryChangeNotification', { changeType: ChangeTypeName; previousDN?: string; changeNumber?: number }>;
/** RFC 2891 */
export type SortRequestControl = ValuedControl<'sortRequest', { keys: SortKey[] }>;
export type SortResponseControl = ValuedControl<'sortResponse', { sortResult: number; attributeType?: string }>;
/** draft-ietf-ldapext-ldapv3-vlv-09 */
export type VlvRequestControl = ValuedControl<'vlvRequest', { beforeCount: number; afterCount: number; target: VlvTarget; contextID?: Buffer }>;
export type VlvResponseControl = ValuedControl<'vlvResponse', { targetPosition: number; contentCount: number; virtualListViewResult: number; contextID?: Buffer }>;
/** RFC 4527: the request names attributes, the response carries the entry as it was / is. */
export type PreReadRequestControl = ValuedControl<'preReadRequest', { attributes: string[] }>;
export type PostReadRequestControl = ValuedControl<'postReadRequest', { attributes: string[] }>;
export type PreReadResponseControl = ValuedControl<'preReadResponse', { objectName: string; attributes: PartialAttribute[] }>;
export type PostReadResponseControl = ValuedControl<'postReadResponse', { objectName: string; attributes: PartialAttribute[] }>;
/** RFC 4528 */
export type AssertionControl = ValuedControl<'assertion', { filter: Filter }>;
/** RFC 4370: the value is the authzId itself (`dn:…`, `u:…` or empty), not BER-wrapped. */
export type ProxiedAuthorizationControl = ValuedControl<'proxiedAuthorization', { authzId: string }>;
/** RFC 3296 */
export type ManageDsaITControl = ControlBase<'manageDsaIT'>;
/** draft-behera-ldap-password-policy */
export type PasswordPolicyRequestControl = ControlBase<'passwordPolicyRequest'>;
export type PasswordPolicyResponseControl = ValuedControl<'passwordPolicyResponse', { timeBeforeExpiration?: number; graceAuthNsRemaining?: number; error?: number }>;
/** draft-armijo-ldap-treedelete */
export type SubtreeDeleteControl = ControlBase<'subtreeDelete'>;
/** Active Directory / OpenLDAP permissive modify (1.2.840.113556.1.4.1413) */
export type PermissiveModifyControl = ControlBase<'permissiveModify'>;
/** RFC 5805: the value is the transaction identifier's octets. */
export type TransactionSpecificationControl = ValuedControl<'transactionSpecification', { transactionId: Buffer }>;
/** Active Directory DirSync (1.2.840.113556.1.4.841). */
export type DirSyncRequestControl = ValuedControl<'dirSyncRequest', { flags: number; maxBytes: number; cookie: Buffer }>;
export type DirSyncResponseControl = ValuedControl<'dirSyncResponse', { moreResults: number; unused: number; cookie: Buffer }>;
/** Active Directory change notification (1.2.840.113556.1.4.528). */
export type AdChangeNotificationControl = ControlBase<'adChangeNotification'>;
/** Any control this library has no codec for: the value's bytes as received. */
export interface RawControl extends ControlBase<'raw'> {
  value?: Buffer;
}

export type Control =
  | PagedResultsControl
  | SyncRequestControl
  | SyncStateControl
  | SyncDoneControl
  | PersistentSearchControl
  | EntryChangeNotificationControl
  | SortRequestControl
  | SortResponseControl
  | VlvRequestControl
  | VlvResponseControl
  | PreReadRequestControl
  | PostReadRequestControl
  | PreReadResponseControl
  | PostReadResponseControl
  | AssertionControl
  | ProxiedAuthorizationControl
  | ManageDsaITControl
  | PasswordPolicyRequestControl
  | PasswordPolicyResponseControl
  | SubtreeDeleteControl
  | PermissiveModifyControl
  | TransactionSpecificationControl
  | DirSyncRequestControl
  | DirSyncResponseControl
  | AdChangeNotificationControl
  | RawControl;

export type ControlType = Control['type'];
export type ControlOfType<T extends ControlType> = Extract<Control, { type: T }>;
/** The value shape of a control type (never for value-less controls). */
export type ControlValue<T extends ControlType> = ControlOfType<T> extends { value: infer V } ? V : never;

/** Which side sends a message, which decides the codec when request and response share an OID. */
export type ControlDirection = 'request' | 'response';
