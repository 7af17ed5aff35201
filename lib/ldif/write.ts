/**
 * LDIF text for one record or entry. Which values are base64 is a choice with two answers:
 * - 'safe-string' (the default): exactly those RFC 2849 requires, the ones that are not a
 *   SAFE-STRING (and those ending in a space, which it says SHOULD be);
 * - 'printable': what OpenLDAP's ldapsearch does, anything but printable ASCII, so tabs and
 *   other controls too, and every value of an attribute with the `binary` option.
 * `alwaysBase64` names attribute types whose values are always base64 whatever they hold
 * (ldapsearch has userPassword); LDAPSEARCH_LDIF is that preset, byte for byte.
 *
 * Records are written as bytes into an LdifSink (see sink.ts for why); formatLdifRecord is the
 * same writer with the bytes read back as a string.
 */
import { LdifRecordError } from '../errors/ldif';
import { checkWrap, DEFAULT_LDIF_WRAP } from './fold';
import type { LdifAttribute, LdifControl, LdifEntryLike, LdifRecord } from './records';
import { LdifSink } from './sink';
import { byteAt, COLON, CR, isAttributeDescription, isNumericOid, isPrintableText, isSafeText, LESS_THAN, LF, SPACE } from './syntax';

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

/**
 * Whether a value may be written plain. Both rules refuse a value that begins with a space, ':'
 * or '<', or ends in a space; SAFE-STRING then refuses NUL, LF, CR and anything above 0x7F
 * (SAFE-CHAR is %x01-09 / %x0B-0C / %x0E-7F), ldapsearch's rule anything but %x20-7E. A loop
 * that only reads, with comparisons rather than a table, is what V8 runs fastest here.
 */
const isPlain = (value: Buffer, printable: boolean): boolean => isPlainRange(value, 0, value.length, printable);

/** isPlain for the non-empty `bytes[from, to)`. */
export const isPlainRange = (bytes: Uint8Array, from: number, to: number, printable: boolean): boolean => {
  const first = byteAt(bytes, from);
  if (first === SPACE || first === COLON || first === LESS_THAN || bytes[to - 1] === SPACE) return false;
  if (printable) {
    for (let i = from; i < to; i++) {
      const c = byteAt(bytes, i);
      if (c < SPACE || c > 0x7e) return false;
    }
  } else {
    for (let i = from; i < to; i++) {
      const c = byteAt(bytes, i);
      if (c === 0 || c === LF || c === CR || c > 0x7f) return false;
    }
  }
  return true;
};

/** What the writer knows about an attribute description once it has checked it. */
export interface NameInfo {
  /** The lower-case type, without options (for alwaysBase64). */
  readonly type: string;
  /** Has the `binary` option (ldapsearch base64s those). */
  readonly binary: boolean;
  /** The line heads: `name: `, `name:: ` and `name:` (an empty value), as bytes to copy. */
  readonly plain: Buffer;
  readonly encoded: Buffer;
  readonly empty: Buffer;
}

const heads = (name: string): Pick<NameInfo, 'plain' | 'encoded' | 'empty'> => ({
  plain: Buffer.from(`${name}: `, 'latin1'),
  encoded: Buffer.from(`${name}:: `, 'latin1'),
  empty: Buffer.from(`${name}:`, 'latin1'),
});

/** Descriptions already checked, so a search's names are matched against the grammar once. */
const names = new Map<string, NameInfo>();
const nameInfo = (name: string): NameInfo => {
  const known = names.get(name);
  if (known !== undefined) return known;
  if (!isAttributeDescription(name)) throw new LdifRecordError(`not an attribute description: ${JSON.stringify(name.slice(0, 64))}`);
  const semicolon = name.indexOf(';');
  const info: NameInfo = { type: (semicolon < 0 ? name : name.slice(0, semicolon)).toLowerCase(), binary: /;binary(;|$)/i.test(name), ...heads(name) };
  if (names.size >= 4096) names.clear();
  names.set(name, info);
  return info;
};

/** Heads of the lines the writer makes itself (their names are not attribute descriptions). */
export const DN = heads('dn');
const NEW_RDN = heads('newrdn');
const NEW_SUPERIOR = heads('newsuperior');
export type Heads = Pick<NameInfo, 'plain' | 'encoded' | 'empty'>;

/** Whether a description's values are always base64 under `format`. */
const forcedBase64 = (info: NameInfo, format: LdifFormat): boolean =>
  (format.always.size > 0 && format.always.has(info.type)) || (format.printable && info.binary);

export const base64Line = (sink: LdifSink, head: Heads, value: Buffer, from = 0, to = value.length): void => {
  const encoded = value.toString('base64', from, to);
  sink.reserveLine(head.encoded.length + encoded.length);
  sink.bytes(head.encoded);
  sink.text(encoded);
  sink.endLine();
};

/** `name: value` when the value may be plain, else `name:: base64`. */
const valueLine = (sink: LdifSink, head: Heads, value: Buffer, format: LdifFormat, forced: boolean): void => {
  if (value.length === 0) {
    sink.reserveLine(head.empty.length);
    sink.bytes(head.empty);
    sink.endLine();
    return;
  }
  if (!forced && isPlain(value, format.printable)) {
    sink.line(head.plain, value);
    return;
  }
  base64Line(sink, head, value);
};

/** A line whose value is text (a DN, an RDN): plain when its rule allows, else base64 of its UTF-8. */
export const textLine = (sink: LdifSink, head: Heads, text: string, format: LdifFormat): void => {
  if (text.length === 0) {
    sink.reserveLine(head.empty.length);
    sink.bytes(head.empty);
    sink.endLine();
    return;
  }
  if (format.printable ? isPrintableText(text) : isSafeText(text)) {
    sink.reserveLine(head.plain.length + text.length);
    sink.bytes(head.plain);
    sink.text(text);
    sink.endLine();
    return;
  }
  base64Line(sink, head, Buffer.from(text, 'utf8'));
};

