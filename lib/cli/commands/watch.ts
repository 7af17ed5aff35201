import { changeEventToLdif, ControlOid, formatLdifRecord, LDAPSEARCH_LDIF, SyncLdifTranslator } from '../../index';
import type { Client, SearchEntry, SyncEvent } from '../../index';
import type { Command } from '../command';
import { OUTPUT_CLOSED } from '../command';
import { connect } from '../connect';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes';
import type { CliIO } from '../io';
import { CONNECTION_HELP, connectionSettings, parseCommandArgs } from '../options';
import { LineWriter } from '../output';
import { readState, writeState } from '../state-file';
import type { WatchFormat, WatchState } from '../state-file';
import { TARGET_HELP, TARGET_OPTIONS, searchTarget } from '../target';
import type { SearchTarget } from '../target';
import { UsageError } from '../usage';
import { changeRecord, syncRecord } from './watch-records';

const OPTIONS = {
  ...TARGET_OPTIONS,
  state: { type: 'string' },
  'changes-only': { type: 'boolean' },
  with: { type: 'string' },
  ldif: { type: 'boolean' },
} as const;

interface WatchValues {
  base?: string;
  scope?: string;
  state?: string;
  'changes-only'?: boolean;
  with?: string;
  ldif?: boolean;
}

const HELP = `Usage: rxldap watch [options] [filter] [attribute...]

Follows the changes under a base as they happen, one line of JSON (NDJSON) per event, until
Ctrl-C or SIGTERM (exit 0). Through syncrepl (RFC 4533) where the server offers it, else
through persistent search.

Syncrepl events (first the entries there now, unless --changes-only or resuming):
  {"type":"add","dn":"…","entryUUID":"…","attributes":{…}}     also "modify" (a rename is a modify under the new DN)
  {"type":"delete","entryUUID":"…","dn":"…"}                    dn absent when the server names only the entryUUID
  {"type":"present","entryUUID":"…"} or {"type":"present","entryUUIDs":[…]}   unchanged since the cookie
  {"type":"delete","entryUUIDs":[…]}                            deleted since the cookie
  {"type":"phaseEnd","phase":"present"}   every entry not named (present, add, modify) since the refresh began is gone
  {"type":"refreshDone"}                  caught up: what follows is live
  {"type":"resumed","reason":"…"}         the connection was lost and the feed resumed from its cookie
Persistent search events: {"type":"add"|"modify"|"delete"|"modDN","dn":"…","previousDN":"…","attributes":{…}};
"initial" for the entries there when it began (unless --changes-only).

Watch:
${TARGET_HELP}
      --state FILE         resume where the last run stopped: the cookie is kept in FILE, replaced
                           atomically after each change is written out. A change is written at
                           least once: after a crash the last one may come again. Syncrepl only.
      --changes-only       without a saved cookie, skip the entries there now: only changes
      --ldif               LDIF change records instead (ldapmodify or rxldap apply can replay
                           them): add, delete, modrdn, and a modify that replaces every attribute
                           sent (neither feed says which changed; one removed altogether is not
                           deleted). Syncrepl names deleted entries by entryUUID only, so with
                           --state the file also keeps entryUUID -> DN of every entry in scope.
      --with METHOD        syncrepl, psearch, or auto (default: syncrepl when the root DSE lists it)

${CONNECTION_HELP}

${EXIT_CODES_HELP}
`;

/** Syncrepl when the root DSE lists the Sync Request control, else persistent search. */
const pickMethod = async (client: Client, wanted: string): Promise<'syncrepl' | 'psearch'> => {
  if (wanted === 'syncrepl' || wanted === 'psearch') return wanted;
  if (wanted !== 'auto') throw new UsageError(`--with wants syncrepl, psearch or auto, not ${JSON.stringify(wanted)}`, 'watch');
  return (await client.rootDSE()).supportsControl(ControlOid.syncRequest) ? 'syncrepl' : 'psearch';
};

const sameSearch = (a: WatchState['search'], b: WatchState['search']): boolean =>
  a.base === b.base && a.scope === b.scope && a.filter === b.filter && a.attributes.join('\n') === b.attributes.join('\n');

const describeSearch = (search: WatchState['search']): string => `base ${JSON.stringify(search.base)}, scope ${search.scope}, filter ${search.filter}`;

const attributesOf = (entry: SearchEntry): Record<string, string[]> => entry.toJSON().attributes;

/** How events become text: NDJSON lines, or LDIF change records. */
interface SyncRenderer {
  render(event: SyncEvent): string;
  /** entryUUID → DN of the entries in scope, which LDIF needs to name a delete (kept in the state file). */
  readonly known?: () => Record<string, string>;
}

const ndjsonSync = (): SyncRenderer => ({
  render: (event) => {
    const record = syncRecord(event, attributesOf);
    return record === undefined ? '' : `${JSON.stringify(record)}\n`;
  },
});

