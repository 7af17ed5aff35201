export { Client } from './client';
export type { ClientOptions, OperationOptions, ModifyDNOptions, PasswordModifyInput } from './client';
export type { AttributeInput, AttributeValues, ModificationInput } from './attributes';
export { externalMechanism, plainMechanism } from './sasl';
export type { SaslMechanism, SaslCredentials } from './sasl';
