import { readFileSync } from 'node:fs';
import { Client } from '../index';
import type { ClientOptions } from '../index';
import type { CliIO } from './io';
import type { ConnectionSettings } from './options';
import { resolvePassword } from './password';
import { UsageError } from './usage';

export interface ConnectOptions {
  /** Reconnect after a lost connection (watch: its feed resumes); other commands fail at once. */
  readonly reconnect: boolean;
}

/**
 * A client connected and bound as the settings say: StartTLS first (-Z tries, -ZZ insists),
 * then the bind (simple with -D, SASL EXTERNAL with -Y, anonymous otherwise).
 */
export const connect = async (settings: ConnectionSettings, io: CliIO, command: string, options: ConnectOptions): Promise<Client> => {
  let ca: Buffer | undefined;
  if (settings.caFile !== undefined) {
    try {
      ca = readFileSync(settings.caFile);
    } catch (error) {
      throw new UsageError(`cannot read the CA file ${settings.caFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, command);
    }
  }
  const password = await resolvePassword(settings, command);
  const clientOptions: ClientOptions = { url: settings.url, reconnect: options.reconnect };
  if (ca !== undefined) clientOptions.tls = { ca };
  if (settings.timeout !== undefined) clientOptions.timeout = settings.timeout;
  const client = new Client(clientOptions);
  try {
    // Connect now, not on the first operation: a server that cannot be reached fails the
    // command before it has written anything (not half a JSON array).
    await client.connect();
    if (settings.startTLS > 0) {
      try {
        await client.startTLS(ca === undefined ? {} : { ca });
      } catch (error) {
        if (settings.startTLS === 2) throw error;
        io.stderr.write(`rxldap ${command}: StartTLS failed, going on without it: ${(error as Error).message}\n`);
      }
    }
    if (settings.saslMechanism === 'EXTERNAL') await client.saslBind('EXTERNAL');
    else if (settings.bindDN !== undefined) await client.bind(settings.bindDN, password ?? '');
    return client;
  } catch (error) {
    client.destroy();
    throw error;
  }
};