const ldifSync = (known: Readonly<Record<string, string>> | undefined): SyncRenderer => {
  const translator = new SyncLdifTranslator(new Map(Object.entries(known ?? {})));
  return {
    render: (event) => translator.translate(event).map((record) => `${formatLdifRecord(record, LDAPSEARCH_LDIF)}\n`).join(''),
    known: () => Object.fromEntries(translator.known),
  };
};

/** The syncrepl feed, written out; the cookie saved after the output it covers is flushed. */
const followSyncrepl = async (client: Client, target: SearchTarget, io: CliIO, out: LineWriter, statePath: string | undefined, options: { changesOnly: boolean; format: WatchFormat }): Promise<void> => {
  const search: WatchState['search'] = { base: target.base, scope: target.scopeName, filter: target.filter, attributes: [...target.attributes] };
  const saved = statePath === undefined ? undefined : readState(statePath, 'watch');
  if (saved !== undefined && !sameSearch(saved.search, search)) {
    throw new UsageError(`${statePath} follows another search (${describeSearch(saved.search)}); give this one (${describeSearch(search)}) a state file of its own`, 'watch');
  }
  if (saved !== undefined && (saved.format ?? 'ndjson') !== options.format) {
    throw new UsageError(`${statePath} was written by a watch with ${saved.format === 'ldif' ? '--ldif' : 'NDJSON output'}: resume it the same way, or start a new state file`, 'watch');
  }
  const renderer = options.format === 'ldif' ? ldifSync(saved?.known) : ndjsonSync();
  const cookie = saved?.cookie === undefined ? undefined : Buffer.from(saved.cookie, 'base64');
  // Without a cookie the refresh is everything there now; --changes-only skips it.
  let skipping = options.changesOnly && cookie === undefined;
  const feed = client.syncrepl(target.base, {
    mode: 'refreshAndPersist',
    scope: target.scope,
    filter: target.filter,
    attributes: target.attributes,
    expandIdSets: false,
    signal: io.stop,
    ...(cookie === undefined ? {} : { cookie }),
  });
  let savedCookie = saved?.cookie;
  const save = async (next: Buffer): Promise<void> => {
    const text = next.toString('base64');
    if (statePath === undefined || text === savedCookie) return;
    await out.flushed();
    const known = renderer.known?.();
    writeState(statePath, { version: 1, search, format: options.format, cookie: text, ...(known === undefined ? {} : { known }) });
    savedCookie = text;
  };
  for await (const event of feed) {
    if (event.type === 'cookie') {
      await save(event.cookie);
      continue;
    }
    // Rendered even while skipped: LDIF learns the DNs it will need for later deletes.
    const text = renderer.render(event);
    if (event.type === 'refreshDone') skipping = false;
    else if (skipping) continue;
    if (text !== '') await out.write(text);
    if (event.type === 'refreshDone' && event.cookie !== undefined) await save(event.cookie);
  }
};

const followPersistentSearch = async (client: Client, target: SearchTarget, io: CliIO, out: LineWriter, options: { changesOnly: boolean; format: WatchFormat }): Promise<void> => {
  const feed = client.persistentSearch(target.base, { scope: target.scope, filter: target.filter, attributes: target.attributes, changesOnly: options.changesOnly, signal: io.stop });
  for await (const event of feed) {
    const text =
      options.format === 'ldif' ? changeEventToLdif(event).map((record) => `${formatLdifRecord(record, LDAPSEARCH_LDIF)}\n`).join('') : `${JSON.stringify(changeRecord(event, attributesOf))}\n`;
    await out.write(text);
  }
};

export const watchCommand: Command = {
  name: 'watch',
  summary: 'follow changes (syncrepl or persistent search) as NDJSON or LDIF; --state FILE resumes',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<WatchValues>(args, OPTIONS, 'watch');
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    const target = searchTarget(values, positionals, io.env, 'watch');
    const settings = connectionSettings(values, io.env, 'watch');
    const client = await connect(settings, io, 'watch', { reconnect: true });
    const out = new LineWriter(io.stdout, io.stop);
    try {
      const method = await pickMethod(client, values.with ?? 'auto');
      if (method === 'psearch' && values.state !== undefined) {
        throw new UsageError('--state needs syncrepl: a persistent search has no cookie to resume from, and this server offers only persistent search (or --with psearch was given)', 'watch');
      }
      const options = { changesOnly: values['changes-only'] === true, format: values.ldif === true ? ('ldif' as const) : ('ndjson' as const) };
      if (method === 'syncrepl') await followSyncrepl(client, target, io, out, values.state, options);
      else await followPersistentSearch(client, target, io, out, options);
      return EXIT.ok;
    } catch (error) {
      // Ctrl-C, SIGTERM, or the reader went away: the end a watch is made for.
      if (io.stop.aborted) return EXIT.ok;
      throw error;
    } finally {
      await out.settled();
      if (io.stop.reason === OUTPUT_CLOSED) client.destroy();
      else await client.unbind().catch(() => client.destroy());
    }
  },
};
