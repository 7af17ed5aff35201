/**
 * rxldap's client API: the package's `.` export. It lists only what an application needs to
 * talk to a directory; the codec-level API is `rxldap/wire` (lib/wire.ts), and everything else
 * is sealed by package.json's exports map. etc/rxldap.api.md records this surface: CI fails
 * when it changes without the report changing with it.
 */

// The client and its options.
export { Client } from './client';
export type { ClientOptions, OperationOptions, ModifyDNOptions, PasswordModifyInput } from './client';
export type { AttributeInput, AttributeValue, AttributeValues, ModificationInput, ReadSchemaOptions } from './client';
export type { CleartextCredentialsPolicy, TransportSecurity } from './connection';
export { Operation } from './operations/operation';
export type { LdapOutcome, OperationResult } from './operations/outcome';
export type { DNInput, BoundIdentity, ClientEvent, ClientEventType, ServerOptions, ServerStrategy, ReconnectOptions } from './client';

// Operating it: usage metrics and the logging hook.
export type { ClientMetrics, MetricsOperationType, Logger, LogLevel, LogFunction, LevelLogger, LogMethod, LogFields } from './client';

// Connection pools.
export { ConnectionPool } from './client';
export type { ConnectionPoolOptions, ConnectionPoolStats, PoolHealthCheck, PoolLease, AcquireOptions } from './client';

// Authentication.
export { externalMechanism, plainMechanism, createSaslMechanism, scramMechanism, ScramMechanism } from './client';
export { digestMd5Mechanism, DigestMd5Mechanism, DEFAULT_MAX_SCRAM_ITERATIONS } from './client';
export type { SaslMechanism, SaslCredentials, SaslMechanismName, ScramHash, ScramOptions, DigestMd5Options } from './client';

// Errors: the base classes, then one class per LDAP result code.
export {
  RxLdapError,
  ProtocolError,
  ConnectionError,
  TimeoutError,
  AbandonedError,
  LdapSyntaxError,
  InvalidDNError,
  InvalidFilterError,
  CleartextCredentialsError,
  ServerPoolExhaustedError,
  RebindError,
  BufferOverflowError,
  SaslPrepError,
} from './errors';
export { SchemaSyntaxError, SchemaError, UnknownSchemaNameError, AttributeValueError } from './errors';
export { LdifError, LdifSyntaxError, LdifLimitError, LdifUrlError, LdifRecordError } from './errors';
export { NoticeOfDisconnectionError, SaslError, FilterTemplateError, InvalidUrlError, UnsupportedCriticalExtensionError } from './errors';
export { SyncStoreCorruptError, SyncStoreStateError, SyncConsumerStateError, ObjectClassRequiredError } from './errors';
export { ConnectionPoolClosedError, ConnectionPoolTimeoutError, ConnectionPoolAbortedError, ConnectionPoolFullError } from './errors';
export { LdapError } from './errors';
export type { LdapErrorDetails, ResponseControl } from './errors';
export {
  OperationsError,
  LdapProtocolError,
  TimeLimitExceededError,
  SizeLimitExceededError,
  AuthMethodNotSupportedError,
  StrongerAuthRequiredError,
  ReferralError,
  AdminLimitExceededError,
  UnavailableCriticalExtensionError,
  ConfidentialityRequiredError,
  NoSuchAttributeError,
  UndefinedAttributeTypeError,
  InappropriateMatchingError,
  ConstraintViolationError,
  AttributeOrValueExistsError,
  InvalidAttributeSyntaxError,
  NoSuchObjectError,
  AliasProblemError,
  InvalidDNSyntaxError,
  AliasDereferencingProblemError,
  InappropriateAuthenticationError,
  InvalidCredentialsError,
  InsufficientAccessRightsError,
  BusyError,
  UnavailableError,
  UnwillingToPerformError,
  LoopDetectError,
  NamingViolationError,
  ObjectClassViolationError,
  NotAllowedOnNonLeafError,
  NotAllowedOnRDNError,
  EntryAlreadyExistsError,
  ObjectClassModsProhibitedError,
  AffectsMultipleDSAsError,
  OtherError,
  CanceledError,
  NoSuchOperationError,
  TooLateError,
  CannotCancelError,
  AssertionFailedError,
  AuthorizationDeniedError,
  SyncRefreshRequiredError,
} from './errors';
export { ResultCode, resultCodeName } from './errors';
export type { ResultCodeName, ResultCodeValue } from './errors';

// What the server answers with.
export type { LdapResult, PartialAttribute, Attribute, SearchScope, DerefAliases, ModifyOperation, Change } from './protocol';
export type { ExtendedResponse, SearchResultDone } from './protocol';
// Client.notifications carries whole messages (a notice of disconnection, RFC 4511 4.4).
export type { LdapMessage } from './protocol';

// DNs.
export { DN, parseDN, isValidDN, escapeDNValue, dn } from './dn';
export type { DNTemplateValue, AttributeTypeAndValue, RDN } from './dn';

