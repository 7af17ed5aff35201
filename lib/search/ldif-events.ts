/**
 * Change feeds as LDIF change records, so a persistent search or a syncrepl session can be
 * written as a change file (and applied elsewhere with ldapmodify or applyLdif).
 *
 * Neither feed says what changed inside an entry: both send the whole entry after the change.
 * So a modify becomes a `replace:` of every attribute the entry was sent with, and a rename
 * becomes a modrdn that keeps the old RDN value (deleteoldrdn: 0, which never breaks the schema)
 * followed by that modify, which sets the RDN attribute to what the server now holds.
 *
 * Known limit of those two (changeEventToLdif, SyncLdifTranslator): an attribute removed from the
 * entry altogether is not in what the server sends, so nothing deletes it on the target. They
 * keep no entry's attributes (memory stays bounded by the DNs, not the entries). Where the
 * entry as it was is known, as the SyncReplConsumer's recordChange has it (old and new
 * attributes), syncChangeToLdif gives an exact modify: `delete:` for the attributes that are gone.
 */
import { DN, parseDN } from '../dn';
import type { LdifChangeRecord, LdifContentRecord, LdifModification, LdifModifyRecord, LdifModRdnRecord } from '../ldif/records';
import type { SearchEntry } from './entry';
import type { ChangeEvent } from './persistent-search';
import type { SyncEvent } from './syncrepl-events';
import { DEFAULT_BINARY_ATTRIBUTES, binaryAttributeSet, isBinaryDescription } from './sync/attributes';
import type { SyncAttributes } from './sync/types';

const replaceAll = (entry: SearchEntry): LdifModifyRecord => ({
  type: 'modify',
  dn: entry.dn,
  controls: [],
  changes: entry.attributes.map((attribute) => ({ operation: 'replace', attribute: attribute.type, values: attribute.vals })),
});

const rename = (from: string, to: string): LdifModRdnRecord => {
  const target = parseDN(to);
  const parent = target.parent();
  const record: LdifModRdnRecord = { type: 'modrdn', dn: from, controls: [], newRdn: new DN(target.rdn === undefined ? [] : [target.rdn]).toString(), deleteOldRdn: false };
  const oldParent = parseDN(from).parent();
  const moved = (parent?.toNormalizedString() ?? '') !== (oldParent?.toNormalizedString() ?? '');
  return moved ? { ...record, newSuperior: parent?.toString() ?? '' } : record;
};

/**
 * One persistent-search event as change records: add, delete, a modify (replace of every
 * attribute sent), a modDN (modrdn, then that modify); an `initial` entry (one that matched when
 * the search began) as an add; an `unknown` one (no Entry Change Notification asked for) as a
 * content record, since nothing says what happened to it. An attribute the change removed
 * altogether is not deleted (the event does not say it was there; see syncChangeToLdif).
 */
export const changeEventToLdif = (event: ChangeEvent): Array<LdifChangeRecord | LdifContentRecord> => {
  const { entry } = event;
  switch (event.type) {
    case 'add':
    case 'initial':
      return [{ type: 'add', dn: entry.dn, controls: [], attributes: entry.attributes }];
    case 'delete':
      return [{ type: 'delete', dn: entry.dn, controls: [] }];
    case 'modify':
      return [replaceAll(entry)];
    case 'modDN':
      return event.previousDN === undefined ? [replaceAll(entry)] : [rename(event.previousDN, entry.dn), replaceAll(entry)];
    case 'unknown':
      return [{ type: 'content', dn: entry.dn, attributes: entry.attributes }];
  }
};

/**
 * Syncrepl events as change records. A syncrepl feed names entries by entryUUID, and a delete or
 * a rename says nothing about the DN an entry had, so the translator keeps entryUUID → DN for
 * every entry it has seen (memory grows with the entries in scope). Give it what the target
 * already holds (`known`), or start from nothing when the target is empty:
 * - an entry not known yet is an add; a known one is a modify, or a modrdn and a modify when its
 *   DN changed;
 * - a delete (or a syncIdSet of deletes) is a delete of the DN it was known by (skipped when it
 *   is not known: there is nothing to delete);
 * - at the end of a present phase, every known entry the refresh did not mention is deleted, as
 *   RFC 4533 says; a refresh that starts over (refreshRequired without a cookie) forgets what it
 *   has seen in the refresh so far.
 * A modify replaces every attribute sent; one removed altogether is not deleted, as the
 * translator keeps DNs only, not attributes. For exact modifies, translate the SyncReplConsumer's
 * recordChange (which has the old attributes) with syncChangeToLdif.
 */
