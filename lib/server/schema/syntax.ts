import { isUtf8 } from 'node:buffer';
import { isValidDN } from '../deps';

/**
 * Value syntax checks for the syntaxes entries commonly hold (RFC 4517 §3.3), so a bad value is
 * invalidAttributeSyntax (21) here as it is in slapd. Syntaxes not listed accept any octets.
 */
const SYNTAX = '1.3.6.1.4.1.1466.115.121.1.';

const isAscii = (value: Buffer): boolean => value.every((byte) => byte < 0x80);
const text = (value: Buffer): string => value.toString('latin1');
const PRINTABLE = /^[A-Za-z0-9'()+,\-./:? =]+$/;
const GENERALIZED_TIME = /^\d{10}(\d{2}(\d{2})?)?([.,]\d+)?(Z|[+-]\d{2}(\d{2})?)$/;
const OID_OR_DESCR = /^([0-9]+(\.[0-9]+)+|[A-Za-z][A-Za-z0-9-]*)$/;

const CHECKS: Readonly<Record<string, (value: Buffer) => boolean>> = {
  [`${SYNTAX}15`]: (value) => value.length > 0 && isUtf8(value), // Directory String
  [`${SYNTAX}26`]: isAscii, // IA5 String
  [`${SYNTAX}27`]: (value) => /^-?(0|[1-9][0-9]*)$/.test(text(value)), // INTEGER
  [`${SYNTAX}12`]: (value) => isUtf8(value) && isValidDN(value.toString('utf8')), // DN
  [`${SYNTAX}24`]: (value) => GENERALIZED_TIME.test(text(value)), // Generalized Time
  [`${SYNTAX}7`]: (value) => text(value) === 'TRUE' || text(value) === 'FALSE', // Boolean
  [`${SYNTAX}38`]: (value) => OID_OR_DESCR.test(text(value)), // OID
  [`${SYNTAX}36`]: (value) => /^[0-9 ]+$/.test(text(value)), // Numeric String
  [`${SYNTAX}44`]: (value) => PRINTABLE.test(text(value)), // Printable String
  [`${SYNTAX}50`]: (value) => value.length > 0 && isUtf8(value), // Telephone Number (slapd is lenient too)
};

/** Whether `value` is valid for the syntax OID (true for a syntax not checked here). */
export const isValidForSyntax = (syntax: string | undefined, value: Buffer): boolean => {
  const check = syntax === undefined ? undefined : CHECKS[syntax];
  return check === undefined || check(value);
};
