import { LdapSyntaxError } from './deps';
import type { PartialAttribute } from './deps';
import type { EntryInput } from './directory';

/**
 * A small RFC 2849 reader and writer for content records only (`dn:` and attributes), enough to
 * load a directory and snapshot it. Change records, `:<` URLs and controls are refused with a
 * clear error: they are what the full LDIF module is for.
 */

const fail = (lineNumber: number, line: string, reason: string): never => {
  throw new LdapSyntaxError('LDIF', line.length > 80 ? `${line.slice(0, 77)}...` : line, 0, `line ${lineNumber}: ${reason}`);
};

/** Parses LDIF content records into entries; attribute values are Buffers (base64 ones decoded). */
export const parseLdifEntries = (text: string): EntryInput[] => {
  // Unfold: a line that starts with one space continues the previous line (RFC 2849 note 2).
  const physical = text.replace(/\r\n/g, '\n').split('\n');
  const lines: Array<{ number: number; text: string }> = [];
  physical.forEach((line, i) => {
    if (line.startsWith(' ') && lines.length > 0 && lines[lines.length - 1]!.text !== '') {
      const last = lines[lines.length - 1]!;
      last.text += line.slice(1);
    } else {
      lines.push({ number: i + 1, text: line });
    }
  });
  const entries: EntryInput[] = [];
  let current: { dn: string; attributes: PartialAttribute[] } | undefined;
  const finish = (): void => {
    if (current !== undefined) entries.push({ dn: current.dn, attributes: current.attributes });
    current = undefined;
  };
  for (const { number, text: line } of lines) {
    if (line === '') {
      finish();
      continue;
    }
    if (line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) fail(number, line, "expected 'name: value'");
    const name = line.slice(0, colon);
    let value: Buffer;
    if (line[colon + 1] === ':') value = Buffer.from(line.slice(colon + 2).trimStart(), 'base64');
    else if (line[colon + 1] === '<') return fail(number, line, 'values from URLs (:<) are not supported here');
    else value = Buffer.from(line.slice(colon + 1).trimStart(), 'utf8');
    if (current === undefined) {
      if (name.toLowerCase() === 'version' && entries.length === 0) continue;
      if (name.toLowerCase() !== 'dn') fail(number, line, "a record must start with 'dn:'");
      current = { dn: value.toString('utf8'), attributes: [] };
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'changetype' || lower === 'control') fail(number, line, 'change records are not supported here: load content records only');
    const existing = current.attributes.find((attribute) => attribute.type.toLowerCase() === lower);
    if (existing !== undefined) existing.vals.push(value);
    else current.attributes.push({ type: name, vals: [value] });
  }
  finish();
  return entries;
};

/** RFC 2849 SAFE-STRING: printable ASCII that does not start with a space, ':' or '<' and does not end with a space. */
const isSafe = (value: Buffer): boolean => {
  if (value.length === 0) return true;
  const first = value[0]!;
  if (first === 0x20 || first === 0x3a || first === 0x3c) return false;
  if (value[value.length - 1] === 0x20) return false;
  return value.every((byte) => byte > 0x00 && byte < 0x80 && byte !== 0x0a && byte !== 0x0d);
};

const line = (name: string, value: Buffer): string => (isSafe(value) ? `${name}: ${value.toString('latin1')}` : `${name}:: ${value.toString('base64')}`);

/** Folds a line longer than 76 characters (RFC 2849 note 2). */
const fold = (text: string): string => {
  if (text.length <= 76) return text;
  const parts = [text.slice(0, 76)];
  for (let at = 76; at < text.length; at += 75) parts.push(` ${text.slice(at, at + 75)}`);
  return parts.join('\n');
};

/** One content record. */
export const entryToLdif = (dn: string, attributes: readonly PartialAttribute[]): string => {
  const lines = [fold(line('dn', Buffer.from(dn, 'utf8')))];
  for (const { type, vals } of attributes) for (const value of vals) lines.push(fold(line(type, value)));
  return `${lines.join('\n')}\n`;
};
