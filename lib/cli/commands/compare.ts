import { parseDN } from '../../index';
import type { Command } from '../command';
import { connect } from '../connect';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes';
import type { CliIO } from '../io';
import { CONNECTION_HELP, connectionSettings, parseCommandArgs } from '../options';
import { UsageError } from '../usage';

const OPTIONS = { quiet: { type: 'boolean', short: 'q' } } as const;

const HELP = `Usage: rxldap compare [options] DN attribute:value
       rxldap compare [options] DN attribute::base64value
       rxldap compare [options] DN attribute value

Asks the server whether the entry DN holds the value (LDAP compare, as ldapcompare). Prints
TRUE and exits 0 when it does; prints FALSE and exits 5 (compareFalse) when it does not.

  -q, --quiet              print nothing: the exit code says it

${CONNECTION_HELP}

${EXIT_CODES_HELP}
`;

/** `attr:value` or `attr::base64`, as ldapcompare takes the assertion. */
const parseAssertion = (text: string): { attribute: string; value: Buffer } => {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`the assertion must be attribute:value or attribute::base64value, not ${JSON.stringify(text)}`, 'compare');
  const attribute = text.slice(0, colon);
  if (text[colon + 1] === ':') {
    const encoded = text.slice(colon + 2);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw new UsageError(`${attribute}:: wants base64, not ${JSON.stringify(encoded)}`, 'compare');
    return { attribute, value: Buffer.from(encoded, 'base64') };
  }
  return { attribute, value: Buffer.from(text.slice(colon + 1), 'utf8') };
};

export const compareCommand: Command = {
  name: 'compare',
  summary: 'does an entry hold a value? TRUE (exit 0) or FALSE (exit 5)',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs<{ quiet?: boolean }>(args, OPTIONS, 'compare');
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    const [dn, first, second, ...extra] = positionals;
    if (dn === undefined || first === undefined || extra.length > 0) throw new UsageError('compare takes a DN and an assertion (attribute:value, or attribute and value)', 'compare');
    parseDN(dn);
    const { attribute, value } = second === undefined ? parseAssertion(first) : { attribute: first, value: Buffer.from(second, 'utf8') };
    const client = await connect(connectionSettings(values, io.env, 'compare'), io, 'compare', { reconnect: false });
    try {
      const holds = await client.compare(dn, attribute, value, { signal: io.stop });
      if (values.quiet !== true) io.stdout.write(holds ? 'TRUE\n' : 'FALSE\n');
      return holds ? EXIT.ok : EXIT.compareFalse;
    } finally {
      await client.unbind().catch(() => client.destroy());
    }
  },
};
