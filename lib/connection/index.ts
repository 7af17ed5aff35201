export { Connection } from './connection';
export type { ConnectionObserver, ConnectionOptions, ConnectionState, ResponseHandler, TlsUpgrade } from './connection';
export { MessageIdAllocator } from './message-ids';
export type { CleartextCredentialsPolicy, TransportSecurity } from './transport-security';
