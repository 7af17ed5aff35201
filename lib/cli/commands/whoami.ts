import type { Command } from '../command';
import { connect } from '../connect';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes';
import type { CliIO } from '../io';
import { CONNECTION_HELP, connectionSettings, parseCommandArgs } from '../options';
import { UsageError } from '../usage';

const HELP = `Usage: rxldap whoami [options]

Binds, then asks the server who it takes this connection to be (RFC 4532 "Who am I?") and
prints the answer as ldapwhoami does: dn:<DN>, u:<user>, or anonymous.

${CONNECTION_HELP}

${EXIT_CODES_HELP}
`;

export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'print the identity the server gives this connection (RFC 4532)',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<object>(args, {}, 'whoami');
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`whoami takes no arguments, got ${JSON.stringify(positionals[0])}`, 'whoami');
    const client = await connect(connectionSettings(values, io.env, 'whoami'), io, 'whoami', { reconnect: false });
    try {
      const identity = await client.whoami({ signal: io.stop });
      io.stdout.write(`${identity === '' ? 'anonymous' : identity}\n`);
      return EXIT.ok;
    } finally {
      await client.unbind().catch(() => client.destroy());
    }
  },
};
