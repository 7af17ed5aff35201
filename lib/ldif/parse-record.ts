/**
 * One record of RFC 2849 LDIF, from its bytes (no blank line inside) to an LdifRecord: the
 * version line, `dn:`, controls, `changetype:` and what each change type takes, attribute
 * lines with plain, base64 (`::`) and URL (`:<`) values. Every refusal names its physical line
 * and column.
 */
import { isUtf8 } from 'node:buffer';
import { decodeInterned } from '../ber/interned-strings';
import { LdifSyntaxError } from '../errors/ldif';
import type { LdifControl, LdifModification, LdifRecord } from './records';
import { LogicalLines } from './lines';
import { base64ErrorAt, decodeBase64 } from './base64';
import { attributeDescriptionEnd, numericOidEnd, COLON, CR, DASH, HASH, LESS_THAN, SPACE } from './syntax';
import type { UrlResolver } from './url-values';

const MODIFY_OPERATIONS: Readonly<Record<string, LdifModification['operation']>> = { add: 'add', delete: 'delete', replace: 'replace', increment: 'increment' };

/** Records whose attributes are looked up through a Map once they have this many. */
const LINEAR_LOOKUP_MAX = 16;

export interface RecordContext {
  /** True until the first block that is not only comments: only it may begin with `version:`. */
  first: boolean;
  resolveUrl: UrlResolver;
}

/** What AttributeList builds: an LdifAttribute whose values it can still add to. */
interface GrowingAttribute {
  readonly type: string;
  readonly vals: Buffer[];
}

/** Collects attribute values by description, case-insensitively, in order of first appearance. */
class AttributeList {
  readonly list: GrowingAttribute[] = [];
  private last: GrowingAttribute | undefined;
  private byName: Map<string, GrowingAttribute> | undefined;

  add(name: string, value: Buffer): void {
    const last = this.last;
    if (last !== undefined && last.type === name) {
      last.vals.push(value);
      return;
    }
    const found = this.find(name);
    if (found !== undefined) {
      found.vals.push(value);
      this.last = found;
      return;
    }
    const attribute: GrowingAttribute = { type: name, vals: [value] };
    this.list.push(attribute);
    this.last = attribute;
    if (this.byName !== undefined) this.byName.set(name.toLowerCase(), attribute);
    else if (this.list.length > LINEAR_LOOKUP_MAX) this.byName = new Map(this.list.map((a) => [a.type.toLowerCase(), a]));
  }

  private find(name: string): GrowingAttribute | undefined {
    if (this.byName !== undefined) return this.byName.get(name.toLowerCase());
    const lower = name.toLowerCase();
    for (const attribute of this.list) if (attribute.type.length === name.length && attribute.type.toLowerCase() === lower) return attribute;
    return undefined;
  }
}

export class RecordParser {
  private readonly lines: LogicalLines;
  /** Where the current line's name ends (at its ':'). */
  private nameEnd = 0;
  private name = '';

  constructor(
    record: Buffer,
    firstLine: number,
    private readonly context: RecordContext,
  ) {
    this.lines = new LogicalLines(record, firstLine);
  }

  /** The record, or undefined for a block of comments (or a lone version line). */
  parse(): LdifRecord | undefined {
    if (!this.nextLine()) return undefined;
    const lines = this.lines;
    const first = this.context.first;
    // Comments may come before the version line; anything else ends the place where it may stand.
    this.context.first = false;
    if (first && this.isKeyword('version')) {
      this.readVersion();
      if (!this.nextLine()) return undefined;
    }
    if (!this.isKeyword('dn')) {
      if (this.isKeyword('version')) throw lines.error(lines.start, 'version: may only begin the file');
      throw lines.error(lines.start, 'a record must begin with dn:');
    }
    const line = lines.line;
    const dn = this.readText('dn');
    const controls: LdifControl[] = [];
    if (!this.nextLine()) return { type: 'content', dn, attributes: [], line };
    while (this.isKeyword('control')) {
      controls.push(this.readControl());
      if (!this.nextLine()) throw this.endError('changetype: after control: lines');
    }
    if (this.isKeyword('changetype')) return this.readChange(dn, line, controls);
    if (controls.length > 0) throw lines.error(lines.start, 'control: lines belong to change records: expected changetype:');
    const attributes = new AttributeList();
    do attributes.add(this.attributeName(), this.readValue());
    while (this.nextLine());
    return { type: 'content', dn, attributes: attributes.list, line };
  }

