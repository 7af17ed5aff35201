import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { Socket as NetSocket } from 'node:net';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';
import { Connection } from '../connection/connection';
import type { ConnectionOptions, ConnectionState } from '../connection/connection';
import type { CleartextCredentialsPolicy } from '../connection/transport-security';
import { checkCoalesceReadsMs } from '../connection/read-coalescing';
import { CleartextCredentialsError, ConnectionError, LdapError, ProtocolError, RebindError, ResultCode, RxLdapError } from '../errors';
import { isRead, retryOnceAfterLoss, waitForConnection } from './connection-wait';
import { redactedOptions } from './redaction';
import { Observable, Subject } from '../util/rxjs';
import { exchange } from '../operations/exchange';
import type { ExchangeOptions } from '../operations/exchange';
import { exchangeOptionsOf, withDefaultTimeout } from '../operations/exchange-options';
import { Operation, settleLast } from '../operations/operation';
import { afterPromise, deferred, failing } from '../operations/observables';
import type { FlowControl } from '../operations/operation';
import { errorFromResult } from '../protocol/error-from-result';
import { ExtendedOid } from '../protocol/extended/oids';
import { whoAmICodec } from '../protocol/extended/who-am-i';
import { passwordModifyCodec, passwordModifyRequest } from '../protocol/extended/password-modify';
import type { PasswordModifyOptions } from '../protocol/extended/password-modify';
import { cancelRequest } from '../protocol/extended/cancel';
import type { BindResponse, ExtendedResponse, LdapMessage, RequestOp } from '../protocol/types';
import type { SearchEntry, SearchReference } from '../search/entry';
import type { SearchOptions } from '../search/search-request';
import { search } from '../search/search';
import type { SearchItem } from '../search/search';
import { outcomeOf } from '../operations/outcome';
import type { LdapOutcome } from '../operations/outcome';
import type { DN } from '../dn/dn';
import type { SearchChannel } from '../search/channel';
import { pagedSearch } from '../search/paged-search';
import type { PagedSearch, PagedSearchOptions } from '../search/paged-search';
import { persistentSearch } from '../search/persistent-search';
import type { ChangeEvent, PersistentSearchOptions, PersistentSearchResumedEvent } from '../search/persistent-search';
import { syncrepl } from '../search/syncrepl';
import type { SyncreplOptions } from '../search/syncrepl';
import type { SyncEvent } from '../search/syncrepl-events';
import type { LdapUrl } from '../transport/ldap-url';
import { openSocket, upgradeToTls } from '../transport/socket';
import type { OpenSocketOptions } from '../transport/socket';
import { toAttributes, toChanges } from './attributes';
import type { ValueEncoder } from './attributes';
import { checkSaslMechanism, explainRefusedControl, readRootDSE, readSchema } from './directory-model';
import type { ReadSchemaOptions } from './directory-model';
import type { RootDSE } from '../schema/root-dse';
import type { Schema } from '../schema/schema';
import { encodeUntyped, ValueTyping } from '../schema/value-typing';
import type { Formatters } from '../schema/value-typing';
import { checkRequestNames } from '../schema/check-names';
import type { Control } from '../protocol/controls/types';
import type { AttributeInput, ModificationInput } from './attributes';
import { expectResponse, requireSuccess } from './results';
import { createSaslMechanism } from './sasl';
import type { SaslCredentials, SaslMechanism, SaslMechanismName } from './sasl';
import type { BoundIdentity, ClientEvent } from './events';
import { reconnectPolicy } from './backoff';
import type { ReconnectOptions } from './backoff';
import { Connector } from './connector';
import { ServerSet } from './servers';
import type { ServerEntry, ServerOptions, ServerStrategy } from './servers';
import { Telemetry } from './telemetry';
import type { Logger, LogLevel } from './logging';
import type { ClientMetrics } from './metrics';

/** A DN as text or as a parsed DN (from parseDN() or the dn template). */
export type DNInput = string | DN;
const dnText = (dn: DNInput): string => (typeof dn === 'string' ? dn : dn.toString());

export type { BoundIdentity } from './events';

const isSearchDone = (message: LdapMessage): boolean => message.protocolOp.type === 'searchResDone';
const isFinalResponse = (message: LdapMessage): boolean => message.protocolOp.type !== 'intermediateResponse';

/** A silent host would otherwise keep a connect waiting for the OS's TCP timeout (minutes). */
const DEFAULT_CONNECT_TIMEOUT = 10_000;
/** First keepalive probe after a minute of silence: cheap, and well inside NAT idle timeouts. */
const DEFAULT_KEEP_ALIVE = 60_000;

