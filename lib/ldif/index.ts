/** RFC 2849 LDIF: a streaming reader and a writer for content and change records. */
export type * from './records';
export { LdifParser, DEFAULT_MAX_LDIF_RECORD_BYTES } from './parser';
export type { LdifReaderOptions, RecordCallback } from './parser';
export { LdifReader, parseLdif } from './reader';
export { LdifWriter, formatLdif } from './writer';
export type { LdifStreamOptions } from './writer';
export { formatLdifRecord, ldifFormat, LDAPSEARCH_LDIF } from './write';
export type { LdifWriterOptions, LdifFormat } from './write';
export { DEFAULT_LDIF_WRAP } from './fold';