  /** Moves to the next line that is not a comment and reads its name up to ':'; false at the end. */
  private nextLine(): boolean {
    const lines = this.lines;
    for (;;) {
      if (!lines.next()) return false;
      const { bytes, start, end } = lines;
      if (bytes[start] === HASH) continue;
      if (start === end) throw lines.error(start, 'empty line inside a record');
      if (bytes[start] === DASH && this.onlySpaces(start + 1)) {
        this.nameEnd = start;
        this.name = '-';
        return true;
      }
      const nameEnd = attributeDescriptionEnd(bytes, start, end);
      if (nameEnd === start) throw lines.error(start, 'expected an attribute description or keyword');
      if (nameEnd === end || bytes[nameEnd] !== COLON) throw lines.error(nameEnd, "expected ':' after the attribute description");
      this.nameEnd = nameEnd;
      this.name = '';
      return true;
    }
  }

  private onlySpaces(from: number): boolean {
    const { bytes, end } = this.lines;
    for (let i = from; i < end; i++) if (bytes[i] !== SPACE) return false;
    return true;
  }

  /** The current line's attribute description, interned (names repeat in every record). */
  private attributeName(): string {
    if (this.name === '-') throw this.lines.error(this.lines.start, "'-' only ends a modification in a modify record");
    return (this.name = decodeInterned(this.lines.bytes, this.lines.start, this.nameEnd));
  }

  private isKeyword(keyword: string): boolean {
    const { bytes, start } = this.lines;
    if (this.nameEnd - start !== keyword.length) return false;
    for (let i = 0; i < keyword.length; i++) if ((bytes[start + i]! | 0x20) !== keyword.charCodeAt(i)) return false;
    return true;
  }

  private endError(expected: string): LdifSyntaxError {
    const lines = this.lines;
    const { line, column } = lines.locate(lines.end);
    return new LdifSyntaxError(line, column, `the record ends here: expected ${expected}`);
  }

  private readVersion(): void {
    const { bytes, end } = this.lines;
    let p = this.nameEnd + 1;
    while (p < end && bytes[p] === SPACE) p++;
    if (!(end - p === 1 && bytes[p] === 0x31)) throw this.lines.error(p, 'the only LDIF version is 1');
  }

  /** The current line's value (plain, `::` base64 or `:<` URL) as bytes. */
  private readValue(): Buffer {
    const lines = this.lines;
    const { bytes, end } = lines;
    let p = this.nameEnd + 1;
    const marker = bytes[p];
    if (marker === COLON) return this.readBase64(p + 1);
    if (marker === LESS_THAN) {
      p++;
      while (p < end && bytes[p] === SPACE) p++;
      let urlEnd = end;
      while (urlEnd > p && bytes[urlEnd - 1] === SPACE) urlEnd--;
      const { line, column } = lines.locate(p);
      return this.context.resolveUrl(bytes.toString('latin1', p, urlEnd), line, column);
    }
    while (p < end && bytes[p] === SPACE) p++;
    for (let i = p; i < end; i++) {
      const c = bytes[i]!;
      if (c === 0) throw lines.error(i, 'NUL in a value: base64-encode it (name:: value)');
      if (c === CR) throw lines.error(i, 'CR not followed by LF');
    }
    return bytes.subarray(p, end);
  }

  private readBase64(from: number): Buffer {
    const lines = this.lines;
    const { bytes } = lines;
    let p = from;
    let end = lines.end;
    while (p < end && bytes[p] === SPACE) p++;
    while (end > p && bytes[end - 1] === SPACE) end--;
    const bad = base64ErrorAt(bytes, p, end);
    if (bad >= 0) throw lines.error(bad, bad === end ? 'base64 value cut short (its length is not a multiple of 4)' : 'not base64');
    return decodeBase64(bytes, p, end);
  }

  /** A DN, RDN or superior: its value as UTF-8 text (RFC 2849 allows no URL here). */
  private readText(what: string): string {
    const lines = this.lines;
    if (lines.bytes[this.nameEnd + 1] === LESS_THAN) throw lines.error(this.nameEnd + 1, `${what}: takes no URL value`);
    const value = this.readValue();
    if (!isUtf8(value)) throw lines.error(this.nameEnd + 1, `${what}: is not UTF-8`);
    return value.toString('utf8');
  }

  private readControl(): LdifControl {
    const lines = this.lines;
    const { bytes, end } = lines;
    let p = this.nameEnd + 1;
    while (p < end && bytes[p] === SPACE) p++;
    const oidEnd = numericOidEnd(bytes, p, end);
    if (oidEnd === p) throw lines.error(p, 'control: needs a numeric OID');
    const oid = bytes.toString('latin1', p, oidEnd);
    p = oidEnd;
    let criticality = false;
    if (p < end && bytes[p] === SPACE) {
      while (p < end && bytes[p] === SPACE) p++;
      if (this.wordAt(p, 'true')) {
        criticality = true;
        p += 4;
      } else if (this.wordAt(p, 'false')) {
        p += 5;
      } else if (p < end) {
        throw lines.error(p, 'expected true, false or a value after the control OID');
      }
      while (p < end && bytes[p] === SPACE) p++;
    }
    if (p === end) return { type: 'raw', oid, criticality };
    if (bytes[p] !== COLON) throw lines.error(p, "expected ':' before the control value");
    this.nameEnd = p;
    return { type: 'raw', oid, criticality, value: this.readValue() };
  }

