export { Client } from './client';
export type { ClientOptions, OperationOptions, ModifyDNOptions, PasswordModifyInput, DNInput, BoundIdentity } from './client';
export type { AttributeInput, AttributeValues, ModificationInput } from './attributes';
export { externalMechanism, plainMechanism, createSaslMechanism } from './sasl';
export type { SaslMechanism, SaslCredentials, SaslMechanismName } from './sasl';
export { scramMechanism, ScramMechanism, saslPrep, DEFAULT_MAX_SCRAM_ITERATIONS } from './sasl-scram';
export type { ScramHash, ScramOptions } from './sasl-scram';
export { digestMd5Mechanism, DigestMd5Mechanism } from './sasl-digest-md5';
export type { DigestMd5Options } from './sasl-digest-md5';
