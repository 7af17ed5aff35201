import type { Filter } from '../filter-types';
import { MIN_INT32 } from '../../ber';
import { DIRSYNC_DEFAULT_MAX_BYTES, MAX_UINT32 } from './dir-sync';
import { ALL_CHANGE_TYPES, CHANGE_TYPES } from './persistent-search';
import { ControlOid } from './oids';
import type {
  AdChangeNotificationControl,
  AssertionControl,
  ChangeTypeName,
  DirSyncRequestControl,
  ManageDsaITControl,
  PagedResultsControl,
  PasswordPolicyRequestControl,
  PermissiveModifyControl,
  PersistentSearchControl,
  PostReadRequestControl,
  PreReadRequestControl,
  ProxiedAuthorizationControl,
  RawControl,
  SortKey,
  SortRequestControl,
  SubtreeDeleteControl,
  SyncMode,
  SyncRequestControl,
  TransactionSpecificationControl,
  VlvRequestControl,
  VlvTarget,
} from './types';

/**
 * Builders for request controls, so callers need not know OIDs or value shapes. Each returns a
 * plain typed Control; the codecs check numbers and names when it is encoded. Every builder
 * takes `{ critical }`; the default is FALSE except where the control's specification asks for
 * TRUE (proxied authorization, transaction specification, DirSync).
 */
export interface ControlOptions {
  /** The control's criticality: TRUE makes a server that does not support it fail the operation. */
  critical?: boolean;
}

const bytes = (value: Buffer | Uint8Array | string): Buffer =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/** RFC 2696: ask for `size` entries per page; `cookie` is empty on the first request. */
export const pagedResultsControl = (
  { size, cookie }: { size: number; cookie?: Buffer | Uint8Array },
  options: ControlOptions = {},
): PagedResultsControl => ({
  type: 'pagedResults',
  oid: ControlOid.pagedResults,
  criticality: options.critical ?? false,
  value: { size, cookie: cookie === undefined ? Buffer.alloc(0) : bytes(cookie) },
});

/** RFC 4533 §2.2: start (no cookie) or resume (with the last cookie) a content synchronization. */
export const syncRequestControl = (
  { mode, cookie, reloadHint = false }: { mode: SyncMode; cookie?: Buffer | Uint8Array | string; reloadHint?: boolean },
  options: ControlOptions = {},
): SyncRequestControl => ({
  type: 'syncRequest',
  oid: ControlOid.syncRequest,
  criticality: options.critical ?? false,
  value: cookie === undefined ? { mode, reloadHint } : { mode, cookie: bytes(cookie), reloadHint },
});

/**
 * draft-ietf-ldapext-psearch-03. `changeTypes` is a bitmask (add 1, delete 2, modify 4, modDN 8)
 * or a list of names; the defaults ask for every change, changes only, with Entry Change
 * Notification controls.
 */
export const persistentSearchControl = (
  {
    changeTypes = ALL_CHANGE_TYPES,
    changesOnly = true,
    returnECs = true,
  }: { changeTypes?: number | readonly ChangeTypeName[]; changesOnly?: boolean; returnECs?: boolean } = {},
  options: ControlOptions = {},
): PersistentSearchControl => {
  let mask: number;
  if (typeof changeTypes === 'number') {
    mask = changeTypes;
  } else {
    mask = 0;
    for (const name of changeTypes) {
      const bit = Object.prototype.hasOwnProperty.call(CHANGE_TYPES, name) ? CHANGE_TYPES[name] : undefined;
      if (bit === undefined) throw new TypeError(`unknown persistent search change type '${String(name)}'`);
      mask |= bit;
    }
  }
  if (!Number.isInteger(mask) || mask < 1 || mask > ALL_CHANGE_TYPES) {
    throw new RangeError(`persistent search changeTypes must name at least one of add, delete, modify, modDN (1..15), not ${mask}`);
  }
  return {
    type: 'persistentSearch',
    oid: ControlOid.persistentSearch,
    criticality: options.critical ?? false,
    value: { changeTypes: mask, changesOnly, returnECs },
  };
};

