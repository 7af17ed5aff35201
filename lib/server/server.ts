import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import type { SecureContextOptions, Server as TlsServer } from 'node:tls';
import { rm } from 'node:fs/promises';
import { ConnectionError, parseDN } from './deps';
import { AccessControl, DEFAULT_ACCESS } from './access';
import type { AccessRule } from './access';
import type { ServerSettings } from './context';
import type { DirectoryStore } from './directory';
import type { DirectoryOptions, EntryInput } from './directory';
import { createDirectory, storeOf } from './directory-api';
import type { Directory } from './directory-api';
import { duplexPair } from './duplex-pair';
import { FaultInjector } from './faults';
import type { Faults } from './faults';
import { Session } from './session';
import { clientCertificates } from './tls-identity';

export interface StartDirectoryOptions extends DirectoryOptions {
  /** Entries to load, as objects. */
  entries?: readonly EntryInput[];
  /** Entries to load, as LDIF content records (after `entries`). */
  ldif?: string;
  /**
   * A directory to serve (createDirectory(), or another server's) instead of a new one: two
   * servers over one directory behave like two providers that replicate each other at once
   * (entries, ldif, suffix and schema options are then ignored).
   */
  directory?: Directory;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** TCP port (default 0: a free one); false for no TCP listener (in-process connections only). */
  port?: number | false;
  /** A Unix socket path to listen on as well (ldapi://). */
  ldapi?: string;
  /**
   * Key and certificate (node:tls options): StartTLS is offered and an ldaps:// listener started.
   * With `ca` too, clients may present a certificate signed by it and bind with SASL EXTERNAL as
   * its subject.
   */
  tls?: SecureContextOptions & { ldapsPort?: number };
  /** The DN that bypasses access control and limits (default `cn=admin,<first suffix>`). */
  rootDN?: string;
  /** Its password, cleartext or an RFC 2307 hash such as {SSHA}; without one the root DN cannot bind. */
  rootPassword?: string | Buffer;
  /** Access rules, tried in order (default DEFAULT_ACCESS: userPassword for binding only, the rest readable). */
  access?: readonly AccessRule[];
  /** Most entries a search returns to anyone but the root DN (default 0: no limit). */
  sizeLimit?: number;
  /** Most seconds a search may run for anyone but the root DN (default 0: no limit). */
  timeLimit?: number;
  /**
   * Whether anyone but the root DN may use the paged results control (default true); false
   * answers their paged searches adminLimitExceeded, as slapd with `limits users size.prtotal=disabled`.
   */
  userPaging?: boolean;
  /**
   * What a syncrepl refresh from a cookie the change log no longer covers gets: 'refreshRequired'
   * (default: e-syncRefreshRequired, 4096, and the consumer starts over) or 'present' (a present
   * phase, as slapd does).
   */
  staleCookie?: 'refreshRequired' | 'present';
  /**
   * Most changes a persistent search or a syncrepl persist stage may have waiting while its client
   * reads slower than the directory changes (default 10,000). Past it, a persistent search ends
   * with adminLimitExceeded and a syncrepl search with e-syncRefreshRequired (4096), so the
   * consumer refreshes from its cookie; either way the server's memory stays bounded.
   */
  maxPendingChanges?: number;
  /** Largest request PDU accepted (default 16 MiB); a larger one ends the connection. */
  maxPduSize?: number;
}

/** A running in-memory directory server. */
export interface DirectoryServer extends AsyncDisposable {
  /** `ldap://127.0.0.1:<port>` (or `ldap://in-process` without a TCP listener). */
  readonly url: string;
  readonly port: number | undefined;
  readonly ldapsUrl: string | undefined;
  readonly ldapiUrl: string | undefined;
  readonly rootDN: string;
  /** The data: read it, change it, snapshot it, share it with another server. */
  readonly directory: Directory;
  /** Faults to inject into this server's answers. */
  readonly faults: Faults;
  /** Connections open now. */
  readonly connections: number;
  /** An in-process connection with no socket, for `new Client({ url, connect: () => server.connect() })`. */
  connect(): Promise<Duplex>;
  /** Stops listening and drops every connection (the data stays); listen() starts again on the same ports. */
  close(): Promise<void>;
  listen(): Promise<void>;
}

const DEFAULT_MAX_PDU = 16 * 1024 * 1024;

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`startDirectory: ${name} must be a positive integer, not ${String(value)}`);
  return value;
};

/**
 * Starts an in-memory LDAP directory: `const server = await startDirectory({ ldif, rootPassword: 'secret' })`,
 * then any LDAP client at `server.url`, or an rxldap Client in-process through `server.connect()`.
 */
export const startDirectory = async (options: StartDirectoryOptions = {}): Promise<DirectoryServer> => {
  const directory = options.directory ?? await createDirectory({ ...options, ...(options.loadedBy === undefined && options.rootDN !== undefined ? { loadedBy: options.rootDN } : {}) });
  const server = new RunningDirectory(directory, storeOf(directory), options);
  await server.listen();
  return server;
};