/** A line of ASCII the writer made itself (`changetype: add`, `delete: sn`). */
const plainLine = (sink: LdifSink, text: string): void => {
  sink.reserveLine(text.length);
  sink.text(text);
  sink.endLine();
};

/** A description checked, with whether `format` always base64s its values. */
export interface ResolvedName {
  readonly info: NameInfo;
  readonly forced: boolean;
}

/** Positions remembered: more attributes than this in an entry are looked up each time. */
const RECENT_POSITIONS = 64;

/**
 * The names of the last entry a writer wrote, by position, resolved. The entries of a search
 * have the same attributes in the same order, as strings the decoder interned: so the name at
 * position i is most often the very string of the last entry's position i, and one comparison
 * replaces a Map lookup (and a Set lookup for alwaysBase64). One per writer (and format).
 */
export class RecentNames {
  private readonly types: string[] = [];
  private readonly names: ResolvedName[] = [];

  constructor(private readonly format: LdifFormat) {}

  resolve(type: string, position: number): ResolvedName {
    if (position < RECENT_POSITIONS && this.types[position] === type) return this.names[position] as ResolvedName;
    const info = nameInfo(type);
    const resolved: ResolvedName = { info, forced: forcedBase64(info, this.format) };
    if (position < RECENT_POSITIONS) {
      this.types[position] = type;
      this.names[position] = resolved;
    }
    return resolved;
  }
}

const attributeLines = (sink: LdifSink, attributes: readonly LdifAttribute[], format: LdifFormat, recent: RecentNames | undefined): void => {
  for (let position = 0; position < attributes.length; position++) {
    const attribute = attributes[position] as LdifAttribute;
    let info: NameInfo;
    let forced: boolean;
    if (recent === undefined) {
      info = nameInfo(attribute.type);
      forced = forcedBase64(info, format);
    } else {
      ({ info, forced } = recent.resolve(attribute.type, position));
    }
    for (const value of attribute.vals) valueLine(sink, info, value, format, forced);
  }
};

const controlLines = (sink: LdifSink, controls: readonly LdifControl[], format: LdifFormat): void => {
  for (const control of controls) {
    if (control.type !== 'raw' || !isNumericOid(control.oid)) throw new LdifRecordError('a control of a change record must be a raw control (rawControl()) with a numeric OID');
    const head = `control: ${control.oid}${control.criticality ? ' true' : ''}`;
    if (control.value === undefined) plainLine(sink, head);
    else valueLine(sink, heads(head), control.value, format, false);
  }
};

const isFormat = (options: LdifWriterOptions | LdifFormat): options is LdifFormat => 'always' in options && options.always instanceof Set;
const formatFor = (options: LdifWriterOptions | LdifFormat | undefined): LdifFormat =>
  options === undefined ? DEFAULT_FORMAT : isFormat(options) ? options : ldifFormat(options);

/**
 * One record (or entry) into `sink`, as LDIF lines each ending in LF, without the blank line that
 * separates records. Throws LdifRecordError for a name that is not an attribute description (and
 * then may have written part of the record).
 */
export const writeLdifRecord = (sink: LdifSink, record: LdifRecord | LdifEntryLike, format: LdifFormat, recent?: RecentNames): void => {
  switch (record.type) {
    case 'entry':
    case 'content':
      textLine(sink, DN, record.dn, format);
      attributeLines(sink, record.attributes, format, recent);
      return;
    case 'add':
      textLine(sink, DN, record.dn, format);
      controlLines(sink, record.controls, format);
      plainLine(sink, 'changetype: add');
      attributeLines(sink, record.attributes, format, recent);
      return;
    case 'delete':
      textLine(sink, DN, record.dn, format);
      controlLines(sink, record.controls, format);
      plainLine(sink, 'changetype: delete');
      return;
    case 'modify': {
      textLine(sink, DN, record.dn, format);
      controlLines(sink, record.controls, format);
      plainLine(sink, 'changetype: modify');
      for (const change of record.changes) {
        if (!MODIFY_OPERATIONS.has(change.operation)) throw new LdifRecordError(`unknown modify operation ${JSON.stringify(String(change.operation))}`);
        const info = nameInfo(change.attribute);
        const forced = forcedBase64(info, format);
        plainLine(sink, `${change.operation}: ${change.attribute}`);
        for (const value of change.values) valueLine(sink, info, value, format, forced);
        plainLine(sink, '-');
      }
      return;
    }
    case 'modrdn':
      textLine(sink, DN, record.dn, format);
      controlLines(sink, record.controls, format);
      plainLine(sink, 'changetype: modrdn');
      textLine(sink, NEW_RDN, record.newRdn, format);
      plainLine(sink, `deleteoldrdn: ${record.deleteOldRdn ? 1 : 0}`);
      if (record.newSuperior !== undefined) textLine(sink, NEW_SUPERIOR, record.newSuperior, format);
      return;
    default:
      throw new LdifRecordError(`unknown record type ${JSON.stringify((record as { type?: unknown }).type)}`);
  }
};

/**
 * One record (or entry) as LDIF lines, each ending in LF, without the blank line that separates
 * records. Throws LdifRecordError for a name that is not an attribute description.
 */
export const formatLdifRecord = (record: LdifRecord | LdifEntryLike, options?: LdifWriterOptions | LdifFormat): string => {
  const format = formatFor(options);
  const sink = new LdifSink(format.wrap, undefined, 1024);
  writeLdifRecord(sink, record, format);
  return sink.toString();
};