export interface ClientOptions {
  /** ldap://host:port, ldaps://host:port or ldapi://%2Fpath%2Fto%2Fsocket (or `servers`) */
  url?: string;
  /**
   * Several servers (each a URL, or `{ url, tls }` with TLS options of its own), tried in the
   * order `serverStrategy` says. With `url` too, `url` is the first.
   */
  servers?: ReadonlyArray<string | ServerOptions>;
  /** 'first' (default: always from the first that is not exhausted), 'roundRobin' or 'random'. */
  serverStrategy?: ServerStrategy;
  /**
   * How many full passes over the servers one connect may make: true (default) one pass for a
   * first connect and as many as `reconnect` allows after a loss; a number, that many passes,
   * then ServerPoolExhaustedError.
   */
  active?: boolean | number;
  /** Seconds a server that failed is skipped before it is tried again (default 30). */
  exhaust?: number;
  /**
   * A server that failed counts as back only once a root DSE read on a fresh connection
   * answers success (default false: a connection is enough). A server that accepts connections
   * but cannot serve (starting, busy, read-only replica catching up) is then skipped.
   */
  healthCheck?: boolean;
  /**
   * Reconnection after a lost connection (default on: backoff from 100 ms to 10 s with 20 %
   * jitter, for up to 60 s per outage). The new connection is made the same identity before any
   * waiting operation goes out (StartTLS and the bind are redone); `false` turns it off.
   */
  reconnect?: boolean | ReconnectOptions;
  /** Default per-operation timeout in milliseconds (0 or absent: none). */
  timeout?: number;
  /** Milliseconds to connect, including a TLS handshake (ldaps or StartTLS); default 10,000. */
  connectTimeout?: number;
  /** node:tls options for ldaps:// and StartTLS (e.g. `{ ca }`); certificates are verified by default. */
  tls?: TlsOptions;
  /** Largest PDU accepted from the server (default 16 MiB). */
  maxPduSize?: number;
  /**
   * Milliseconds of silence on the connection before TCP keepalive probes start (default
   * 60,000; 0 turns keepalive off). Without it, a persistent search or syncrepl whose server
   * vanished without closing the connection would wait forever.
   */
  keepAlive?: number;
  /**
   * While a search streams its entries, wait up to this many milliseconds before each next
   * socket read, so one read takes many entries instead of one (default 1; 0 reads at once; at
   * most 10, else RangeError). It halves a large search's time on loopback. Reads are never held
   * while a non-search operation waits, nor after a turn that ended an operation.
   */
  coalesceReadsMs?: number;
  /**
   * Where a password (simple bind) or SASL PLAIN credentials may be sent unencrypted:
   * 'loopback' (default) allows ldapi and TCP to 127.0.0.0/8 or ::1 besides TLS; false allows
   * only TLS and ldapi; true allows any connection (explicit opt-in, for a trusted network).
   * Refused credentials fail the bind with CleartextCredentialsError before anything is sent.
   */
  allowCleartextCredentials?: CleartextCredentialsPolicy;
  /**
   * Where log lines go: a function `(level, message, fields)` or a logger with level methods
   * (console, pino). No line ever holds a password, SASL credential, TLS key or attribute value.
   */
  logger?: Logger;
  /** How much is logged: 'error', 'basic' (default), 'protocol' or 'network' (see LogLevel). */
  logLevel?: LogLevel;
  /** Client.metrics$ emits at most once per this many milliseconds while counts change (default 1,000). */
  metricsInterval?: number;
  /**
   * A schema to use from the start (an offline snapshot, or one read before): entries' typed
   * accessors (`entry.value()`) type values by it, and writes encode numbers, booleans, Dates…
   * by the attribute's syntax. `client.useSchema(await client.schema())` uses the server's own.
   */
  schema?: Schema;
  /** Custom formatters by attribute name or OID, or by syntax OID, ahead of the standard ones (ldap3's order). */
  formatters?: Formatters;
  /**
   * With a schema in use, check the attribute descriptions and object classes of filters,
   * attribute lists, adds, modifies and compares before the request is sent: an unknown name
   * fails the operation with UnknownSchemaNameError, which suggests the nearest known one
   * (default false). Without a schema it does nothing.
   */
  checkNames?: boolean;
  /**
   * Opens each connection's byte stream instead of a socket to the server's URL: an in-process
   * server with no socket at all (`connect: () => server.connect()` with rxldap/server), a
   * tunnel, a test double. Called with the URL of the server being tried, for every new
   * connection (reconnects too); `tls`, `connectTimeout` and `keepAlive` do not apply to what it
   * returns. A stream that is not a net.Socket counts as local for `allowCleartextCredentials`.
   */
  connect?: (url: LdapUrl) => Duplex | Promise<Duplex>;
}

/** How the client authenticated, to do it again on a new connection (never shown or logged). */
/**
 * Result codes of a rebind that say the remembered credentials will not be accepted again (RFC
 * 4511 Appendix A; unwillingToPerform is what slapd's ppolicy answers for a locked account).
 */
const CREDENTIALS_REFUSED: ReadonlySet<number> = new Set([
  ResultCode.authMethodNotSupported,
  ResultCode.strongerAuthRequired,
  ResultCode.confidentialityRequired,
  ResultCode.inappropriateAuthentication,
  ResultCode.invalidCredentials,
  ResultCode.insufficientAccessRights,
  ResultCode.unwillingToPerform,
]);

type RememberedAuth =
  | { readonly kind: 'simple'; readonly dn: string; readonly password: Buffer }
  | { readonly kind: 'sasl'; readonly mechanism: () => SaslMechanism; readonly credentials: SaslCredentials; readonly identity: BoundIdentity }
  | { readonly kind: 'unreplayable'; readonly mechanism: string }
  /**
   * The server refused the remembered identity on a new connection (a changed password, say).
   * New connections stay unbound, and every operation but a bind fails with `reason` until the
   * application binds again: never anonymous in its place, and never stuck on the old password.
   */
  | { readonly kind: 'refused'; readonly reason: RebindError };


export interface OperationOptions extends ExchangeOptions {}

export interface ModifyDNOptions extends OperationOptions {
  /** Remove the old RDN's values from the entry (default true, as ldapmodrdn -r). */
  deleteOldRdn?: boolean;
  newSuperior?: string | DN;
}

export interface PasswordModifyInput {
  userIdentity?: string;
  oldPassword?: string | Buffer;
  newPassword?: string | Buffer;
}

/**
 * The user-facing LDAP client: one method per operation, each returning an Operation (a cold
 * Observable that is also awaitable, and async-iterable for searches). The connection opens on
 * the first operation (or connect()); bind state belongs to that connection.
 */
