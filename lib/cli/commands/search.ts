import { formatLdifRecord, LDAPSEARCH_LDIF } from '../../index';
import type { LdifWriterOptions, SearchEntry } from '../../index';
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
  wrap: { type: 'string' },
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
  wrap?: string;
  quiet?: boolean;
}

const DEREFS = new Set(['never', 'search', 'find', 'always']);
const DEFAULT_PAGE_SIZE = 500;

const HELP = `Usage: rxldap search [options] [filter] [attribute...]

Searches and writes each entry as one line of JSON (NDJSON), or as LDIF with --ldif:
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
      --ldif               LDIF (RFC 2849) as ldapsearch -LLL writes it: the same bytes as
                           ldapsearch -LLL -o ldif-wrap=76 (userPassword and what is not
                           printable ASCII in base64)
      --wrap N             fold LDIF lines longer than N bytes (default 76; 0: never)
  -q, --quiet              no progress line

${CONNECTION_HELP}

Example:
  RXLDAP_URL=ldaps://ldap.example.com RXLDAP_BINDDN=cn=reader,dc=example,dc=com \\
  RXLDAP_PASSWORD_FILE=~/.ldap-password rxldap search -b ou=people,dc=example,dc=com '(uid=j*)' cn mail

${EXIT_CODES_HELP}
`;

type Format = { readonly kind: 'ndjson' } | { readonly kind: 'json' } | { readonly kind: 'ldif'; readonly options: LdifWriterOptions };

/** Writes entries as NDJSON lines, the items of one JSON array, or LDIF records. */
class EntryOutput {
  private written = 0;
  constructor(
    private readonly out: LineWriter,
    private readonly format: Format,
  ) {
    if (format.kind === 'json') void out.write('[');
  }

  entry(entry: SearchEntry): Promise<void> | undefined {
    const format = this.format;
    const first = this.written === 0;
    this.written++;
    if (format.kind === 'ldif') return this.out.write(`${formatLdifRecord(entry, format.options)}\n`);
    const text = JSON.stringify(entry.toJSON());
    return this.out.write(format.kind === 'json' ? `${first ? '\n' : ',\n'}${text}` : `${text}\n`);
  }

  end(): void {
    if (this.format.kind === 'json') void this.out.write(this.written === 0 ? ']\n' : '\n]\n');
  }
}

const formatOf = (values: SearchValues): Format => {
  if (values.json === true && values.ldif === true) throw new UsageError('--json and --ldif: choose one', 'search');
  if (values.wrap !== undefined && values.ldif !== true) throw new UsageError('--wrap is for --ldif', 'search');
  if (values.json === true) return { kind: 'json' };
  if (values.ldif !== true) return { kind: 'ndjson' };
  return { kind: 'ldif', options: { ...LDAPSEARCH_LDIF, ...(values.wrap === undefined ? {} : { wrap: parseCount(values.wrap, '--wrap', 'search') }) } };
};

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
    const format = formatOf(values);
    const target = searchTarget(values, positionals, io.env, 'search');
    const deref = values.deref ?? 'never';
    if (!DEREFS.has(deref)) throw new UsageError(`-a wants never, search, find or always, not ${JSON.stringify(deref)}`, 'search');
    const sizeLimit = values['size-limit'] === undefined ? 0 : parseCount(values['size-limit'], '-z', 'search');
    const timeLimit = values['time-limit'] === undefined ? 0 : parseCount(values['time-limit'], '-l', 'search');
    const pageSize = values['page-size'] === undefined ? DEFAULT_PAGE_SIZE : parseCount(values['page-size'], '--page-size', 'search');
    const settings = connectionSettings(values, io.env, 'search');

    const client = await connect(settings, io, 'search', { reconnect: false });
    const out = new LineWriter(io.stdout, io.stop);
    const output = new EntryOutput(out, format);
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
        // Entries the search had buffered still come after a stop: the user asked for no more.
        if (io.stop.aborted) break;
        const wait = output.entry(entry);
        progress?.tick();
        if (wait !== undefined) await wait;
      }
      if (io.stop.aborted) return io.stop.reason === OUTPUT_CLOSED ? EXIT.ok : EXIT.interrupted;
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
