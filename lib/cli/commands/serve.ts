import { readFileSync } from 'node:fs';
import { parseDN } from '../../index';
import type { Command } from '../command';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes';
import type { CliIO } from '../io';
import { parseCommandArgs, parseCount } from '../options';
import { writeFileAtomically } from '../atomic-file';
import { UsageError } from '../usage';

const OPTIONS = {
  ldif: { type: 'string', short: 'f', multiple: true },
  suffix: { type: 'string', multiple: true },
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  ldapi: { type: 'string' },
  'root-dn': { type: 'string' },
  'root-password-file': { type: 'string' },
  save: { type: 'string' },
  'no-schema-check': { type: 'boolean' },
} as const;

interface ServeValues {
  ldif?: string[];
  suffix?: string[];
  host?: string;
  port?: string;
  ldapi?: string;
  'root-dn'?: string;
  'root-password-file'?: string;
  save?: string;
  'no-schema-check'?: boolean;
}

const HELP = `Usage: rxldap serve [options]

Starts rxldap's in-memory directory (rxldap/server) for local development: a real LDAP server
in this process, loaded from LDIF, until Ctrl-C or SIGTERM (exit 0). It prints its URL on stdout
(then its ldapi:// URL, with --ldapi) and what it holds on stderr. Entries are checked against
OpenLDAP 2.5's schema (core, cosine, inetorgperson, nis) unless --no-schema-check.

  -f, --ldif FILE          entries to load (LDIF content records; may be given more than once)
      --suffix DN          a naming context (default: the top entries of the LDIF, else dc=example,dc=com)
      --host HOST          address to listen on (default 127.0.0.1)
  -p, --port N             TCP port (default 0: a free one, printed)
      --ldapi PATH         listen on this Unix socket too (ldapi://)
      --root-dn DN         the DN that may do anything (default cn=admin,<first suffix>)
      --root-password-file FILE   its password, FILE's content (one trailing newline dropped)
                           [RXLDAP_ROOT_PASSWORD_FILE]; without one the root DN cannot bind
      --save FILE          on exit, write every entry (operational attributes too) as LDIF to FILE
      --no-schema-check    accept any attribute and object class
  -h, --help               this help

Example:
  rxldap serve -f people.ldif --root-password-file ~/.dev-password --port 3389 &
  rxldap search -H ldap://127.0.0.1:3389 -b dc=example,dc=com '(uid=jdoe)'

${EXIT_CODES_HELP}
`;

const readText = (path: string, what: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'serve');
  }
};

/** Resolves once `signal` is aborted. */
const untilAborted = (signal: AbortSignal): Promise<void> =>
  signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the in-memory directory from LDIF for local development, printing its URL',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<ServeValues>(args, OPTIONS, 'serve', { connection: false });
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`serve takes no arguments (LDIF comes with -f FILE), got ${JSON.stringify(positionals[0])}`, 'serve');
    for (const suffix of values.suffix ?? []) parseDN(suffix);
    if (values['root-dn'] !== undefined) parseDN(values['root-dn']);
    const port = values.port === undefined ? 0 : parseCount(values.port, '--port', 'serve');
    if (port > 65_535) throw new UsageError(`--port wants 0 to 65535, not ${port}`, 'serve');
    const ldif = (values.ldif ?? []).map((path) => readText(path, 'LDIF file')).join('\n');
    const passwordFile = values['root-password-file'] ?? (io.env.RXLDAP_ROOT_PASSWORD_FILE === '' ? undefined : io.env.RXLDAP_ROOT_PASSWORD_FILE);
    const rootPassword = passwordFile === undefined ? undefined : readText(passwordFile, 'password file').replace(/\r?\n$/, '');

    // Loaded only for this command: the rest of rxldap's commands never pay for the server.
    const { startDirectory } = await import('../../server');
    const server = await startDirectory({
      ...(ldif === '' ? {} : { ldif }),
      ...(values.suffix === undefined ? {} : { suffix: values.suffix }),
      host: values.host ?? '127.0.0.1',
      port,
      ...(values.ldapi === undefined ? {} : { ldapi: values.ldapi }),
      ...(values['root-dn'] === undefined ? {} : { rootDN: values['root-dn'] }),
      ...(rootPassword === undefined ? {} : { rootPassword }),
      ...(values['no-schema-check'] === true ? { schema: false } : {}),
    });
    try {
      io.stdout.write(`${server.url}\n${server.ldapiUrl === undefined ? '' : `${server.ldapiUrl}\n`}`);
      const { directory } = server;
      io.stderr.write(
        `rxldap serve: ${directory.size.toLocaleString('en-US')} entries under ${directory.suffixes.join(', ')}; root DN ${server.rootDN}` +
          `${rootPassword === undefined ? ' (no password: it cannot bind)' : ''}; Ctrl-C stops\n`,
      );
      await untilAborted(io.stop);
      if (values.save !== undefined) writeFileAtomically(values.save, directory.toLDIF({ operational: true }));
      return EXIT.ok;
    } finally {
      await server.close();
    }
  },
};