export class Client {
  // ES private fields, not TypeScript's `private`: a spread, Object.entries or
  // inspect({ customInspect: false }) must not reach the TLS keys or the socket's buffers.
  #connecting: Promise<Connection> | undefined;
  #connection: Connection | undefined;
  readonly #options: ClientOptions;
  readonly #telemetry: Telemetry;
  #bound: { connection: Connection; identity: BoundIdentity } | undefined;
  readonly #servers: ServerSet;
  readonly #connector: Connector;
  /** The server of the current (or last) connection. */
  #server: ServerEntry | undefined;
  /** What a new connection must redo before carrying anything: the bind, and StartTLS before it. */
  #auth: RememberedAuth | undefined;
  #startTLS: TlsOptions | undefined;
  /** Stops the connect under way (its backoff too) when the client is unbound or destroyed. */
  #stopConnecting: AbortController | undefined;
  /** The schema in use (with the formatters), for typed values, value encoding and checkNames. */
  #typing: ValueTyping | undefined;
  /** Root DSEs read so far, by server name: what the client knows about each server's abilities. */
  readonly #rootDSEs = new Map<string, RootDSE>();
  /** Connections the client itself is closing: their end is no surprise. */
  readonly #closing = new WeakSet<Connection>();
  private readonly notificationSubject = new Subject<LdapMessage>();
  private readonly eventSubject = new Subject<ClientEvent>();
  /** The client's life as typed events: connected, bound, disconnected, reconnecting, failover, unavailable. */
  readonly events: Observable<ClientEvent> = this.eventSubject.asObservable();
  /** Unsolicited notifications (messageID 0) of the current connection. */
  readonly notifications: Observable<LdapMessage> = this.notificationSubject.asObservable();
  private readonly flow: FlowControl = {
    pause: () => this.#connection?.pause(),
    resume: () => this.#connection?.resume(),
  };

  /** The client as the search family sees it (paged, persistent and syncrepl searches). */
  private readonly channel: SearchChannel = {
    search: (request, options) => deferred(() => this.exchangeOnConnection(request, isSearchDone, this.exchangeOptions(options))),
    flow: this.flow,
    session: () => this.pinnedChannel(),
    typing: () => this.#typing,
    explainError: (error, controls) => this.explainError(error, controls),
  };

  /** A SearchChannel pinned to the connection its first search uses (see SearchChannel.session). */
  private pinnedChannel(): SearchChannel {
    let pinned: Connection | undefined;
    return {
      search: (request, options) =>
        deferred(() => {
          const exchangeOptions = this.exchangeOptions(options);
          const connection = pinned;
          if (connection === undefined) return this.exchangeOnConnection(request, isSearchDone, exchangeOptions, (used) => (pinned ??= used));
          if (connection.isClosed) return failing(() => connection.closeReason ?? new ConnectionError('the connection of this search has closed'));
          return exchange(connection, request, isSearchDone, exchangeOptions);
        }),
      flow: this.flow,
      session: () => this.pinnedChannel(),
      typing: () => this.#typing,
      explainError: (error, controls) => this.explainError(error, controls),
    };
  }

