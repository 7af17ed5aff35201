export { Client } from './client';
export type { ClientOptions, OperationOptions, ModifyDNOptions, PasswordModifyInput } from './client';
export type { AttributeInput, AttributeValues, ModificationInput } from './attributes';
