/**
 * What an LDIF file holds (RFC 2849): content records (an entry) and change records (add,
 * delete, modify, modrdn). Values are bytes, as on the wire; DNs, RDNs and attribute
 * descriptions are strings. The shapes are those the client's operations take, so a record can
 * be applied without conversion (see applyLdif).
 */
import type { RawControl } from '../protocol/controls/types';

/** An attribute description and its values, as an entry carries them (a search entry's PartialAttribute fits). */
export interface LdifAttribute {
  readonly type: string;
  readonly vals: readonly Buffer[];
}

/** A control line (`control: oid [true|false] [value]`) of a change record. */
export type LdifControl = RawControl;

/** What every record has: its DN and, when read from LDIF, its line. */
export interface LdifRecordBase {
  readonly dn: string;
  /** The 1-based line of the record's `dn:` line, when it was read from LDIF. */
  readonly line?: number;
}

/** An entry: `dn:` and its attributes, in the order read (repeated descriptions are merged into the first). */
export interface LdifContentRecord extends LdifRecordBase {
  readonly type: 'content';
  readonly attributes: readonly LdifAttribute[];
}

/** What every change record has besides: its controls. */
export interface LdifChangeRecordBase extends LdifRecordBase {
  readonly controls: readonly LdifControl[];
}

export interface LdifAddRecord extends LdifChangeRecordBase {
  readonly type: 'add';
  readonly attributes: readonly LdifAttribute[];
}

export interface LdifDeleteRecord extends LdifChangeRecordBase {
  readonly type: 'delete';
}

/** One `add:` / `delete:` / `replace:` / `increment:` block of a modify record. */
export interface LdifModification {
  readonly operation: 'add' | 'delete' | 'replace' | 'increment';
  readonly attribute: string;
  readonly values: readonly Buffer[];
}

export interface LdifModifyRecord extends LdifChangeRecordBase {
  readonly type: 'modify';
  readonly changes: readonly LdifModification[];
}

/** `changetype: modrdn` (or its synonym `moddn`): a rename, a move under `newSuperior`, or both. */
export interface LdifModRdnRecord extends LdifChangeRecordBase {
  readonly type: 'modrdn';
  readonly newRdn: string;
  readonly deleteOldRdn: boolean;
  readonly newSuperior?: string;
}

export type LdifChangeRecord = LdifAddRecord | LdifDeleteRecord | LdifModifyRecord | LdifModRdnRecord;
export type LdifRecord = LdifContentRecord | LdifChangeRecord;

/**
 * Anything with a DN and attributes that the writer can print as a content record: an
 * LdifContentRecord, or a search entry (rxldap's SearchEntry has this shape).
 */
export interface LdifEntryLike {
  readonly type: 'entry' | 'content';
  readonly dn: string;
  readonly attributes: readonly LdifAttribute[];
}