  private wordAt(p: number, word: string): boolean {
    const { bytes, end } = this.lines;
    if (end - p < word.length) return false;
    for (let i = 0; i < word.length; i++) if ((bytes[p + i]! | 0x20) !== word.charCodeAt(i)) return false;
    const after = p + word.length;
    return after === end || bytes[after] === SPACE || bytes[after] === COLON;
  }

  /** The keyword after `name:` (FILL, then letters, then nothing but spaces), lowercased. */
  private keywordValue(): { word: string; at: number } {
    const { bytes, end } = this.lines;
    let p = this.nameEnd + 1;
    while (p < end && bytes[p] === SPACE) p++;
    let wordEnd = end;
    while (wordEnd > p && bytes[wordEnd - 1] === SPACE) wordEnd--;
    return { word: bytes.toString('latin1', p, wordEnd).toLowerCase(), at: p };
  }

  private readChange(dn: string, line: number, controls: LdifControl[]): LdifRecord {
    const lines = this.lines;
    const { word, at } = this.keywordValue();
    switch (word) {
      case 'add': {
        if (!this.nextLine()) throw this.endError('the attributes of the entry to add');
        const attributes = new AttributeList();
        do attributes.add(this.attributeName(), this.readValue());
        while (this.nextLine());
        return { type: 'add', dn, controls, attributes: attributes.list, line };
      }
      case 'delete':
        if (this.nextLine()) throw lines.error(lines.start, 'a delete record has nothing after changetype: delete');
        return { type: 'delete', dn, controls, line };
      case 'modify':
        return { type: 'modify', dn, controls, changes: this.readModifications(), line };
      case 'modrdn':
      case 'moddn':
        return this.readModRdn(dn, line, controls);
      default:
        throw lines.error(at, 'changetype must be add, delete, modify, modrdn or moddn');
    }
  }

  private readModifications(): LdifModification[] {
    const lines = this.lines;
    const changes: LdifModification[] = [];
    while (this.nextLine()) {
      if (this.name === '-') throw lines.error(lines.start, "'-' with no add:, delete:, replace: or increment: before it");
      const operation = MODIFY_OPERATIONS[this.lowerName()];
      if (operation === undefined) throw lines.error(lines.start, 'expected add:, delete:, replace: or increment: in a modify record');
      const { bytes, end } = lines;
      let p = this.nameEnd + 1;
      while (p < end && bytes[p] === SPACE) p++;
      let nameEnd = end;
      while (nameEnd > p && bytes[nameEnd - 1] === SPACE) nameEnd--;
      const descriptionEnd = attributeDescriptionEnd(bytes, p, nameEnd);
      if (p === nameEnd || descriptionEnd !== nameEnd) throw lines.error(descriptionEnd, `${operation}: needs an attribute description`);
      const attribute = bytes.toString('latin1', p, nameEnd);
      const values: Buffer[] = [];
      let ended = false;
      while (this.nextLine()) {
        if (this.name === '-') {
          ended = true;
          break;
        }
        const name = this.attributeName();
        if (name.toLowerCase() !== attribute.toLowerCase()) throw lines.error(lines.start, `a value line in ${operation}: must name the same attribute`);
        values.push(this.readValue());
      }
      changes.push({ operation, attribute, values });
      // The '-' after the last modification is often left out; the record's end closes it too.
      if (!ended) break;
    }
    return changes;
  }

  private lowerName(): string {
    const { bytes, start } = this.lines;
    return bytes.toString('latin1', start, this.nameEnd).toLowerCase();
  }

  private readModRdn(dn: string, line: number, controls: LdifControl[]): LdifRecord {
    const lines = this.lines;
    if (!this.nextLine()) throw this.endError('newrdn:');
    if (!this.isKeyword('newrdn')) throw lines.error(lines.start, 'expected newrdn:');
    const newRdn = this.readText('newrdn');
    if (!this.nextLine()) throw this.endError('deleteoldrdn:');
    if (!this.isKeyword('deleteoldrdn')) throw lines.error(lines.start, 'expected deleteoldrdn:');
    const { word, at } = this.keywordValue();
    if (word !== '0' && word !== '1') throw lines.error(at, 'deleteoldrdn must be 0 or 1');
    const deleteOldRdn = word === '1';
    if (!this.nextLine()) return { type: 'modrdn', dn, controls, newRdn, deleteOldRdn, line };
    if (!this.isKeyword('newsuperior')) throw lines.error(lines.start, 'expected newsuperior: or the end of the record');
    const newSuperior = this.readText('newsuperior');
    if (this.nextLine()) throw lines.error(lines.start, 'a modrdn record ends after newsuperior:');
    return { type: 'modrdn', dn, controls, newRdn, deleteOldRdn, newSuperior, line };
  }
}
