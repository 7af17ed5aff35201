/**
 * LDIF text for one record or entry. Which values are base64 is a choice with two answers:
 * - 'safe-string' (the default): exactly those RFC 2849 requires, the ones that are not a
 *   SAFE-STRING (and those ending in a space, which it says SHOULD be);
 * - 'printable': what OpenLDAP's ldapsearch does, anything but printable ASCII, so tabs and
 *   other controls too, and every value of an attribute with the `binary` option.
 * `alwaysBase64` names attribute types whose values are always base64 whatever they hold
 * (ldapsearch has userPassword); LDAPSEARCH_LDIF is that preset, byte for byte.
 */
import { LdifRecordError } from '../errors/ldif';
import { checkWrap, foldLine, DEFAULT_LDIF_WRAP } from './fold';
import type { LdifAttribute, LdifControl, LdifEntryLike, LdifRecord } from './records';
import { isAttributeDescription, isNumericOid, isPrintableBytes, isPrintableText, isSafeBytes, isSafeText } from './syntax';

export interface LdifWriterOptions {
  /** Fold lines longer than this many bytes (default 76); 0 or Infinity: never fold. */
  wrap?: number;
  /** Which values are base64-encoded (default 'safe-string', RFC 2849's rule). */
  base64?: 'safe-string' | 'printable';
  /** Attribute types (names or OIDs, any case) whose values are always base64. */
  alwaysBase64?: readonly string[];
}

export { LDAPSEARCH_LDIF } from './presets';

/** Options resolved once per writer, not per value. */
export interface LdifFormat {
  readonly wrap: number;
  readonly printable: boolean;
  readonly always: ReadonlySet<string>;
}

export const ldifFormat = (options: LdifWriterOptions = {}): LdifFormat => ({
  wrap: checkWrap(options.wrap ?? DEFAULT_LDIF_WRAP),
  printable: options.base64 === 'printable',
  always: new Set((options.alwaysBase64 ?? []).map((name) => name.toLowerCase())),
});

const DEFAULT_FORMAT = ldifFormat();
const MODIFY_OPERATIONS: ReadonlySet<string> = new Set(['add', 'delete', 'replace', 'increment']);

/** Attribute descriptions already checked, so a search's names are matched against the grammar once. */
const checkedNames = new Set<string>();
const checkName = (name: string): void => {
  if (checkedNames.has(name)) return;
  if (!isAttributeDescription(name)) throw new LdifRecordError(`not an attribute description: ${JSON.stringify(name.slice(0, 64))}`);
  if (checkedNames.size > 4096) checkedNames.clear();
  checkedNames.add(name);
};

const typeOf = (description: string): string => {
  const semicolon = description.indexOf(';');
  return (semicolon < 0 ? description : description.slice(0, semicolon)).toLowerCase();
};

/** Whether a description's values are always base64 under `format`. */
const forcedBase64 = (description: string, format: LdifFormat): boolean => {
  if (format.always.size > 0 && format.always.has(typeOf(description))) return true;
  return format.printable && /;binary(;|$)/i.test(description);
};

const valueLine = (name: string, value: Buffer, format: LdifFormat, forced: boolean): string => {
  if (value.length === 0) return `${name}:\n`;
  const plain = !forced && (format.printable ? isPrintableBytes(value) : isSafeBytes(value));
  return foldLine(plain ? `${name}: ${value.toString('latin1')}` : `${name}:: ${value.toString('base64')}`, format.wrap);
};

const textLine = (name: string, text: string, format: LdifFormat): string => {
  if (text.length === 0) return `${name}:\n`;
  const plain = format.printable ? isPrintableText(text) : isSafeText(text);
  return foldLine(plain ? `${name}: ${text}` : `${name}:: ${Buffer.from(text, 'utf8').toString('base64')}`, format.wrap);
};

const attributeLines = (attributes: readonly LdifAttribute[], format: LdifFormat): string => {
  let out = '';
  for (const attribute of attributes) {
    const name = attribute.type;
    checkName(name);
    const forced = forcedBase64(name, format);
    for (const value of attribute.vals) out += valueLine(name, value, format, forced);
  }
  return out;
};

const controlLines = (controls: readonly LdifControl[], format: LdifFormat): string => {
  let out = '';
  for (const control of controls) {
    if (control.type !== 'raw' || !isNumericOid(control.oid)) throw new LdifRecordError('a control of a change record must be a raw control (rawControl()) with a numeric OID');
    const head = `control: ${control.oid}${control.criticality ? ' true' : ''}`;
    out += control.value === undefined ? foldLine(head, format.wrap) : valueLine(head, control.value, format, false);
  }
  return out;
};

const isFormat = (options: LdifWriterOptions | LdifFormat): options is LdifFormat => 'always' in options && options.always instanceof Set;
const formatFor = (options: LdifWriterOptions | LdifFormat | undefined): LdifFormat =>
  options === undefined ? DEFAULT_FORMAT : isFormat(options) ? options : ldifFormat(options);

/**
 * One record (or entry) as LDIF lines, each ending in LF, without the blank line that separates
 * records. Throws LdifRecordError for a name that is not an attribute description.
 */
export const formatLdifRecord = (record: LdifRecord | LdifEntryLike, options?: LdifWriterOptions | LdifFormat): string => {
  const format = formatFor(options);
  const dn = textLine('dn', record.dn, format);
  switch (record.type) {
    case 'entry':
    case 'content':
      return dn + attributeLines(record.attributes, format);
    case 'add':
      return dn + controlLines(record.controls, format) + 'changetype: add\n' + attributeLines(record.attributes, format);
    case 'delete':
      return dn + controlLines(record.controls, format) + 'changetype: delete\n';
    case 'modify': {
      let out = dn + controlLines(record.controls, format) + 'changetype: modify\n';
      for (const change of record.changes) {
        if (!MODIFY_OPERATIONS.has(change.operation)) throw new LdifRecordError(`unknown modify operation ${JSON.stringify(String(change.operation))}`);
        checkName(change.attribute);
        out += foldLine(`${change.operation}: ${change.attribute}`, format.wrap);
        const forced = forcedBase64(change.attribute, format);
        for (const value of change.values) out += valueLine(change.attribute, value, format, forced);
        out += '-\n';
      }
      return out;
    }
    case 'modrdn': {
      let out = dn + controlLines(record.controls, format) + 'changetype: modrdn\n' + textLine('newrdn', record.newRdn, format);
      out += `deleteoldrdn: ${record.deleteOldRdn ? 1 : 0}\n`;
      if (record.newSuperior !== undefined) out += textLine('newsuperior', record.newSuperior, format);
      return out;
    }
    default:
      throw new LdifRecordError(`unknown record type ${JSON.stringify((record as { type?: unknown }).type)}`);
  }
};
