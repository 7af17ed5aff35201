import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { parseLdapUrl } from '../transport/ldap-url';
import type { LdapUrl } from '../transport/ldap-url';

/** One directory server a client may use, with TLS options of its own (each server may have its own CA). */
export interface ServerOptions {
  url: string;
  tls?: TlsOptions;
}

/** How the next server is chosen (ldap3's pooling strategies): always from the first, in turn, or at random. */
export type ServerStrategy = 'first' | 'roundRobin' | 'random';

/** A server as the client keeps it: its parsed URL, options, and when it may be tried again after failing. */
export interface ServerEntry {
  readonly name: string;
  readonly url: LdapUrl;
  readonly tls: TlsOptions | undefined;
  /** Epoch ms before which a server that failed is skipped (`exhaust`); 0 when it is fine. */
  skipUntil: number;
  /** It failed and has not been reached since: a health check decides when it is back. */
  failed: boolean;
}

/**
 * The client's servers (a single URL is a list of one) and the order to try them in. A server
 * that failed is skipped for `exhaustMs` (then tried again); when every server is skipped,
 * the one whose skip ends first is tried rather than none.
 */
export class ServerSet {
  private readonly entries: ServerEntry[] = [];
  private cursor = 0;

  constructor(
    servers: ReadonlyArray<string | ServerOptions>,
    private readonly strategy: ServerStrategy,
    private readonly exhaustMs: number,
    private readonly random: () => number = Math.random,
  ) {
    for (const server of servers) this.add(server);
  }

  get size(): number {
    return this.entries.length;
  }

  get names(): string[] {
    return this.entries.map((entry) => entry.name);
  }

  add(server: string | ServerOptions): ServerEntry {
    const options = typeof server === 'string' ? { url: server } : server;
    const url = parseLdapUrl(options.url);
    const entry: ServerEntry = { name: describeUrl(url), url, tls: options.tls, skipUntil: 0, failed: false };
    this.entries.push(entry);
    return entry;
  }

  /** Removes a server by its URL; true when it was in the list. */
  remove(url: string): boolean {
    const name = describeUrl(parseLdapUrl(url));
    const index = this.entries.findIndex((entry) => entry.name === name);
    if (index === -1) return false;
    this.entries.splice(index, 1);
    if (this.cursor > index) this.cursor--;
    return true;
  }

  /**
   * The server to try next, by the strategy: one not yet `tried` in this pass, and among those one
   * not exhausted when there is one.
   */
  next(now = Date.now(), tried: ReadonlySet<ServerEntry> = new Set()): ServerEntry {
    if (this.entries.length === 0) throw new RangeError('the client has no servers');
    // Within one pass, each server is tried once before any is tried again.
    const untried = this.order().filter((entry) => !tried.has(entry));
    const order = untried.length > 0 ? untried : this.order();
    const ready = order.find((entry) => entry.skipUntil <= now);
    const chosen = ready ?? order.reduce((soonest, entry) => (entry.skipUntil < soonest.skipUntil ? entry : soonest));
    if (this.strategy === 'roundRobin') this.cursor = (this.entries.indexOf(chosen) + 1) % this.entries.length;
    return chosen;
  }

  markFailed(entry: ServerEntry, now = Date.now()): void {
    entry.failed = true;
    entry.skipUntil = now + this.exhaustMs;
  }

  markReached(entry: ServerEntry): void {
    entry.failed = false;
    entry.skipUntil = 0;
  }

  private order(): ServerEntry[] {
    if (this.strategy === 'first') return this.entries;
    if (this.strategy === 'roundRobin') return [...this.entries.slice(this.cursor), ...this.entries.slice(0, this.cursor)];
    const shuffled = [...this.entries];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const a = shuffled[i];
      const b = shuffled[j];
      if (a !== undefined && b !== undefined) {
        shuffled[i] = b;
        shuffled[j] = a;
      }
    }
    return shuffled;
  }
}

/** A server's name for events and errors: scheme, host and port (or the ldapi path), never extensions. */
export const describeUrl = (url: LdapUrl): string =>
  url.scheme === 'ldapi' ? `ldapi://${encodeURIComponent(url.socketPath ?? '')}` : `${url.scheme}://${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}`;
