import type { SearchEntry } from '../../index';
import { OUTPUT_CLOSED } from '../command';
import type { Command } from '../command';
import { connect } from '../connect';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes';
import type { CliIO } from '../io';
import { CONNECTION_HELP, connectionSettings, parseCommandArgs, parseCount } from '../options';
import { LineWriter } from '../output';
import { ProgressLine } from '../progress';
import { TARGET_HELP, TARGET_OPTIONS, searchTarget } from '../target';
import { UsageError } from '../usage';

const OPTIONS = {
  ...TARGET_OPTIONS,
  'size-limit': { type: 'string', short: 'z' },
  'time-limit': { type: 'string', short: 'l' },
  deref: { type: 'string', short: 'a' },
  'types-only': { type: 'boolean', short: 'A' },
  'page-size': { type: 'string' },
  json: { type: 'boolean' },
  ldif: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

interface SearchValues {
  base?: string;
  scope?: string;
  'size-limit'?: string;
  'time-limit'?: string;
  deref?: string;
  'types-only'?: boolean;
  'page-size'?: string;
  json?: boolean;
  ldif?: boolean;
  quiet?: boolean;
}

const DEREFS = new Set(['never', 'search', 'find', 'always']);
const DEFAULT_PAGE_SIZE = 500;

const HELP = `Usage: rxldap search [options] [filter] [attribute...]

Searches and writes each entry as one line of JSON (NDJSON):
  {"dn":"uid=jdoe,ou=people,dc=example,dc=com","attributes":{"cn":["John Doe"],"mail":["jdoe@example.com"]}}
A value that is not UTF-8 is written in base64, under the attribute name with ";base64" added.
The filter defaults to (objectClass=*); no attributes means every user attribute ("*"; "+" for
operational ones, "1.1" for none). Large results are paged (RFC 2696) automatically. When
stderr is a terminal and the output goes elsewhere, a progress line (entries, rate, elapsed)
is kept on stderr.

Search:
${TARGET_HELP}
  -z, --size-limit N       at most N entries (0: the server's limit)
  -l, --time-limit SECONDS the server may spend at most this long (0: its limit)
  -a, --deref WHEN         dereference aliases: never (default), search, find or always
  -A, --types-only         attribute names only, no values
      --page-size N        entries per page (default ${DEFAULT_PAGE_SIZE}; 0: do not page)
      --json               one JSON array instead of one entry per line
      --ldif               LDIF (not available yet: it comes with rxldap's LDIF support)
  -q, --quiet              no progress line

${CONNECTION_HELP}

Example:
  RXLDAP_URL=ldaps://ldap.example.com RXLDAP_BINDDN=cn=reader,dc=example,dc=com \\
  RXLDAP_PASSWORD_FILE=~/.ldap-password rxldap search -b ou=people,dc=example,dc=com '(uid=j*)' cn mail

${EXIT_CODES_HELP}
`;

/** Writes entries as NDJSON lines or as the items of one JSON array. */
class EntryOutput {
  private written = 0;
  constructor(
    private readonly out: LineWriter,
    private readonly array: boolean,
  ) {
    if (array) void out.write('[');
  }

  entry(entry: SearchEntry): Promise<void> | undefined {
    const text = JSON.stringify(entry.toJSON());
    const line = this.array ? `${this.written === 0 ? '\n' : ',\n'}${text}` : `${text}\n`;
    this.written++;
    return this.out.write(line);
  }

  end(): void {
    if (this.array) void this.out.write(this.written === 0 ? ']\n' : '\n]\n');
  }
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'search entries; NDJSON (one entry per line) or --json',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<SearchValues>(args, OPTIONS, 'search');
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (values.ldif === true) throw new UsageError('--ldif is not available yet in this version (it comes with rxldap\'s LDIF support); NDJSON and --json are', 'search');
    const target = searchTarget(values, positionals, io.env, 'search');
    const deref = values.deref ?? 'never';
    if (!DEREFS.has(deref)) throw new UsageError(`-a wants never, search, find or always, not ${JSON.stringify(deref)}`, 'search');
    const sizeLimit = values['size-limit'] === undefined ? 0 : parseCount(values['size-limit'], '-z', 'search');
    const timeLimit = values['time-limit'] === undefined ? 0 : parseCount(values['time-limit'], '-l', 'search');
    const pageSize = values['page-size'] === undefined ? DEFAULT_PAGE_SIZE : parseCount(values['page-size'], '--page-size', 'search');
    const settings = connectionSettings(values, io.env, 'search');

    const client = await connect(settings, io, 'search', { reconnect: false });
    const out = new LineWriter(io.stdout, io.stop);
    const output = new EntryOutput(out, values.json === true);
    const progress = io.stderr.isTTY === true && io.stdout.isTTY !== true && values.quiet !== true ? new ProgressLine(io.stderr) : undefined;
    const options = {
      scope: target.scope,
      filter: target.filter,
      attributes: target.attributes,
      derefAliases: deref as 'never' | 'search' | 'find' | 'always',
      sizeLimit,
      timeLimit,
      typesOnly: values['types-only'] === true,
      signal: io.stop,
    };
    let outcome: 'done' | 'stopped' = 'stopped';
    try {
      const entries = pageSize > 0 ? client.pagedSearch(target.base, { ...options, pageSize }) : client.search(target.base, options);
      for await (const entry of entries) {
        const wait = output.entry(entry);
        progress?.tick();
        if (wait !== undefined) await wait;
      }
      outcome = 'done';
      return EXIT.ok;
    } catch (error) {
      if (io.stop.aborted) return io.stop.reason === OUTPUT_CLOSED ? EXIT.ok : EXIT.interrupted;
      throw error;
    } finally {
      output.end();
      progress?.finish(outcome);
      await out.settled();
      await client.unbind().catch(() => client.destroy());
    }
  },
};
