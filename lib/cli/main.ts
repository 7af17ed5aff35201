/**
 * The rxldap command: `rxldap <command> [options]`. Each command lives in commands/; this file
 * picks one, runs it, and turns what it ended with into an exit code and one line on stderr.
 * The command uses only the package's public API (../index), the same code `import 'rxldap'`
 * gives, and the bundle loads that code from the package's own bundle instead of a copy.
 */
import { LdapError } from '../index';
import type { Command } from './command';
import { applyCommand, modifyCommand } from './commands/apply';
import { compareCommand } from './commands/compare';
import { rootdseCommand } from './commands/rootdse';
import { schemaCommand } from './commands/schema';
import { serveCommand } from './commands/serve';
import { searchCommand } from './commands/search';
import { watchCommand } from './commands/watch';
import { whoamiCommand } from './commands/whoami';
import { EXIT, EXIT_CODES_HELP, exitCodeOf } from './exit-codes';
import type { CliIO } from './io';
import { UsageError } from './usage';

export const COMMANDS: readonly Command[] = [searchCommand, watchCommand, applyCommand, modifyCommand, whoamiCommand, compareCommand, rootdseCommand, schemaCommand, serveCommand];

const overview = (): string => `Usage: rxldap <command> [options]

A command-line LDAP client: searches and change feeds as JSON lines.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join('\n')}

rxldap <command> --help tells more. The connection options are ldapsearch's (-H -D -W -y -Z -x
-b -s) and may come from the environment: RXLDAP_URL, RXLDAP_BINDDN, RXLDAP_PASSWORD_FILE,
RXLDAP_BASE, RXLDAP_CACERT.

${EXIT_CODES_HELP}
`;

/** One line on stderr for what the command ended with; never a stack for an expected failure. */
const report = (error: unknown, io: CliIO): number => {
  const code = exitCodeOf(error);
  if (error instanceof UsageError) {
    const help = error.command === undefined ? 'rxldap --help' : `rxldap ${error.command} --help`;
    io.stderr.write(`rxldap: ${error.message}\n(see ${help})\n`);
    return code;
  }
  // The server's words, not the library's advice to programmers (which names API calls).
  const message =
    error instanceof LdapError ? `${error.codeName} (${error.code})${error.diagnosticMessage === '' ? '' : `: ${error.diagnosticMessage}`}${error.matchedDN === '' ? '' : ` [matched: ${error.matchedDN}]`}`
    : error instanceof Error ? error.message
    : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  io.stderr.write(`rxldap: ${name}: ${message}\n`);
  if (code === EXIT.localError && error instanceof Error && error.stack !== undefined && io.env.RXLDAP_DEBUG === '1') io.stderr.write(`${error.stack}\n`);
  return code;
};

/** Runs `rxldap` with `args` (what follows the program name); resolves with the exit code. */
export const main = async (args: readonly string[], io: CliIO): Promise<number> => {
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr.write(overview());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const about = COMMANDS.find((command) => command.name === rest[0]);
    io.stdout.write(about?.help ?? overview());
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
    return await command.run(rest, io);
  } catch (error) {
    return report(error, io);
  }
};