  constructor(options: ClientOptions) {
    this.#options = options;
    // A bad value must fail here, not at the first operation's connect.
    if (options.coalesceReadsMs !== undefined) checkCoalesceReadsMs(options.coalesceReadsMs);
    const servers = [...(options.url === undefined ? [] : [options.url]), ...(options.servers ?? [])].map((server) => {
      const entry = typeof server === 'string' ? { url: server } : server;
      return entry.tls === undefined && options.tls !== undefined ? { ...entry, tls: options.tls } : entry;
    });
    if (servers.length === 0) throw new TypeError('a Client needs a url or a list of servers');
    if (options.exhaust !== undefined && !(options.exhaust >= 0)) throw new RangeError(`exhaust must be a number of seconds ≥ 0, got ${options.exhaust}`);
    this.#servers = new ServerSet(servers, options.serverStrategy ?? 'first', (options.exhaust ?? 30) * 1000);
    this.#connector = new Connector(this.#servers, reconnectPolicy(options.reconnect), options.active ?? true, {
      open: (server) => this.openStream(server).then((socket) => new Connection(socket, this.connectionOptions())),
      prepare: (connection, server) => this.restoreIdentity(connection, server),
      ...(options.healthCheck === true ? { check: (connection: Connection, server: ServerEntry) => this.checkHealth(connection, server) } : {}),
      emit: (event) => this.eventSubject.next(event),
    });
    this.#telemetry = new Telemetry(options);
    this.events.subscribe((event) => this.#telemetry.event(event));
    if (options.schema !== undefined) this.useSchema(options.schema);
  }

  /**
   * The root DSE (RFC 4512 §5.1) of the server the client is connected to: naming contexts,
   * supported versions, controls, extensions, features and SASL mechanisms, vendor, where the
   * schema is. The client keeps the last one read per server: a critical control the server
   * refuses is then named in the error when the root DSE does not list it, and saslBind() with
   * a mechanism it does not offer fails before sending anything.
   */
  rootDSE(options: OperationOptions = {}): Operation<RootDSE, RootDSE> {
    return readRootDSE((base, search) => this.search(base, { ...options, ...search }), {}, (dse) => {
      const server = this.#server;
      if (server !== undefined) this.#rootDSEs.set(server.name, dse);
    });
  }

  /**
   * The server's schema, read from its subschema subentry (the root DSE's subschemaSubentry,
   * or `options.base`) and parsed (RFC 4512). Reading does not put it in use: pass it to
   * useSchema() (or the `schema` option) for typed values and checkNames.
   */
  schema(options: OperationOptions & ReadSchemaOptions = {}): Operation<Schema, Schema> {
    const { base, strict, source, ...operationOptions } = options;
    const schemaOptions: ReadSchemaOptions = { ...(base === undefined ? {} : { base }), ...(strict === undefined ? {} : { strict }), ...(source === undefined ? {} : { source }) };
    return readSchema((searchBase, search) => this.search(searchBase, { ...operationOptions, ...search }), {}, schemaOptions, () => Promise.resolve(this.rootDSE(operationOptions)));
  }

  /** Puts a schema in use (or none: undefined) for entries' typed values, write encoding and checkNames. */
  useSchema(schema: Schema | undefined, formatters: Formatters | undefined = this.#options.formatters): void {
    this.#typing = schema === undefined ? undefined : new ValueTyping(schema, formatters);
  }

  /** The schema in use, if any. */
  get schemaInUse(): Schema | undefined {
    return this.#typing?.schema;
  }

  /** The root DSE last read from the current server (by rootDSE()), if any. */
  get serverInfo(): RootDSE | undefined {
    const server = this.#server;
    return server === undefined ? undefined : this.#rootDSEs.get(server.name);
  }

  private explainError(error: Error, controls: readonly Control[] | undefined): Error {
    return explainRefusedControl(error, controls, this.serverInfo);
  }

  /** How a write's values become bytes: by the schema in use, else the default encoding. */
  private get encoder(): ValueEncoder {
    const typing = this.#typing;
    return typing === undefined ? encodeUntyped : (attribute, value) => typing.encode(attribute, value);
  }

  /** The URL of the current server (the first of the list before any connection). */
  get url(): LdapUrl {
    return (this.#server ?? this.#servers.next()).url;
  }

  /** The servers' names (scheme, host and port), in list order. */
  get servers(): string[] {
    return this.#servers.names;
  }

  /** Adds a server to the list at run time. */
  addServer(server: string | ServerOptions): void {
    this.#servers.add(typeof server === 'string' && this.#options.tls !== undefined ? { url: server, tls: this.#options.tls } : server);
  }

  /** Removes a server from the list (by URL); the current connection, if it is to that server, stays until it ends. */
  removeServer(url: string): boolean {
    return this.#servers.remove(url);
  }

  /** The health check of a server that had failed: a root DSE base search must answer success. */
  private async checkHealth(connection: Connection, server: ServerEntry): Promise<void> {
    const timeout = this.#options.timeout ?? this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const rootDSE: RequestOp = {
      type: 'searchRequest', baseObject: '', scope: 'baseObject', derefAliases: 'neverDerefAliases', sizeLimit: 0, timeLimit: 0, typesOnly: false,
      filter: { type: 'present', attribute: 'objectClass' }, attributes: ['1.1'],
    };
    const done = await settleLast(exchange(connection, rootDSE, isSearchDone, { timeout }));
    const op = done.protocolOp;
    if (op.type !== 'searchResDone' || op.resultCode !== ResultCode.success) {
      throw new ConnectionError(`${server.name} is not back yet: its root DSE read answered ${op.type === 'searchResDone' ? `result ${op.resultCode}` : op.type}`);
    }
  }

  /**
   * Makes a new connection what the client had: StartTLS again if the client had upgraded (with
   * that server's TLS options), then the same bind. Runs before the connection is handed to any
   * operation, so nothing waiting can go out under another identity.
   */
  private async restoreIdentity(connection: Connection, server: ServerEntry): Promise<void> {
    const tls = this.#startTLS;
    if (tls !== undefined && connection.transportSecurity !== 'tls') {
      const connectTimeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
      await connection.startTLS((plain) => upgradeToTls(plain as NetSocket, server.url.host, { tls: server.tls ?? tls, connectTimeout }), connectTimeout);
    }
    const auth = this.#auth;
    if (auth === undefined || auth.kind === 'refused') return;
    if (auth.kind === 'unreplayable') {
      throw this.identityRefused(auth, new RebindError(`the client was bound with a SASL ${auth.mechanism} mechanism object, which cannot be run again; pass the mechanism by name, or a factory, to saslBind() to let the client rebind`));
    }
    // Bounded like the connect it is part of: a server that accepts and never answers must not
    // hold the connector (and every operation waiting for it) forever.
    const connectTimeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const exchangeOptions = this.exchangeOptions(this.#options.timeout === undefined && connectTimeout > 0 ? { timeout: connectTimeout } : {});
    try {
      if (auth.kind === 'simple') {
        const response = await settleLast(exchange(connection, { type: 'bindRequest', version: 3, name: auth.dn, authentication: { type: 'simple', simple: auth.password } }, isFinalResponse, exchangeOptions));
        requireSuccess(expectResponse(response, 'bindResponse'), response.messageId, response.controls);
        this.#bound = { connection, identity: { method: 'simple', dn: auth.dn } };
      } else {
        await this.saslRounds(connection, auth.mechanism(), exchangeOptions, { stopped: false });
        this.#bound = { connection, identity: auth.identity };
      }
    } catch (error) {
      // A refusal of the credentials is the server's answer, and it will give it again: the old
      // identity is gone. A busy or unavailable server, a limit, a connection lost meanwhile are
      // not: the identity is kept and tried again on the next connection.
      if (error instanceof LdapError && CREDENTIALS_REFUSED.has(error.code)) {
        throw this.identityRefused(auth, new RebindError(`the server refused the client's identity on a new connection: ${error.message}; bind again`, { cause: error }));
      }
      throw error;
    }
    this.eventSubject.next({ type: 'bound', server: server.name, identity: this.#bound.identity, rebind: true });
  }

  /**
   * Forgets the remembered identity (wiping a password) for a refusal that every operation but a
   * bind now gets; unless the client has changed identity meanwhile (unbind(), a new bind), which
   * stands.
   */
  private identityRefused(refused: RememberedAuth, reason: RebindError): RebindError {
    if (this.#auth !== refused) return reason;
    if (refused.kind === 'simple') refused.password.fill(0);
    this.#auth = { kind: 'refused', reason };
    return reason;
  }

  private connectionOptions(): ConnectionOptions {
    const { maxPduSize, coalesceReadsMs, allowCleartextCredentials } = this.#options;
    return {
      ...(maxPduSize === undefined ? {} : { maxPduSize }),
      ...(coalesceReadsMs === undefined ? {} : { coalesceReadsMs }),
      ...(allowCleartextCredentials === undefined ? {} : { allowCleartextCredentials }),
      observer: this.#telemetry.observer,
    };
  }

  /**
   * What util.inspect shows (at any depth): the URL, the connection's state and the options,
   * with TLS keys and passphrases redacted; never the socket, whose buffers may hold a bind's
   * bytes, nor a credential.
   */
  [inspect.custom](_depth: number, inspectOptions: object): string {
    return `Client ${inspect(this.toJSON(), { ...inspectOptions, depth: 4 })}`;
  }

  /** A JSON view with the same redactions as util.inspect. */
  toJSON(): { url: string; state: string; options: Record<string, unknown> } {
    return { url: (this.#server ?? this.#servers.next()).name, state: this.state, options: redactedOptions(this.#options, this.#servers.names) };
  }

  /** Opens the connection now (operations do it on demand). */
  connect(): Promise<void> {
    return this.connected().then(() => undefined);
  }

  private connected(): Promise<Connection> {
    if (this.#connection !== undefined && !this.#connection.isClosed) return Promise.resolve(this.#connection);
    if (this.#connecting === undefined) this.#stopConnecting = new AbortController();
    this.#connecting ??= this.#connector.establish(this.#stopConnecting?.signal).then(
      ({ connection, server }) => {
        connection.notifications.subscribe((message) => this.notificationSubject.next(message));
        connection.closed$.subscribe((reason) => this.eventSubject.next({ type: 'disconnected', server: server.name, reason, expected: this.#closing.has(connection) }));
        this.#connection = connection;
        this.#server = server;
        this.#connecting = undefined;
        return connection;
      },
      (error: unknown) => {
        this.#connecting = undefined;
        if (error instanceof RxLdapError) this.eventSubject.next({ type: 'unavailable', reason: error });
        throw error;
      },
    );
    return this.#connecting;
  }

  /**
   * The exchange on the open connection at once; connects first only when there is none. While
   * the client connects (or reconnects and rebinds), the operation waits, bounded by its own
   * timeout, deadline and signal. A read marked `retry` that lost its connection before any
   * response is sent again once the client has reconnected (never a write).
   */
  private exchangeOnConnection(
    protocolOp: RequestOp,
    isFinal: (message: LdapMessage) => boolean,
    options: ExchangeOptions,
    onConnection?: (connection: Connection) => void,
  ): Observable<LdapMessage> {
    const auth = this.#auth;
    if (auth?.kind === 'refused' && protocolOp.type !== 'bindRequest') return failing(() => auth.reason);
    const typing = this.#typing;
    if (this.#options.checkNames === true && typing !== undefined) {
      try {
        checkRequestNames(typing.schema, protocolOp);
      } catch (error) {
        return failing(() => error);
      }
    }
    const once = (): Observable<LdapMessage> => {
      const open = this.#connection;
      if (open !== undefined && !open.isClosed) {
        onConnection?.(open);
        return exchange(open, protocolOp, isFinal, options);
      }
      return afterPromise(
        () => waitForConnection(this.connected(), options, protocolOp.type),
        (connection) => {
          onConnection?.(connection);
          return exchange(connection, protocolOp, isFinal, options);
        },
      );
    };
    if (options.retry !== true || !isRead(protocolOp)) return once();
    return retryOnceAfterLoss(once);
  }

  /** The byte stream of a new connection: the `connect` option's, or a socket to the server's URL. */
  private async openStream(server: ServerEntry): Promise<Duplex> {
    const connect = this.#options.connect;
    if (connect === undefined) return openSocket(server.url, this.socketOptions(server));
    try {
      return await connect(server.url);
    } catch (error) {
      if (error instanceof ConnectionError) throw error;
      throw new ConnectionError(`cannot connect to ${server.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private socketOptions(server: ServerEntry): OpenSocketOptions {
    const options: OpenSocketOptions = {};
    if (server.tls !== undefined) options.tls = server.tls;
    options.connectTimeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    options.keepAlive = this.#options.keepAlive ?? DEFAULT_KEEP_ALIVE;
    return options;
  }

  private exchangeOptions(options: ExchangeOptions = {}): ExchangeOptions {
    return withDefaultTimeout(options, this.#options.timeout);
  }

  /**
   * A one-response operation: `request()` builds the request when the operation runs (so a bad
   * argument fails the Operation instead of throwing), and `project` turns the response into
   * the result (or throws its error). IntermediateResponses before it are skipped.
   */
  private oneShot<R>(request: () => RequestOp, options: ExchangeOptions | undefined, project: (response: LdapMessage) => R): Operation<R, R> {
    return new Operation<R, R>(
      (subscriber, _demand, reportOutcome) => {
        let protocolOp: RequestOp;
        let exchangeOptions: ExchangeOptions;
        try {
          protocolOp = request();
          exchangeOptions = this.exchangeOptions(options);
        } catch (error) {
          subscriber.error(error);
          return undefined;
        }
        return this.exchangeOnConnection(protocolOp, isFinalResponse, exchangeOptions).subscribe({
          next: (message) => {
            // RFC 4511 §4.13: an IntermediateResponse may precede the final response; it is not the result.
            if (message.protocolOp.type === 'intermediateResponse') return;
            const outcome = outcomeOf(message);
            let result: R;
            try {
              result = project(message);
            } catch (error) {
              subscriber.error(error instanceof Error ? this.explainError(error, exchangeOptions.controls) : error);
              return;
            }
            if (outcome !== undefined) reportOutcome(outcome);
            subscriber.next(result);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      },
      { settle: settleLast },
    );
  }

  /** Remembers who the current connection is bound as, for `boundAs`, until it closes. */
  private markBound(identity: BoundIdentity | undefined): void {
    const connection = this.#connection;
    this.#bound = identity === undefined || connection === undefined ? undefined : { connection, identity };
    if (this.#bound !== undefined && this.#server !== undefined) this.eventSubject.next({ type: 'bound', server: this.#server.name, identity, rebind: false });
  }

  /**
   * Simple bind (RFC 4513 §5.1). A DN with an empty password would be an "unauthenticated" bind
   * that many servers accept as anonymous (RFC 4513 §6.3.1): it is refused before anything is
   * sent, as a failed Operation like any other refusal. The password is sent only where the
   * cleartext policy allows (see ClientOptions.allowCleartextCredentials).
   */
  bind(dn: DNInput, password: string | Buffer, options?: OperationOptions): Operation<void, void> {
    let name = '';
    let simple = Buffer.alloc(0);
    return this.oneShot(
      () => {
        name = dnText(dn);
        simple = typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
        if (name !== '' && simple.length === 0) throw new TypeError('bind with a DN needs a non-empty password (use anonymousBind() for anonymous)');
        return { type: 'bindRequest', version: 3, name, authentication: { type: 'simple', simple } };
      },
      options,
      (message) => {
        this.markBound(undefined);
        // Whatever the outcome, the connection's identity is now this bind's: remembered (to redo
        // on a new connection) only when it succeeded, else the client is anonymous.
        this.#auth = undefined;
        requireSuccess(expectResponse(message, 'bindResponse'), message.messageId, message.controls);
        this.markBound(name === '' ? undefined : { method: 'simple', dn: name });
        if (name !== '') this.#auth = { kind: 'simple', dn: name, password: simple };
      },
    );
  }

  /**
   * SASL bind: 'EXTERNAL', 'PLAIN', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256', or any
   * mechanism object. Loops while the server answers saslBindInProgress (14), feeding each
   * challenge to the mechanism; every round goes to the same connection. An Operation like the
   * others: nothing is sent until it is awaited or subscribed.
   */
  saslBind(mechanism: SaslMechanismName | SaslMechanism | (() => SaslMechanism), credentials: SaslCredentials = {}, options?: OperationOptions): Operation<void, void> {
    return new Operation<void, void>(
      (subscriber, _demand, reportOutcome) => {
        const run = { stopped: false, connection: undefined as Connection | undefined };
        this.runSaslBind(mechanism, credentials, options, run).then(
          (outcome) => {
            reportOutcome(outcome);
            subscriber.next();
            subscriber.complete();
          },
          (error: unknown) => subscriber.error(error),
        );
        return () => {
          if (run.stopped) return;
          // Unsubscribed mid-exchange: the connection's identity would be unknown, so it ends.
          run.stopped = true;
          void run.connection?.close(new ConnectionError('connection closed: a SASL bind was stopped before it finished'));
        };
      },
      { settle: settleLast },
    );
  }

  private async runSaslBind(mechanism: SaslMechanismName | SaslMechanism | (() => SaslMechanism), credentials: SaslCredentials, options: OperationOptions | undefined, run: { stopped: boolean; connection: Connection | undefined }): Promise<LdapOutcome> {
    const make = typeof mechanism === 'string' ? () => createSaslMechanism(mechanism, credentials) : typeof mechanism === 'function' ? mechanism : undefined;
    // A mechanism the server's root DSE (once read) does not list fails before any credential is made or sent.
    if (typeof mechanism === 'string') checkSaslMechanism(mechanism, this.serverInfo);
    const mech = make === undefined ? (mechanism as SaslMechanism) : make();
    // Every round on one connection: a SASL exchange cannot continue on another one. No await
    // when it is open, so the first round is queued in the call that started the bind, ahead of
    // operations started after it.
    const open = this.#connection;
    const connection = open !== undefined && !open.isClosed ? open : await this.connected();
    run.connection = connection;
    this.markBound(undefined);
    const identity: BoundIdentity = { method: 'sasl', mechanism: mech.name, ...(credentials.authzId ? { authzId: credentials.authzId } : {}), ...(credentials.username ? { username: credentials.username } : {}) };
    let outcome: LdapOutcome;
    try {
      outcome = await this.saslRounds(connection, mech, this.exchangeOptions(options), run);
    } catch (error) {
      if (error instanceof LdapError) this.#auth = undefined; // refused: the connection is anonymous now
      throw error;
    }
    this.markBound(identity);
    // Remembered to do again on a new connection; a mechanism object holds state and cannot be rerun.
    this.#auth = make === undefined ? { kind: 'unreplayable', mechanism: mech.name } : { kind: 'sasl', mechanism: make, credentials, identity };
    return outcome;
  }

  /**
   * The rounds of one SASL exchange on `connection`, until success (checking the server's proof)
   * or a refusal. A failure that is not a clean refusal closes the connection, whose identity
   * would otherwise be unknown.
   */
  private async saslRounds(connection: Connection, mech: SaslMechanism, exchangeOptions: ExchangeOptions, run: { stopped: boolean }): Promise<LdapOutcome> {
    const round = async (saslCredentials: Buffer | undefined): Promise<{ response: BindResponse; message: LdapMessage }> => {
      const authentication = saslCredentials === undefined ? { type: 'sasl' as const, mechanism: mech.name } : { type: 'sasl' as const, mechanism: mech.name, credentials: saslCredentials };
      const message = await settleLast(exchange(connection, { type: 'bindRequest', version: 3, name: '', authentication }, isFinalResponse, exchangeOptions));
      return { response: expectResponse(message, 'bindResponse'), message };
    };
    try {
      let saslCredentials = mech.initial();
      // A bound on the round trips: no mechanism here needs more than a handful.
      for (let rounds = 0; rounds < 16 && !run.stopped; rounds++) {
        const { response, message } = await round(saslCredentials);
        if (response.resultCode === ResultCode.success) {
          // Mutual authentication: a server that says "bound" without proving who it is is not kept.
          await mech.complete?.(response.serverSaslCreds);
          run.stopped = true;
          const outcome = outcomeOf(message);
          if (outcome === undefined) throw new ProtocolError('a BindResponse without a result');
          return outcome;
        }
        if (response.resultCode !== ResultCode.saslBindInProgress) throw errorFromResult(response, message.messageId, message.controls);
        saslCredentials = await mech.respond(response.serverSaslCreds ?? Buffer.alloc(0));
      }
      throw new ProtocolError(`SASL ${mech.name} did not finish within 16 round trips`);
    } catch (error) {
      run.stopped = true;
      // A refusal from the server ends the exchange cleanly, and a refused cleartext credential
      // was never written; anything else (a bad challenge, a missing server proof, a timeout)
      // leaves the connection's identity unknown: close it.
      if (!(error instanceof CleartextCredentialsError) && (!(error instanceof LdapError) || error.code === ResultCode.success)) {
        this.#closing.add(connection);
        void connection.close(error instanceof RxLdapError ? error : new ConnectionError(String(error), { cause: error }));
        if (this.#connection === connection) this.#connection = undefined;
      }
      throw error;
    }
  }

  /** Anonymous simple bind (empty DN and password). */
  anonymousBind(options?: OperationOptions): Operation<void, void> {
    return this.oneShot(() => ({ type: 'bindRequest', version: 3, name: '', authentication: { type: 'simple', simple: Buffer.alloc(0) } }), options, (message) => {
      this.markBound(undefined);
      this.#auth = undefined;
      requireSuccess(expectResponse(message, 'bindResponse'), message.messageId, message.controls);
    });
  }

  /**
   * Search; awaiting gives every entry, iterating streams them with backpressure, `result()`
   * adds the searchResDone's outcome and controls. `timeout` is the longest silence between two
   * responses (time paused for a slow consumer does not count); `deadline` bounds the whole search.
   */
  search(base: DNInput, options: SearchOptions & { references: true }): Operation<SearchEntry | SearchReference, Array<SearchEntry | SearchReference>>;
  search(base: DNInput, options?: SearchOptions): Operation<SearchEntry, SearchEntry[]>;
  search(base: DNInput, options: SearchOptions & { references?: boolean } = {}): Operation<SearchEntry, SearchEntry[]> | Operation<SearchItem, SearchItem[]> {
    return search(this.channel, dnText(base), options, exchangeOptionsOf(options));
  }

  /**
   * RFC 2696 paged search: one stream of entries across all pages (or `.pages()` page by page).
   * The next page is asked for only once the consumer has taken the previous one.
   */
  pagedSearch(base: DNInput, options: PagedSearchOptions = {}): PagedSearch {
    return pagedSearch(this.channel, dnText(base), options);
  }

  /** Persistent search (draft-ietf-ldapext-psearch-03): typed change events; it never completes, unsubscribe to end it. */
  persistentSearch(base: DNInput, options: PersistentSearchOptions & { resume: true }): Operation<ChangeEvent | PersistentSearchResumedEvent, Array<ChangeEvent | PersistentSearchResumedEvent>>;
  persistentSearch(base: DNInput, options?: PersistentSearchOptions): Operation<ChangeEvent, ChangeEvent[]>;
  persistentSearch(
    base: DNInput,
    options: PersistentSearchOptions = {},
  ): Operation<ChangeEvent, ChangeEvent[]> | Operation<ChangeEvent | PersistentSearchResumedEvent, Array<ChangeEvent | PersistentSearchResumedEvent>> {
    return persistentSearch(this.channel, dnText(base), options);
  }

  /** RFC 4533 content synchronization as typed events (see SyncEvent); unsubscribing ends it with Cancel. */
  syncrepl(base: DNInput, options: SyncreplOptions = {}): Operation<SyncEvent, SyncEvent[]> {
    return syncrepl(this.channel, dnText(base), options);
  }

  add(dn: DNInput, attributes: AttributeInput, options?: OperationOptions): Operation<void, void> {
    return this.oneShot(() => ({ type: 'addRequest', entry: dnText(dn), attributes: toAttributes(attributes, this.encoder) }), options, (message) => {
      requireSuccess(expectResponse(message, 'addResponse'), message.messageId, message.controls);
    });
  }

  modify(dn: DNInput, changes: readonly ModificationInput[], options?: OperationOptions): Operation<void, void> {
    return this.oneShot(() => ({ type: 'modifyRequest', object: dnText(dn), changes: toChanges(changes, this.encoder) }), options, (message) => {
      requireSuccess(expectResponse(message, 'modifyResponse'), message.messageId, message.controls);
    });
  }

  delete(dn: DNInput, options?: OperationOptions): Operation<void, void> {
    return this.oneShot(() => ({ type: 'delRequest', entry: dnText(dn) }), options, (message) => {
      requireSuccess(expectResponse(message, 'delResponse'), message.messageId, message.controls);
    });
  }

  modifyDN(dn: DNInput, newRdn: string, options: ModifyDNOptions = {}): Operation<void, void> {
    return this.oneShot(
      () => {
        const op: RequestOp = { type: 'modDNRequest', entry: dnText(dn), newrdn: newRdn, deleteoldrdn: options.deleteOldRdn ?? true };
        if (options.newSuperior !== undefined) op.newSuperior = dnText(options.newSuperior);
        return op;
      },
      options,
      (message) => {
        requireSuccess(expectResponse(message, 'modDNResponse'), message.messageId, message.controls);
      },
    );
  }

  /** Resolves true for compareTrue, false for compareFalse; other results are errors. */
  compare(dn: DNInput, attribute: string, value: string | Buffer, options?: OperationOptions): Operation<boolean, boolean> {
    return this.oneShot(
      () => ({ type: 'compareRequest', entry: dnText(dn), ava: { attributeDesc: attribute, assertionValue: typeof value === 'string' ? Buffer.from(value, 'utf8') : value } }),
      options,
      (message) => {
        const response = expectResponse(message, 'compareResponse');
        if (response.resultCode === ResultCode.compareTrue) return true;
        if (response.resultCode === ResultCode.compareFalse) return false;
        throw errorFromResult(response, message.messageId, message.controls);
      },
    );
  }

  /** Any extended operation; resolves with the successful response (IntermediateResponses before it are skipped). */
  extended(requestName: string, requestValue?: Buffer, options?: OperationOptions): Operation<ExtendedResponse, ExtendedResponse> {
    return this.oneShot(
      () => (requestValue === undefined ? { type: 'extendedReq', requestName } : { type: 'extendedReq', requestName, requestValue }),
      options,
      (message) => requireSuccess(expectResponse(message, 'extendedResp'), message.messageId, message.controls),
    );
  }

  /** RFC 4532: the authorization identity of this connection (`dn:…`, `u:…`, or '' when anonymous). */
  whoami(options?: OperationOptions): Operation<string, string> {
    return this.oneShot(() => ({ type: 'extendedReq', requestName: ExtendedOid.whoAmI }), options, (message) => {
      const response = requireSuccess(expectResponse(message, 'extendedResp'), message.messageId, message.controls);
      return whoAmICodec.decodeResponseValue(response.responseValue);
    });
  }

  /** RFC 3062; resolves with the server-generated password when no new one was given. */
  passwordModify(input: PasswordModifyInput = {}, options?: OperationOptions): Operation<string | undefined, string | undefined> {
    return this.oneShot(
      () => {
        const request: PasswordModifyOptions = {};
        if (input.userIdentity !== undefined) request.userIdentity = input.userIdentity;
        if (input.oldPassword !== undefined) request.oldPasswd = input.oldPassword;
        if (input.newPassword !== undefined) request.newPasswd = input.newPassword;
        return passwordModifyRequest(request);
      },
      options,
      (message) => {
        const response = requireSuccess(expectResponse(message, 'extendedResp'), message.messageId, message.controls);
        return passwordModifyCodec.decodeResponseValue(response.responseValue).genPasswd?.toString('utf8');
      },
    );
  }

  /** RFC 3909 Cancel of the operation with `messageId` (resolves when the server says canceled). */
  cancel(messageId: number, options?: OperationOptions): Operation<void, void> {
    return this.oneShot(() => cancelRequest(messageId), options, (message) => {
      requireSuccess(expectResponse(message, 'extendedResp'), message.messageId, message.controls);
    });
  }

  /**
   * StartTLS (RFC 4511 §4.14): upgrades the live connection; certificates are verified.
   * Requests made while it runs wait and go out over TLS. It needs a connection with no
   * outstanding operations; a refused StartTLS leaves the connection in plain text, a failed
   * handshake closes it. The handshake is bounded by connectTimeout (or timeout).
   */
  async startTLS(tls: TlsOptions = this.#options.tls ?? {}): Promise<void> {
    // No await when the connection is open: the StartTLS request and the hold on writes must
    // happen in this call, before an operation started right after it can reach the socket.
    const open = this.#connection;
    const connection = open !== undefined && !open.isClosed ? open : await this.connected();
    const connectTimeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    // The answer is bounded like a connect: a silent server must not hold every later request.
    const answerTimeout = connectTimeout > 0 ? connectTimeout : (this.#options.timeout ?? 0);
    const host = (this.#server ?? this.#servers.next()).url.host;
    await connection.startTLS((plain) => upgradeToTls(plain as NetSocket, host, { tls, connectTimeout }), answerTimeout);
    this.#startTLS = tls; // a new connection is upgraded again before it carries anything
  }

  /**
   * Sends Unbind and closes the connection; operations still pending fail with ConnectionError.
   * Resolves once the socket is closed (about 100 ms after the Unbind went out when the server
   * never closes its side). A Promise, not an Operation: closing must happen when called, not
   * when someone subscribes.
   */
  async unbind(): Promise<void> {
    const { connection, connecting } = this.endSession();
    const closing = connection?.close();
    // A connect still under way is closed as soon as it completes, so it cannot linger open.
    const late = connecting?.then((opened) => opened.close(), () => undefined);
    await Promise.all([closing, late]);
  }

  /** Closes the connection at once, without Unbind; pending operations fail with ConnectionError. */
  destroy(reason: RxLdapError = new ConnectionError('connection destroyed by the client')): void {
    const { connection, connecting } = this.endSession();
    connection?.destroy(reason);
    void connecting?.then((late) => late.destroy(reason), () => undefined);
  }

  /**
   * The caller ends the session (unbind or destroy): a connect under way stops, the identity is
   * forgotten, and the connection and connect handed back for closing are no surprise to events.
   */
  private endSession(): { connection: Connection | undefined; connecting: Promise<Connection> | undefined } {
    const connection = this.#connection;
    const connecting = this.#connecting;
    this.#connection = undefined;
    this.#connecting = undefined;
    this.#stopConnecting?.abort();
    this.#bound = undefined;
    this.forgetIdentity();
    if (connection !== undefined) this.#closing.add(connection);
    return { connection, connecting };
  }

  /** The session ended by the caller: credentials are held no longer than needed. */
  private forgetIdentity(): void {
    if (this.#auth?.kind === 'simple') this.#auth.password.fill(0);
    this.#auth = undefined;
    this.#startTLS = undefined;
  }

  /** `await using client = new Client(…)` unbinds when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.unbind();
  }

  /** Operations waiting for a response on the open connection (0 when none is open). */
  get pendingOperations(): number {
    const connection = this.#connection;
    return connection === undefined || connection.isClosed ? 0 : connection.pendingCount;
  }

  /** Usage counts so far, over every connection of this client (see ClientMetrics). */
  get metrics(): ClientMetrics {
    return this.#telemetry.metrics;
  }

  /** `metrics` on subscribe, then at most once per metricsInterval while the counts change. */
  get metrics$(): Observable<ClientMetrics> {
    return this.#telemetry.metrics$;
  }

  /**
   * Where the client is in its life: 'idle' (no connection, none being made: operations open one
   * on demand), 'connecting' (connecting, reconnecting or rebinding), then its connection's state:
   * 'open', 'upgrading' (StartTLS), 'closing', 'closed'. Changes are announced on `events`.
   */
  get state(): 'idle' | 'connecting' | ConnectionState {
    if (this.#connecting !== undefined) return 'connecting';
    return this.#connection?.state ?? 'idle';
  }

  /** Whether a connection is open now (operations open one on demand). */
  get isConnected(): boolean {
    return this.#connection !== undefined && !this.#connection.isClosed;
  }

  /** Whether the open connection is encrypted (ldaps, or after startTLS()). */
  get isSecure(): boolean {
    const connection = this.#connection;
    return connection !== undefined && !connection.isClosed && connection.transportSecurity === 'tls';
  }

  /**
   * Who the open connection is bound as, after a successful bind on it; undefined when it is
   * anonymous, not bound, or closed (a new connection starts anonymous).
   */
  get boundAs(): BoundIdentity | undefined {
    const bound = this.#bound;
    return bound !== undefined && bound.connection === this.#connection && !bound.connection.isClosed ? bound.identity : undefined;
  }
}
