/**
 * What the sync integration specs compare: the directory as a fresh search sees it (entryUUID →
 * DN and attributes) and the callbacks a consumer should make to go from one state to another.
 */
import type { Client } from '../../../lib';
import type { SyncAttributes, SyncCallbacks, SyncRecord } from '../../../lib/search/sync';
import type { SlapdInstance } from '../../support/slapd';

export type DirectoryState = Map<string, SyncRecord>;

/** entryUUID → record for every entry `search` finds, with the attributes a consumer replicates ('*'). */
export const serverState = async (client: Client, base: string, options: { scope: 'one' | 'sub'; filter: string }): Promise<DirectoryState> => {
  const state: DirectoryState = new Map();
  for (const entry of await client.search(base, { ...options, attributes: ['*', 'entryUUID'] })) {
    const attributes: SyncAttributes = {};
    for (const attribute of entry.attributes) {
      if (attribute.type.toLowerCase() !== 'entryuuid') attributes[attribute.type] = attribute.vals.map((v) => v.toString('utf8'));
    }
    state.set(entry.get('entryUUID')!, { dn: entry.dn, attributes });
  }
  return state;
};

/** Attributes with names and values sorted, so that equal sets compare equal. */
const sorted = (attributes: SyncAttributes): SyncAttributes =>
  Object.fromEntries(Object.keys(attributes).sort().map((name) => [name, [...attributes[name]!].sort()]));

/** A state as a sorted list, for deep equality with readable diffs. */
export const comparable = (state: ReadonlyMap<string, SyncRecord>): Array<[string, string, SyncAttributes]> =>
  [...state].sort(([a], [b]) => a.localeCompare(b)).map(([uuid, record]) => [uuid, record.dn, sorted(record.attributes)]);

/**
 * One entry's callbacks as one item: a rename and the recordChange right after it for the same
 * entry count as a single 'rename+change', so the order between entries does not matter.
 */
export type EntryCall =
  | ['add', string, SyncAttributes]
  | ['delete', string]
  | ['rename', string, string]
  | ['change', string, SyncAttributes, SyncAttributes]
  | ['rename+change', string, string, SyncAttributes, SyncAttributes];

/** Callbacks that collect the record callbacks as EntryCalls. */
export const entryCallRecorder = (): { calls: EntryCall[]; callbacks: Partial<SyncCallbacks> } => {
  const calls: EntryCall[] = [];
  return {
    calls,
    callbacks: {
      recordAdd: (dn, attributes) => void calls.push(['add', dn, sorted(attributes)]),
      recordDelete: (dn) => void calls.push(['delete', dn]),
      recordRename: (oldDn, newDn) => void calls.push(['rename', oldDn, newDn]),
      recordChange: (dn, oldAttributes, newAttributes) => {
        const last = calls[calls.length - 1];
        if (last !== undefined && last[0] === 'rename' && last[2] === dn) calls[calls.length - 1] = ['rename+change', last[1], dn, sorted(oldAttributes), sorted(newAttributes)];
        else calls.push(['change', dn, sorted(oldAttributes), sorted(newAttributes)]);
      },
    },
  };
};

const sameAttributes = (a: SyncAttributes, b: SyncAttributes): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** The callbacks that take a replica of `before` to `after`, exactly. */
export const expectedCalls = (before: DirectoryState, after: DirectoryState): EntryCall[] => {
  const calls: EntryCall[] = [];
  for (const [uuid, record] of after) {
    const old = before.get(uuid);
    if (old === undefined) calls.push(['add', record.dn, sorted(record.attributes)]);
    else {
      const renamed = old.dn !== record.dn;
      const changed = !sameAttributes(old.attributes, record.attributes);
      if (renamed && changed) calls.push(['rename+change', old.dn, record.dn, sorted(old.attributes), sorted(record.attributes)]);
      else if (renamed) calls.push(['rename', old.dn, record.dn]);
      else if (changed) calls.push(['change', record.dn, sorted(old.attributes), sorted(record.attributes)]);
    }
  }
  for (const [uuid, record] of before) if (!after.has(uuid)) calls.push(['delete', record.dn]);
  return calls;
};

/** Order-free form of a list of EntryCalls. */
export const asSortedJson = (calls: readonly EntryCall[]): string[] => calls.map((call) => JSON.stringify(call)).sort();

/** How many calls of each kind. */
export const countKinds = (calls: readonly EntryCall[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const [kind] of calls) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
};

/**
 * Resizes syncprov's session log at run time (cn=config over ldapi, SASL EXTERNAL). A cookie
 * older than the log's oldest change gets a present phase; a log that covers it, a delete phase.
 */
export const setSessionLog = async (slapd: SlapdInstance, size: number): Promise<void> => {
  const ldif = `dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config\nchangetype: modify\nreplace: olcSpSessionlog\nolcSpSessionlog: ${size}\n`;
  const result = await slapd.run('ldapmodify', ['-Q', '-Y', 'EXTERNAL', '-H', slapd.ldapiUrl], { input: ldif });
  if (result.code !== 0) throw new Error(`ldapmodify of olcSpSessionlog failed: ${result.stderr}`);
};

/**
 * The same state as `serverState`, read by OpenLDAP's own `ldapsearch -LLL` (as the rootdn) and
 * parsed here: a check of the replica that owes nothing to rxldap's client.
 */
export const ldapsearchState = async (slapd: SlapdInstance, base: string, options: { scope: 'one' | 'sub'; filter: string }): Promise<DirectoryState> => {
  const ldif = await slapd.ldapsearch(['-LLL', '-b', base, '-s', options.scope, options.filter, '*', 'entryUUID']);
  const state: DirectoryState = new Map();
  for (const block of ldif.split(/\n\n+/)) {
    let dn: string | undefined;
    let uuid: string | undefined;
    const attributes: Record<string, string[]> = {};
    for (const line of block.split('\n')) {
      const match = /^([^:]+)(::?) ?(.*)$/.exec(line);
      if (match === null) continue;
      const [, name = '', colons, raw = ''] = match;
      const value = colons === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (name === 'dn') dn = value;
      else if (name.toLowerCase() === 'entryuuid') uuid = value;
      else (attributes[name] ??= []).push(value);
    }
    if (dn !== undefined && uuid !== undefined) state.set(uuid, { dn, attributes });
  }
  return state;
};
