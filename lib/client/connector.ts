import type { Connection } from '../connection/connection';
import { ConnectionError, RebindError, ServerPoolExhaustedError, TimeoutError } from '../errors';
import type { RxLdapError } from '../errors';
import { backoffDelay } from './backoff';
import type { ReconnectPolicy } from './backoff';
import type { ClientEvent } from './events';
import type { ServerEntry, ServerSet } from './servers';

/** What the connector needs from its client: a connection to a server, and that connection made the client's identity. */
export interface ConnectorHooks {
  /** Opens a socket to `server` and wraps it in a Connection. */
  open(server: ServerEntry): Promise<Connection>;
  /**
   * Makes a fresh connection what the client had: StartTLS if it had upgraded, the bind it had
   * made. Throws when that fails; the connector then closes the connection and fails with a
   * RebindError, since running anything on it would change identity.
   */
  prepare(connection: Connection, server: ServerEntry): Promise<void>;
  /**
   * Whether a server that had failed is back: a cheap read on the fresh connection (a root DSE
   * search), run before the server is used again. Throws when it is not. Absent: connecting is enough.
   */
  check?(connection: Connection, server: ServerEntry): Promise<void>;
  emit(event: ClientEvent): void;
}

/** Waits `ms`, or less when `stop` fires: a client closed during a backoff must not keep a timer. */
const sleep = (ms: number, stop: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop?.addEventListener('abort', done, { once: true });
  });

const toRxLdapError = (error: unknown): RxLdapError => (error instanceof ConnectionError ? error : new ConnectionError(String(error instanceof Error ? error.message : error), { cause: error }));

/**
 * Reaches a server of the list and makes the connection ready. The first connect tries each
 * server once per `active` cycle, at once. After a connection was lost, it retries by the
 * reconnect policy (exponential backoff with jitter, bounded by attempts, time and `active`
 * cycles), announcing each wait; with no policy, one cycle and then the error.
 */
export class Connector {
  private lastServer: string | undefined;
  private everConnected = false;

  constructor(
    private readonly servers: ServerSet,
    private readonly policy: ReconnectPolicy | undefined,
    /** Full passes over the server list a connect may make: true for as many as the policy allows. */
    private readonly active: boolean | number,
    private readonly hooks: ConnectorHooks,
  ) {}

  /**
   * `stop` (the client's unbind() or destroy()) ends the attempts at once, backoff included, and
   * closes a connection that opens afterwards instead of returning it.
   */
  async establish(stop?: AbortSignal): Promise<{ connection: Connection; server: ServerEntry }> {
    // A function, not a narrowed property: the signal fires between awaits.
    const isStopped = (): boolean => stop?.aborted === true;
    const stopped = (): ConnectionError => new ConnectionError('the client was closed while it was connecting');
    const reconnecting = this.everConnected && this.policy !== undefined;
    const started = Date.now();
    const cycles = typeof this.active === 'number' ? Math.max(1, this.active) : reconnecting ? Infinity : 1;
    let attempts = 0;
    const tried = new Set<ServerEntry>();
    for (;;) {
      if (isStopped()) throw stopped();
      if (tried.size >= this.servers.size) tried.clear(); // a new pass over the list
      const server = this.servers.next(Date.now(), tried);
      tried.add(server);
      attempts++;
      let connection: Connection | undefined;
      try {
        const wasFailed = server.failed;
        connection = await this.hooks.open(server);
        if (isStopped()) {
          void connection.close(stopped());
          throw stopped();
        }
        if (wasFailed && this.hooks.check !== undefined) await this.hooks.check(connection, server);
        this.servers.markReached(server);
        this.hooks.emit({ type: 'connected', server: server.name, secure: connection.transportSecurity === 'tls' });
        if (this.lastServer !== undefined && this.lastServer !== server.name) this.hooks.emit({ type: 'failover', from: this.lastServer, to: server.name });
        await this.hooks.prepare(connection, server);
      } catch (error) {
        if (isStopped()) {
          void connection?.close(stopped());
          throw stopped();
        }
        // A server that refuses the identity (an LDAP result, a mechanism that cannot be rerun)
        // will refuse it again: fail now. A connection lost while it was being prepared (a server
        // still starting, say) is one more failed attempt.
        const transient = connection === undefined || ((error instanceof ConnectionError || error instanceof TimeoutError) && !(error instanceof RebindError));
        if (connection !== undefined) {
          const reason = error instanceof RebindError ? error : new RebindError(`could not restore the client's identity on ${server.name}; the connection was closed`, { cause: error });
          void connection.close(reason);
          if (!transient) throw reason;
        }
        this.servers.markFailed(server);
        const exhausted =
          attempts >= cycles * this.servers.size ||
          (reconnecting && this.policy !== undefined && (attempts >= this.policy.maxAttempts || Date.now() - started >= this.policy.maxTime));
        if (exhausted) throw this.exhausted(attempts, error);
        if (reconnecting && this.policy !== undefined) {
          const delay = backoffDelay(this.policy, attempts);
          this.hooks.emit({ type: 'reconnecting', attempt: attempts, delay, server: server.name, reason: toRxLdapError(error) });
          await sleep(delay, stop);
        }
        continue;
      }
      if (isStopped()) {
        void connection.close(stopped());
        throw stopped();
      }
      this.lastServer = server.name;
      this.everConnected = true;
      return { connection, server };
    }
  }

  private exhausted(attempts: number, last: unknown): unknown {
    // One server tried once: its own error says it best (refused, timed out, TLS).
    if (attempts === 1 && this.servers.size === 1 && !this.everConnected) return last;
    const names = this.servers.names.join(', ');
    return new ServerPoolExhaustedError(`no server could be reached after ${attempts} attempts (${names})`, attempts, last);
  }
}
