/**
 * Change feeds as LDIF change records, so a persistent search or a syncrepl session can be
 * written as a change file (and applied elsewhere with ldapmodify or applyLdif).
 *
 * Neither feed says what changed inside an entry: both send the whole entry after the change.
 * So a modify becomes a `replace:` of every attribute the entry was sent with (an attribute
 * removed altogether is not in it, and so is not deleted), and a rename becomes a modrdn that
 * keeps the old RDN value (deleteoldrdn: 0, which never breaks the schema) followed by that
 * modify, which sets the RDN attribute to what the server now holds.
 */
import { DN, parseDN } from '../dn';
import type { LdifChangeRecord, LdifContentRecord, LdifModifyRecord, LdifModRdnRecord } from '../ldif/records';
import type { SearchEntry } from './entry';
import type { ChangeEvent } from './persistent-search';
import type { SyncEvent } from './syncrepl-events';

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
 * content record, since nothing says what happened to it.
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
