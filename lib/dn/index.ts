/** RFC 4514 distinguished names: parse, serialise, escape, compare, and the `dn` template. */
export { DN, parseDN, isValidDN } from './dn';
export { escapeDNValue } from './escape';
export { dn } from './template';
export type { DNTemplateValue } from './template';
export type { AttributeTypeAndValue, RDN } from './types';
export { normalizeType, normalizeValue } from './normalize';