/** A sort key as an object, or as text `[-]attribute[:orderingRuleOID]` (`-` reverses the order). */
export type SortKeyInput = string | { attributeType: string; orderingRule?: string; reverseOrder?: boolean };

const parseSortKey = (key: SortKeyInput): SortKey => {
  if (typeof key !== 'string') {
    const sortKey: SortKey = { attributeType: key.attributeType, reverseOrder: key.reverseOrder ?? false };
    if (key.orderingRule !== undefined) sortKey.orderingRule = key.orderingRule;
    return sortKey;
  }
  const reverseOrder = key.startsWith('-');
  const text = reverseOrder ? key.slice(1) : key;
  const colon = text.indexOf(':');
  const attributeType = colon < 0 ? text : text.slice(0, colon);
  if (attributeType === '' || (colon >= 0 && colon === text.length - 1)) throw new TypeError(`invalid sort key '${key}'`);
  return colon < 0 ? { attributeType, reverseOrder } : { attributeType, orderingRule: text.slice(colon + 1), reverseOrder };
};

/** RFC 2891 server-side sort, most significant key first: `sortControl(['sn', '-cn'])`. */
export const sortControl = (keys: readonly SortKeyInput[] | SortKeyInput, options: ControlOptions = {}): SortRequestControl => ({
  type: 'sortRequest',
  oid: ControlOid.sortRequest,
  criticality: options.critical ?? false,
  value: { keys: (Array.isArray(keys) ? keys : [keys as SortKeyInput]).map(parseSortKey) },
});

/**
 * draft-ietf-ldapext-ldapv3-vlv-09: a window of `beforeCount` + 1 + `afterCount` entries around
 * a target given by position (`offset`, 1-based, with the client's `contentCount` estimate, 0
 * meaning "use yours") or by value (`greaterThanOrEqual`). Needs a sort control on the same search.
 */
export type VlvControlInput = { beforeCount: number; afterCount: number; contextID?: Buffer | Uint8Array } & (
  | { offset: number; contentCount?: number }
  | { greaterThanOrEqual: Buffer | Uint8Array | string }
  | { target: VlvTarget }
);

export const vlvControl = (input: VlvControlInput, options: ControlOptions = {}): VlvRequestControl => {
  let target: VlvTarget;
  if ('target' in input) target = input.target;
  else if ('greaterThanOrEqual' in input) target = { type: 'greaterThanOrEqual', assertionValue: bytes(input.greaterThanOrEqual) };
  else target = { type: 'byOffset', offset: input.offset, contentCount: input.contentCount ?? 0 };
  const value: VlvRequestControl['value'] = { beforeCount: input.beforeCount, afterCount: input.afterCount, target };
  if (input.contextID !== undefined) value.contextID = bytes(input.contextID);
  return { type: 'vlvRequest', oid: ControlOid.vlvRequest, criticality: options.critical ?? false, value };
};

/** RFC 4527: return these attributes of the entry as it was before the update (none listed: all user attributes). */
export const preReadControl = (attributes: readonly string[] = [], options: ControlOptions = {}): PreReadRequestControl => ({
  type: 'preReadRequest',
  oid: ControlOid.preRead,
  criticality: options.critical ?? false,
  value: { attributes: [...attributes] },
});

/** RFC 4527: return these attributes of the entry as it is after the update (none listed: all user attributes). */
export const postReadControl = (attributes: readonly string[] = [], options: ControlOptions = {}): PostReadRequestControl => ({
  type: 'postReadRequest',
  oid: ControlOid.postRead,
  criticality: options.critical ?? false,
  value: { attributes: [...attributes] },
});

/** RFC 4528: perform the operation only if the target entry matches `filter` (else assertionFailed, 122). */
export const assertionControl = (filter: Filter, options: ControlOptions = {}): AssertionControl => ({
  type: 'assertion',
  oid: ControlOid.assertion,
  criticality: options.critical ?? false,
  value: { filter },
});

/**
 * RFC 4370 proxied authorization v2: act as `authzId` (`dn:<DN>`, `u:<user>`, or '' for
 * anonymous). Critical by default, as §3 requires ("The criticality MUST be present and MUST be TRUE").
 */
