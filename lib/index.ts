/**
 * rxldap's public entry point. Layers (see DESIGN.md): ber ← protocol ← dn/filter ← transport
 * ← connection ← operations ← client. Everything a user or a codec author needs is re-exported
 * here; deep imports are not part of the API.
 */
export * from './errors';
export { BerReader, BerWriter, Tag } from './ber';
export type { BerReaderOptions } from './ber';
export * from './protocol';
export * from './transport';
export * from './dn';
export * from './filter';
export * from './connection';
export { Operation } from './operations/operation';
export type { FlowControl, Demand, OperationProducer } from './operations/operation';
export type { ExchangeOptions } from './operations/exchange';
export * from './search';
export * from './client';
export { parseLdapUrl } from './transport/ldap-url';
export type { LdapUrl, ParseLdapUrlOptions } from './transport/ldap-url';
