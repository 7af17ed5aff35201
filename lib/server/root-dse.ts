import { ControlOid, ExtendedOid } from './deps';
import type { PartialAttribute } from './deps';
import type { DirectoryStore } from './directory';
import { SUBSCHEMA_DN } from './operational';

/**
 * The two entries every LDAP server answers without storing them: the root DSE (RFC 4512 §5.1),
 * which says what this server can do, and the subschema subentry (§4.2), which publishes the
 * schema it checks against.
 */

/** Request controls the directory acts on. */
export const SUPPORTED_CONTROLS: readonly string[] = [
  ControlOid.pagedResults,
  ControlOid.sortRequest,
  ControlOid.syncRequest,
  ControlOid.persistentSearch,
  ControlOid.manageDsaIT,
  ControlOid.assertion,
  ControlOid.preRead,
  ControlOid.postRead,
  ControlOid.subtreeDelete,
  ControlOid.permissiveModify,
];

export const SUPPORTED_EXTENSIONS: readonly string[] = [ExtendedOid.whoAmI, ExtendedOid.passwordModify, ExtendedOid.cancel];
export const STARTTLS_EXTENSION = ExtendedOid.startTLS;

/** RFC 3673 all operational attributes, RFC 4526 absolute true and false filters, RFC 4525 modify-increment. */
const SUPPORTED_FEATURES = ['1.3.6.1.4.1.4203.1.5.1', '1.3.6.1.4.1.4203.1.5.3', '1.3.6.1.1.14'];

const text = (type: string, values: readonly string[]): PartialAttribute => ({ type, vals: values.map((value) => Buffer.from(value, 'utf8')) });

export interface RootDseOptions {
  readonly tls: boolean;
  readonly saslMechanisms: readonly string[];
}

export const rootDse = (directory: DirectoryStore, options: RootDseOptions): { user: PartialAttribute[]; operational: PartialAttribute[] } => ({
  user: [text('objectClass', ['top', 'LDAProotDSE'])],
  operational: [
    text('namingContexts', directory.suffixes.map((suffix) => suffix.toString())),
    text('supportedControl', SUPPORTED_CONTROLS),
    text('supportedExtension', options.tls ? [STARTTLS_EXTENSION, ...SUPPORTED_EXTENSIONS] : SUPPORTED_EXTENSIONS),
    text('supportedFeatures', SUPPORTED_FEATURES),
    text('supportedLDAPVersion', ['3']),
    ...(options.saslMechanisms.length === 0 ? [] : [text('supportedSASLMechanisms', options.saslMechanisms)]),
    text('vendorName', ['rxldap']),
    text('entryDN', ['']),
    text('subschemaSubentry', [SUBSCHEMA_DN]),
  ],
});

/** cn=Subschema: the definitions among the operational attributes, in slapd's order. */
export const subschemaEntry = (directory: DirectoryStore): { user: PartialAttribute[]; operational: PartialAttribute[] } => ({
  user: [text('objectClass', ['top', 'subentry', 'subschema', 'extensibleObject']), text('cn', ['Subschema'])],
  operational: [
    text('structuralObjectClass', ['subentry']),
    text('createTimestamp', [directory.createdAt]),
    text('modifyTimestamp', [directory.createdAt]),
    ...Object.entries(directory.schema.descriptions()).map(([type, values]) => text(type, values)),
    text('entryDN', [SUBSCHEMA_DN]),
    text('subschemaSubentry', [SUBSCHEMA_DN]),
  ],
});