export class SyncLdifTranslator {
  private readonly dns: Map<string, string>;
  /** entryUUIDs the current refresh has mentioned; undefined once the refresh is done. */
  private mentioned: Set<string> | undefined = new Set();

  constructor(known?: ReadonlyMap<string, string>) {
    this.dns = new Map(known);
  }

  /** The DNs known by entryUUID (after the events translated so far). */
  get known(): ReadonlyMap<string, string> {
    return this.dns;
  }

  translate(event: SyncEvent): LdifChangeRecord[] {
    switch (event.type) {
      case 'add':
      case 'modify': {
        this.mentioned?.add(event.entryUUID);
        const before = this.dns.get(event.entryUUID);
        this.dns.set(event.entryUUID, event.dn);
        if (before === undefined) return [{ type: 'add', dn: event.dn, controls: [], attributes: event.entry.attributes }];
        if (before !== event.dn) return [rename(before, event.dn), replaceAll(event.entry)];
        return [replaceAll(event.entry)];
      }
      case 'present':
        this.mentioned?.add(event.entryUUID);
        return [];
      case 'delete':
        return this.deleteByUUID(event.entryUUID, event.dn);
      case 'syncIdSet':
        if (!event.refreshDeletes) {
          for (const uuid of event.entryUUIDs) this.mentioned?.add(uuid);
          return [];
        }
        return event.entryUUIDs.flatMap((uuid) => this.deleteByUUID(uuid, ''));
      case 'phaseEnd': {
        if (event.phase !== 'present' || this.mentioned === undefined) {
          if (event.refreshDone) this.mentioned = undefined;
          return [];
        }
        const mentioned = this.mentioned;
        const gone = [...this.dns.keys()].filter((uuid) => !mentioned.has(uuid));
        this.mentioned = event.refreshDone ? undefined : new Set();
        return gone.flatMap((uuid) => this.deleteByUUID(uuid, ''));
      }
      case 'refreshDone':
        this.mentioned = undefined;
        return [];
      case 'refreshRequired':
      case 'resumed':
        // A new refresh follows: what it mentions starts again from nothing.
        this.mentioned = new Set();
        return [];
      case 'cookie':
        return [];
    }
  }

  private deleteByUUID(uuid: string, dn: string): LdifChangeRecord[] {
    const known = this.dns.get(uuid);
    this.dns.delete(uuid);
    const target = known ?? dn;
    return target === '' && known === undefined ? [] : [{ type: 'delete', dn: target, controls: [] }];
  }
}

/**
 * A SyncReplConsumer's recordChange(dn, oldAttributes, newAttributes) as an exact LDIF modify:
 * `replace:` for each attribute whose values changed (or that is new), `delete:` for each one
 * that is gone, nothing for the ones that did not change. Values are turned back into bytes as
 * the consumer made them: base64 for the attributes in `binaryAttributes` (the consumer's option,
 * DEFAULT_BINARY_ATTRIBUTES by default) and those with the `binary` option, UTF-8 for the rest.
 * Names are matched without regard to case; the new spelling is written.
 */
export const syncChangeToLdif = (
  dn: string,
  oldAttributes: Readonly<SyncAttributes>,
  newAttributes: Readonly<SyncAttributes>,
  binaryAttributes: readonly string[] = DEFAULT_BINARY_ATTRIBUTES,
): LdifModifyRecord => {
  const binary = binaryAttributeSet(binaryAttributes);
  const bytes = (name: string, values: readonly string[]): Buffer[] =>
    values.map((value) => Buffer.from(value, isBinaryDescription(name, binary) ? 'base64' : 'utf8'));
  const before = new Map<string, readonly string[]>();
  for (const [name, values] of Object.entries(oldAttributes)) before.set(name.toLowerCase(), values);
  const changes: LdifModification[] = [];
  const kept = new Set<string>();
  for (const [name, values] of Object.entries(newAttributes)) {
    const key = name.toLowerCase();
    kept.add(key);
    const old = before.get(key);
    if (old !== undefined && sameValues(old, values)) continue;
    changes.push({ operation: 'replace', attribute: name, values: bytes(name, values) });
  }
  for (const name of Object.keys(oldAttributes)) {
    if (!kept.has(name.toLowerCase())) changes.push({ operation: 'delete', attribute: name, values: [] });
  }
  return { type: 'modify', dn, controls: [], changes };
};

/** The same values, in any order (an attribute's values are a set). */
const sameValues = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0] === b[0];
  const sorted = [...b].sort();
  return [...a].sort().every((value, i) => value === sorted[i]);
};
