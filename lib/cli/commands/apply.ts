import { createReadStream } from 'node:fs';
import { applyLdif, LdapError, LdifReader } from '../../index';
import type { Client, LdifApplyResult, LdifRecord } from '../../index';
import { OUTPUT_CLOSED } from '../command';
import type { Command } from '../command';
import { connect } from '../connect';
import { EXIT, EXIT_CODES_HELP, exitCodeOf } from '../exit-codes';
import type { CliIO } from '../io';
import { CONNECTION_HELP, connectionSettings, parseCommandArgs } from '../options';
import { LineWriter } from '../output';
import { UsageError } from '../usage';

const OPTIONS = {
  file: { type: 'string', short: 'f' },
  continue: { type: 'boolean', short: 'c' },
  'file-urls': { type: 'boolean' },
} as const;

interface ApplyValues {
  file?: string;
  continue?: boolean;
  'file-urls'?: boolean;
}

const HELP = `Usage: rxldap apply [options] [FILE | -f FILE]
       rxldap modify [options] [FILE | -f FILE]     (the same command)

Applies LDIF change records (RFC 2849: changetype add, delete, modify, modrdn/moddn, with their
control: lines) from FILE or stdin, in order, as ldapmodify does; a record without a
changetype is added, as ldapadd does. The file is read as it is applied, so it may be of any
size. One line of JSON per record says how it went:
  {"line":1,"dn":"uid=jdoe,ou=people,dc=example,dc=com","changetype":"add","ok":true}
  {"line":9,"dn":"…","changetype":"modify","ok":false,"code":32,"error":"noSuchObject (32) [matched: …]"}
The first failure ends the run (its exit code is the command's) unless -c is given.

  -f, --file FILE          the LDIF to apply (or FILE as the argument; default: stdin)
  -c, --continue           go on after a failed record; the exit code is then the last failure's
      --file-urls          read "attr:< file:///path" values from local files (off by default:
                           an LDIF from elsewhere could send any readable file to the server)

${CONNECTION_HELP}

${EXIT_CODES_HELP}
`;

const changetypeOf = (record: LdifRecord): string => (record.type === 'content' ? 'add' : record.type);

/** The line for one record's result; a failure says the LDAP result code when there is one. */
const resultLine = (result: LdifApplyResult): Record<string, unknown> => {
  const base = { line: result.line ?? null, dn: result.record.dn, changetype: changetypeOf(result.record), ok: result.ok };
  if (result.ok) return base;
  const error = result.error;
  if (error instanceof LdapError) {
    const detail = `${error.codeName} (${error.code})${error.diagnosticMessage === '' ? '' : `: ${error.diagnosticMessage}`}${error.matchedDN === '' ? '' : ` [matched: ${error.matchedDN}]`}`;
    return { ...base, code: error.code, error: detail };
  }
  return { ...base, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
};

const applyCommandFor = (name: 'apply' | 'modify'): Command => ({
  name,
  summary: name === 'apply' ? 'apply an LDIF change file (or stdin), a JSON result per record' : 'the same as apply',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<ApplyValues>(args, OPTIONS, name);
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 1 || (positionals.length === 1 && values.file !== undefined)) throw new UsageError(`${name} reads one LDIF: FILE, -f FILE or stdin`, name);
    const file = values.file ?? positionals[0];
    const settings = connectionSettings(values, io.env, name);
    const source: NodeJS.ReadableStream = file === undefined ? io.stdin : createReadStream(file);
    const reader = new LdifReader({ allowFileUrls: values['file-urls'] === true });
    // A missing file shows up as an error of the reader: one place to catch it (the iteration
    // below throws it; this listener only keeps it from counting as unhandled before then).
    source.on('error', (error: Error) => reader.destroy(error));
    reader.on('error', () => undefined);
    let client: Client;
    try {
      client = await connect(settings, io, name, { reconnect: false });
    } catch (error) {
      reader.destroy();
      if (source !== io.stdin) (source as ReturnType<typeof createReadStream>).destroy();
      throw error;
    }
    source.pipe(reader);
    const out = new LineWriter(io.stdout, io.stop);
    let exitCode: number = EXIT.ok;
    try {
      for await (const result of applyLdif(client, reader, { continueOnError: values.continue === true })) {
        if (!result.ok) exitCode = exitCodeOf(result.error);
        const wait = out.write(`${JSON.stringify(resultLine(result))}\n`);
        if (wait !== undefined) await wait;
        if (io.stop.aborted) return io.stop.reason === OUTPUT_CLOSED ? exitCode : EXIT.interrupted;
      }
      return exitCode;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (file !== undefined && typeof code === 'string' && code.startsWith('E')) throw new UsageError(`cannot read ${file}: ${code}`, name);
      throw error;
    } finally {
      reader.destroy();
      await out.settled();
      await client.unbind().catch(() => client.destroy());
    }
  },
});

export const applyCommand = applyCommandFor('apply');
export const modifyCommand = applyCommandFor('modify');