export const proxiedAuthorizationControl = (authzId: string, options: ControlOptions = {}): ProxiedAuthorizationControl => {
  if (authzId !== '' && !authzId.startsWith('dn:') && !authzId.startsWith('u:')) {
    throw new TypeError(`proxied authorization authzId must be empty or start with 'dn:' or 'u:', not '${authzId}'`);
  }
  return {
    type: 'proxiedAuthorization',
    oid: ControlOid.proxiedAuthorization,
    criticality: options.critical ?? true,
    value: { authzId },
  };
};

/** RFC 3296: treat referral objects as ordinary entries. */
export const manageDsaITControl = (options: ControlOptions = {}): ManageDsaITControl => ({
  type: 'manageDsaIT',
  oid: ControlOid.manageDsaIT,
  criticality: options.critical ?? false,
});

/** draft-behera-ldap-password-policy: ask for password policy warnings and errors on bind, modify, … */
export const passwordPolicyControl = (options: ControlOptions = {}): PasswordPolicyRequestControl => ({
  type: 'passwordPolicyRequest',
  oid: ControlOid.passwordPolicy,
  criticality: options.critical ?? false,
});

/** Tree delete: delete an entry with all its subordinates. */
export const subtreeDeleteControl = (options: ControlOptions = {}): SubtreeDeleteControl => ({
  type: 'subtreeDelete',
  oid: ControlOid.subtreeDelete,
  criticality: options.critical ?? false,
});

/** Permissive modify: adding a value that exists or deleting one that does not is not an error. */
export const permissiveModifyControl = (options: ControlOptions = {}): PermissiveModifyControl => ({
  type: 'permissiveModify',
  oid: ControlOid.permissiveModify,
  criticality: options.critical ?? false,
});

/** RFC 5805 §2.2: make an update part of transaction `transactionId`; critical by default, as the RFC says. */
export const transactionSpecificationControl = (
  transactionId: Buffer | Uint8Array | string,
  options: ControlOptions = {},
): TransactionSpecificationControl => ({
  type: 'transactionSpecification',
  oid: ControlOid.transactionSpecification,
  criticality: options.critical ?? true,
  value: { transactionId: bytes(transactionId) },
});

/**
 * JavaScript's `|` gives signed results (DirSyncFlags.incrementalValues | 1 is negative): take any
 * 32-bit pattern as its unsigned value, and leave other numbers for the codec to reject.
 */
const asWord = (value: number): number =>
  Number.isInteger(value) && value >= MIN_INT32 && value <= MAX_UINT32 ? value >>> 0 : value;

/**
 * Active Directory DirSync: `flags` from DirSyncFlags (unsigned; incrementalValues is 0x80000000),
 * `maxBytes` defaults to 2^31 - 1, `cookie` is empty on the first request. Critical by default,
 * as Microsoft documents it.
 */
export const dirSyncControl = (
  { flags = 0, maxBytes = DIRSYNC_DEFAULT_MAX_BYTES, cookie }: { flags?: number; maxBytes?: number; cookie?: Buffer | Uint8Array } = {},
  options: ControlOptions = {},
): DirSyncRequestControl => ({
  type: 'dirSyncRequest',
  oid: ControlOid.dirSync,
  criticality: options.critical ?? true,
  value: { flags: asWord(flags), maxBytes: asWord(maxBytes), cookie: cookie === undefined ? Buffer.alloc(0) : bytes(cookie) },
});

/** Active Directory change notification: a search that stays open and returns changed entries. */
export const adChangeNotificationControl = (options: ControlOptions = {}): AdChangeNotificationControl => ({
  type: 'adChangeNotification',
  oid: ControlOid.adChangeNotification,
  criticality: options.critical ?? false,
});

/** Any control by OID, with its value's octets as they should go on the wire. */
export const rawControl = (oid: string, value?: Buffer | Uint8Array | string, critical = false): RawControl =>
  value === undefined ? { type: 'raw', oid, criticality: critical } : { type: 'raw', oid, criticality: critical, value: bytes(value) };
