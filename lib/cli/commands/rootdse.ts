import type { Command } from '../command';
import { connect } from '../connect';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes';
import type { CliIO } from '../io';
import { CONNECTION_HELP, connectionSettings, parseCommandArgs } from '../options';

const HELP = `Usage: rxldap rootdse [options] [attribute...]

Reads the root DSE (RFC 4512 §5.1: the naming contexts, supported controls, extensions, SASL
mechanisms and LDAP versions of the server) and prints it as one line of JSON, as search
prints an entry. No attributes means every user and operational attribute ("*" "+").

${CONNECTION_HELP}

${EXIT_CODES_HELP}
`;

export const rootdseCommand: Command = {
  name: 'rootdse',
  summary: 'print the server\'s root DSE (naming contexts, controls, extensions) as JSON',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<object>(args, {}, 'rootdse');
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    const client = await connect(connectionSettings(values, io.env, 'rootdse'), io, 'rootdse', { reconnect: false });
    try {
      const attributes = positionals.length > 0 ? positionals : ['*', '+'];
      const [entry] = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes, signal: io.stop });
      io.stdout.write(`${JSON.stringify(entry?.toJSON() ?? { dn: '', attributes: {} })}\n`);
      return EXIT.ok;
    } finally {
      await client.unbind().catch(() => client.destroy());
    }
  },
};
