/**
 * The options every command that talks to a server shares, spelled as ldapsearch spells them
 * where they mean the same (-H -D -w -W -y -Z -x -Y), each with a long name and, where it makes
 * sense, an environment variable, so a script can keep the server and the password file out of
 * its argument list.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './usage';

export const CONNECTION_OPTIONS = {
  url: { type: 'string', short: 'H' },
  'bind-dn': { type: 'string', short: 'D' },
  password: { type: 'string', short: 'w' },
  'prompt-password': { type: 'boolean', short: 'W' },
  'password-file': { type: 'string', short: 'y' },
  starttls: { type: 'boolean', short: 'Z', multiple: true },
  simple: { type: 'boolean', short: 'x' },
  'sasl-mech': { type: 'string', short: 'Y' },
  cacert: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const CONNECTION_HELP = `Connection (as ldapsearch's where they mean the same):
  -H, --url URL            ldap://, ldaps:// or ldapi:// URL        [RXLDAP_URL; default ldap://localhost]
  -D, --bind-dn DN         bind as DN (simple bind)                 [RXLDAP_BINDDN]
  -y, --password-file FILE the password is FILE's content, one trailing newline dropped
                                                                    [RXLDAP_PASSWORD_FILE]
  -W, --prompt-password    ask for the password on the terminal (not echoed)
  -w, --password PASSWORD  the password itself (other users can see it in the process list:
                           prefer -y or -W)
  -Y, --sasl-mech EXTERNAL SASL EXTERNAL bind (ldapi:// as the socket's user, or a TLS client certificate)
  -x, --simple             simple authentication (the default; accepted for ldapsearch's sake)
  -Z, --starttls           StartTLS, going on in clear if the server refuses; -ZZ: StartTLS or fail
      --cacert FILE        PEM file of the CA(s) to verify the server certificate with [RXLDAP_CACERT]
      --timeout SECONDS    give up when the server is silent this long (default: no limit)
  -h, --help               this help
A password never goes unencrypted to a server off this host: use ldaps:// or -ZZ.`;

export type ConnectionValues = {
  url?: string;
  'bind-dn'?: string;
  password?: string;
  'prompt-password'?: boolean;
  'password-file'?: string;
  starttls?: boolean[];
  simple?: boolean;
  'sasl-mech'?: string;
  cacert?: string;
  timeout?: string;
  help?: boolean;
};

/** How to reach the server and who to be there, from the options and the environment. */
export interface ConnectionSettings {
  readonly url: string;
  readonly bindDN: string | undefined;
  readonly password: { readonly from: 'argument'; readonly value: string } | { readonly from: 'file'; readonly path: string } | { readonly from: 'prompt' } | undefined;
  readonly saslMechanism: 'EXTERNAL' | undefined;
  /** 0 none, 1 try (-Z), 2 require (-ZZ). */
  readonly startTLS: 0 | 1 | 2;
  readonly caFile: string | undefined;
  /** Milliseconds, or undefined for none. */
  readonly timeout: number | undefined;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** A number of seconds given as text, in milliseconds. */
export const parseSeconds = (text: string, option: string, command: string): number => {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${option} wants a positive number of seconds, not ${JSON.stringify(text)}`, command);
  return Math.round(seconds * 1000);
};

/** A whole number ≥ 0 given as text. */
export const parseCount = (text: string, option: string, command: string): number => {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${option} wants a whole number, not ${JSON.stringify(text)}`, command);
  return Number(text);
};

export const connectionSettings = (values: ConnectionValues, env: Readonly<Record<string, string | undefined>>, command: string): ConnectionSettings => {
  const passwordSources = [values.password !== undefined, values['prompt-password'] === true, values['password-file'] !== undefined].filter(Boolean).length;
  if (passwordSources > 1) throw new UsageError('give the password one way only: -w, -W or -y', command);
  const mechanism = values['sasl-mech'];
  if (mechanism !== undefined && mechanism.toUpperCase() !== 'EXTERNAL') throw new UsageError(`-Y: only EXTERNAL is supported, not ${JSON.stringify(mechanism)}`, command);
  const bindDN = values['bind-dn'] ?? nonEmpty(env.RXLDAP_BINDDN);
  const passwordFile = values['password-file'] ?? (values.password === undefined && values['prompt-password'] !== true ? nonEmpty(env.RXLDAP_PASSWORD_FILE) : undefined);
  const password: ConnectionSettings['password'] =
    values.password !== undefined ? { from: 'argument', value: values.password }
    : values['prompt-password'] === true ? { from: 'prompt' }
    : passwordFile !== undefined ? { from: 'file', path: passwordFile }
    : undefined;
  if (mechanism !== undefined && (bindDN !== undefined || password !== undefined)) throw new UsageError('-Y EXTERNAL takes no bind DN or password', command);
  if (password !== undefined && bindDN === undefined) throw new UsageError('a password needs a bind DN: -D or RXLDAP_BINDDN', command);
  if (bindDN !== undefined && password === undefined) throw new UsageError(`binding as ${bindDN} needs a password: -y FILE, RXLDAP_PASSWORD_FILE or -W`, command);
  const startTLS = Math.min(values.starttls?.length ?? 0, 2) as 0 | 1 | 2;
  return {
    url: values.url ?? nonEmpty(env.RXLDAP_URL) ?? 'ldap://localhost',
    bindDN,
    password,
    saslMechanism: mechanism === undefined ? undefined : 'EXTERNAL',
    startTLS,
    caFile: values.cacert ?? nonEmpty(env.RXLDAP_CACERT),
    timeout: values.timeout === undefined ? undefined : parseSeconds(values.timeout, '--timeout', command),
  };
};

/**
 * parseArgs with the command's options beside the connection options; its own errors (an
 * unknown option, a missing value) become UsageErrors that name the command. `V` is the shape
 * of the command's own options' values. A command that talks to no server (serve) takes
 * `connection: false`, and so only --help besides its own.
 */
export const parseCommandArgs = <V>(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  command: string,
  { connection = true }: { connection?: boolean } = {},
): { values: V & ConnectionValues; positionals: string[] } => {
  const all = connection ? { ...CONNECTION_OPTIONS, ...options } : { help: CONNECTION_OPTIONS.help, ...options };
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: all, allowPositionals: true, strict: true });
    // V names the command's own options, the ones just given to parseArgs, which checked them.
    return { values: values as V & ConnectionValues, positionals };
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(error.message, command);
    throw error;
  }
};
