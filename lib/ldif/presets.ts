// A constant of its own file: the CommonJS build loads LDIF on first use, and its constants must
// not make every import load it (scripts/bundle-first-use.mjs).
import type { LdifWriterOptions } from './write';

/** What `ldapsearch -LLL -o ldif-wrap=76` writes, for output that must match it byte for byte. */
export const LDAPSEARCH_LDIF: Readonly<LdifWriterOptions> = Object.freeze({ wrap: 76, base64: 'printable', alwaysBase64: Object.freeze(['userPassword', '2.5.4.35']) });