class RunningDirectory implements DirectoryServer {
  readonly faults = new FaultInjector();
  readonly rootDN: string;
  private readonly settings: ServerSettings;
  private readonly sessions = new Set<Session>();
  private tcp: Server | undefined;
  private tls: TlsServer | undefined;
  private unix: Server | undefined;
  private tcpPort: number | undefined;
  private tlsPort: number | undefined;
  private listening = false;

  constructor(
    readonly directory: Directory,
    store: DirectoryStore,
    private readonly options: StartDirectoryOptions,
  ) {
    const suffix = store.suffixes[0]?.toString() ?? 'dc=example,dc=com';
    this.rootDN = options.rootDN ?? `cn=admin,${suffix}`;
    const password = options.rootPassword;
    this.settings = {
      directory: store,
      access: new AccessControl(options.access ?? DEFAULT_ACCESS, store.schema),
      rootDN: parseDN(this.rootDN),
      rootPassword: password === undefined ? undefined : typeof password === 'string' ? Buffer.from(password, 'utf8') : password,
      sizeLimit: options.sizeLimit ?? 0,
      timeLimit: options.timeLimit ?? 0,
      userPaging: options.userPaging ?? true,
      staleCookie: options.staleCookie ?? 'refreshRequired',
      maxPendingChanges: positiveInteger('maxPendingChanges', options.maxPendingChanges ?? 10_000),
      tls: options.tls,
      maxPduSize: options.maxPduSize ?? DEFAULT_MAX_PDU,
      faults: this.faults,
    };
    this.tcpPort = options.port === false ? undefined : options.port;
    this.tlsPort = options.tls?.ldapsPort;
    this.faults.onRefuse = (refuse) => (refuse ? this.stopListening() : this.startListening());
  }

  get url(): string {
    return this.tcpPort === undefined ? 'ldap://in-process' : `ldap://${this.host}:${this.tcpPort}`;
  }

  get port(): number | undefined {
    return this.tcpPort;
  }

  get ldapsUrl(): string | undefined {
    return this.tlsPort === undefined || this.options.tls === undefined ? undefined : `ldaps://${this.host}:${this.tlsPort}`;
  }

  get ldapiUrl(): string | undefined {
    return this.options.ldapi === undefined ? undefined : `ldapi://${encodeURIComponent(this.options.ldapi)}`;
  }

  get connections(): number {
    return this.sessions.size;
  }

  private get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  async connect(): Promise<Duplex> {
    if (!this.listening || this.faults.refusingConnections) throw new ConnectionError('connection refused: the in-memory directory is not accepting connections');
    const [client, server] = duplexPair();
    this.accept(server, false);
    return client;
  }

  async listen(): Promise<void> {
    this.listening = true;
    if (!this.faults.refusingConnections) await this.startListening();
  }

  async close(): Promise<void> {
    this.listening = false;
    await this.stopListening();
    for (const session of [...this.sessions]) session.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private accept(socket: Duplex, secure: boolean): void {
    const session = new Session(socket, this.settings, { secure }, (closed) => this.sessions.delete(closed));
    this.sessions.add(session);
  }

  private async startListening(): Promise<void> {
    if (!this.listening) return;
    const onSocket = (secure: boolean) => (socket: Socket): void => {
      socket.setNoDelay(true);
      this.accept(socket, secure);
    };
    if (this.options.port !== false && this.tcp === undefined) {
      this.tcp = createServer(onSocket(false));
      this.tcpPort = await listenOn(this.tcp, this.tcpPort ?? 0, this.host);
    }
    if (this.options.tls !== undefined && this.tls === undefined) {
      this.tls = createTlsServer({ ...this.options.tls, ...clientCertificates(this.options.tls) }, onSocket(true));
      this.tlsPort = await listenOn(this.tls, this.tlsPort ?? 0, this.host);
    }
    if (this.options.ldapi !== undefined && this.unix === undefined) {
      await rm(this.options.ldapi, { force: true });
      const unix = createServer(onSocket(false));
      this.unix = unix;
      await new Promise<void>((resolve, reject) => {
        unix.once('error', reject);
        unix.listen(this.options.ldapi, () => resolve());
      });
    }
  }

  /**
   * Closes the listeners: new connections are refused at once. Not waiting for 'close', which
   * comes only once every open connection has ended; one more turn lets the handles go, so that
   * listen() can bind the same ports again.
   */
  private async stopListening(): Promise<void> {
    const servers = [this.tcp, this.tls, this.unix].filter((server): server is Server => server !== undefined);
    this.tcp = undefined;
    this.tls = undefined;
    this.unix = undefined;
    for (const server of servers) server.close();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Listens and resolves with the port (a fresh one for 0). */
const listenOn = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