// Filters: parse, build, print, and evaluate on the client side.
export { parseFilter, DEFAULT_MAX_FILTER_DEPTH, filterToString, escapeFilterValue, filter } from './filter';
export { matches, evaluateFilter, compileFilter } from './filter';
export type { ParseFilterOptions, FilterTemplateValue, FilterResult, FilterEntry, CompiledFilter, EvaluationOptions, AttributeTypeResolver, ResolvedAttributeType } from './filter';
export type {
  Filter,
  FilterValue,
  AndFilter,
  OrFilter,
  NotFilter,
  AttributeValueAssertion,
  EqualityMatchFilter,
  GreaterOrEqualFilter,
  LessOrEqualFilter,
  ApproxMatchFilter,
  SubstringsFilter,
  PresentFilter,
  ExtensibleMatchFilter,
} from './protocol';

// Controls an application passes in `controls` or reads from a response.
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
  ControlOid,
  DirSyncFlags,
  PasswordPolicyError,
} from './protocol';
export type { ControlOptions, SortKeyInput, VlvControlInput, PasswordPolicyErrorName } from './protocol';
export type * from './protocol/controls/types';
export { ExtendedOid, parseAuthzId } from './protocol';
export type { ExtendedOidName, AuthzId } from './protocol';

// Searches: entries, paging, change feeds.
export { SearchEntry, SearchReference, PagedSearch } from './search';
export type { SearchOptions, ScopeOption, DerefOption, PagedSearchOptions, SearchPage } from './search';
export type { SearchItem } from './search/search';
export type { ChangeEvent, ChangeEventType, PersistentSearchOptions, PersistentSearchResumedEvent, SyncreplOptions } from './search';
export type * from './search/syncrepl-events';
export { DEFAULT_MAX_SYNC_RESTARTS, syncUUIDToString, syncUUIDFromString } from './search';

// A replica kept in sync (RFC 4533) with a store that survives restarts.
export { SyncReplConsumer, MemorySyncStore, FileSyncStore } from './search';
// Constants straight from their files: the CommonJS build loads the families they belong to on
// first use, and reading a constant through them would load them (scripts/bundle-first-use.mjs).
export { DEFAULT_BINARY_ATTRIBUTES } from './search/sync/binary-attributes';
export type { SyncReplConsumerOptions, SyncSource, SyncSourceClient, ConsumerEvent, SyncCallbacks, SyncProgress, FileSyncStoreOptions } from './search';
export type { SyncAttributes, SyncBatch, SyncRecord, SyncStore, SyncStoreState, UnmarkedEntry, UnmarkedPage } from './search';

// The directory's model: root DSE, schema (RFC 4512), typed values, check_names.
export { RootDSE, Schema, parseSchema, AttributeType, ObjectClass, GeneralizedTime, ValueTyping, checkRequestNames } from './schema';
export { Syntax } from './schema/syntaxes';
export { SCHEMA_ATTRIBUTES } from './schema/schema-attributes';
export {
  parseAttributeType,
  parseObjectClass,
  parseMatchingRule,
  parseMatchingRuleUse,
  parseLdapSyntax,
  parseDitContentRule,
  parseDitStructureRule,
  parseNameForm,
  printAttributeType,
  printObjectClass,
  printMatchingRule,
  printMatchingRuleUse,
  printLdapSyntax,
  printDitContentRule,
  printDitStructureRule,
  printNameForm,
  sidToString,
  sidFromString,
  guidToString,
  guidFromString,
} from './schema';
export { loadSchemaSnapshot } from './schema/snapshots';
export type { SchemaSnapshotName } from './schemas';
export type { SchemaJSON, SchemaOptions, SchemaProblem, ParseSchemaOptions, SchemaText, SubschemaEntry, SyntaxName, Formatters, TypedValue, ValueFormatter } from './schema';
export type {
  SchemaExtensions,
  SchemaElementDefinition,
  AttributeUsage,
  AttributeTypeDefinition,
  ObjectClassKind,
  ObjectClassDefinition,
  MatchingRuleDefinition,
  MatchingRuleUseDefinition,
  LdapSyntaxDefinition,
  DitContentRuleDefinition,
  DitStructureRuleDefinition,
  NameFormDefinition,
  SchemaDefinitions,
  SchemaAttribute,
} from './schema';
// LDIF (RFC 2849): read and write records, searches and change feeds as LDIF, apply change files.
export { LdifReader, LdifWriter, LdifParser, parseLdif, formatLdif, formatLdifRecord, DEFAULT_LDIF_WRAP, DEFAULT_MAX_LDIF_RECORD_BYTES } from './ldif';
export { LDAPSEARCH_LDIF } from './ldif/presets';
export type { LdifReaderOptions, LdifWriterOptions, LdifStreamOptions, LdifFormat, RecordCallback } from './ldif';
export type * from './ldif/records';
export { ldifStream, changeEventToLdif, SyncLdifTranslator, syncChangeToLdif } from './search';
export type { LdifStreamItem } from './search';
export { applyLdif } from './client';
export type { ApplyLdifOptions, LdifApplyResult, LdifApplyTarget } from './client';

// LDAP URLs (RFC 4516).
export { parseLdapUrl } from './transport/ldap-url';
export type { LdapUrl, ParseLdapUrlOptions } from './transport/ldap-url';

// A key-value store over the directory: paths as keys, entries as values, changes as a stream.
export { DirectoryStore, parseStorePath, toStorePath } from './kv';
export type { DirectoryStoreOptions, ListOptions, PutResult, StoreAttributes, StoreChange, StoreItem, StorePath, WatchOptions } from './kv';
