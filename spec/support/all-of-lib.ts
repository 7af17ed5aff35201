/**
 * Everything lib/ has, for specs that drive internals (Connection, readMessage, codecs) next to
 * the client: what lib/index.ts exported before the package surface was sealed. Not the
 * package API: that is lib/index.ts (rxldap) and lib/wire.ts (rxldap/wire).
 */
export * from '../../lib/errors';
export { BerReader, BerWriter, Tag } from '../../lib/ber';
export type { BerReaderOptions } from '../../lib/ber';
export * from '../../lib/protocol';
export * from '../../lib/transport';
export * from '../../lib/dn';
export * from '../../lib/filter';
export * from '../../lib/connection';
export { Operation } from '../../lib/operations/operation';
export type { FlowControl, Demand, OperationProducer } from '../../lib/operations/operation';
export type { ExchangeOptions } from '../../lib/operations/exchange';
export * from '../../lib/search';
export * from '../../lib/client';
export * from '../../lib/kv';
export { parseLdapUrl } from '../../lib/transport/ldap-url';
export type { LdapUrl, ParseLdapUrlOptions } from '../../lib/transport/ldap-url';
