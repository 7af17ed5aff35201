/**
 * Every error class rxldap raises, one file per family, all extending RxLdapError; and the
 * LDAP result codes the LdapError family is keyed by. The bottom layer: nothing here imports
 * the rest of rxldap (errorFromResult, which reads a protocol LDAPResult, is in protocol/).
 */
export { RxLdapError } from './base';
export { ProtocolError } from './protocol';
export { ConnectionError, NoticeOfDisconnectionError, CleartextCredentialsError, ServerPoolExhaustedError, RebindError, isConnectionLoss } from './connection';
export { TimeoutError, AbandonedError, BufferOverflowError } from './operation';
export { LdapSyntaxError, InvalidDNError, InvalidFilterError, FilterTemplateError } from './syntax';
export { LdifError, LdifSyntaxError, LdifLimitError, LdifUrlError, LdifRecordError } from './ldif';
export { InvalidUrlError, UnsupportedCriticalExtensionError } from './url';
export { SaslError, SaslPrepError } from './sasl';
export { SchemaSyntaxError, SchemaError, UnknownSchemaNameError, AttributeValueError } from './schema';
export { SyncStoreCorruptError, SyncConsumerStateError, SyncStoreStateError } from './sync';
export { ObjectClassRequiredError } from './store';
export { ConnectionPoolClosedError, ConnectionPoolTimeoutError, ConnectionPoolAbortedError, ConnectionPoolFullError } from './pool';
export * from './result-codes';
export * from './ldap-result';
