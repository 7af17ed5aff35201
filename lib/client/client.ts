import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { Socket as NetSocket } from 'node:net';
import { inspect } from 'node:util';
import type { Observable } from 'rxjs';
import { Subject } from '../util/rxjs';
import { Connection } from '../connection/connection';
import type { ConnectionOptions } from '../connection/connection';
import type { CleartextCredentialsPolicy } from '../connection/transport-security';
import { checkCoalesceReadsMs } from '../connection/read-coalescing';
import { CleartextCredentialsError, ConnectionError, RxLdapError } from '../errors';
import { exchange } from '../operations/exchange';
import type { ExchangeOptions } from '../operations/exchange';
import { Operation, settleAll, settleLast } from '../operations/operation';
import { afterPromise, deferred, failing } from '../operations/observables';
import type { FlowControl } from '../operations/operation';
import { LdapError, errorFromResult } from '../protocol/ldap-error';
import { ResultCode } from '../protocol/result-codes';
import { ExtendedOid } from '../protocol/extended/oids';
import { whoAmICodec } from '../protocol/extended/who-am-i';
import { passwordModifyCodec, passwordModifyRequest } from '../protocol/extended/password-modify';
import type { PasswordModifyOptions } from '../protocol/extended/password-modify';
import { cancelRequest } from '../protocol/extended/cancel';
import type { BindResponse, ExtendedResponse, LdapMessage, RequestOp } from '../protocol/types';
import { SearchEntry, SearchReference } from '../search/entry';
import { buildSearchRequest, iteratorOptions } from '../search/search-request';
import type { SearchOptions } from '../search/search-request';
import type { SearchChannel } from '../search/channel';
import { pagedSearch } from '../search/paged-search';
import type { PagedSearch, PagedSearchOptions } from '../search/paged-search';
import { persistentSearch } from '../search/persistent-search';
import type { ChangeEvent, PersistentSearchOptions } from '../search/persistent-search';
import { syncrepl } from '../search/syncrepl';
import type { SyncreplOptions } from '../search/syncrepl';
import type { SyncEvent } from '../search/syncrepl-events';
import { parseLdapUrl } from '../transport/ldap-url';
import type { LdapUrl } from '../transport/ldap-url';
import { openSocket, upgradeToTls } from '../transport/socket';
import type { OpenSocketOptions } from '../transport/socket';
import { toAttributes, toChanges } from './attributes';
import type { AttributeInput, ModificationInput } from './attributes';
import { expectResponse, requireSuccess } from './results';
import { createSaslMechanism } from './sasl';
import type { SaslCredentials, SaslMechanism, SaslMechanismName } from './sasl';

const isSearchDone = (message: LdapMessage): boolean => message.protocolOp.type === 'searchResDone';
const isFinalResponse = (message: LdapMessage): boolean => message.protocolOp.type !== 'intermediateResponse';

/** A silent host would otherwise keep a connect waiting for the OS's TCP timeout (minutes). */
const DEFAULT_CONNECT_TIMEOUT = 10_000;
/** First keepalive probe after a minute of silence: cheap, and well inside NAT idle timeouts. */
const DEFAULT_KEEP_ALIVE = 60_000;

export interface ClientOptions {
  /** ldap://host:port, ldaps://host:port or ldapi://%2Fpath%2Fto%2Fsocket */
  url: string;
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
}

/** TLS options that are secrets: never shown by util.inspect or JSON. */
const SECRET_TLS_OPTIONS = new Set(['key', 'pfx', 'passphrase', 'privateKeyIdentifier', 'privateKeyEngine', 'pskCallback', 'secureContext']);

export interface OperationOptions extends ExchangeOptions {}

export interface ModifyDNOptions extends OperationOptions {
  /** Remove the old RDN's values from the entry (default true, as ldapmodrdn -r). */
  deleteOldRdn?: boolean;
  newSuperior?: string;
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
  readonly url: LdapUrl;
  // ES private fields, not TypeScript's `private`: a spread, Object.entries or
  // inspect({ customInspect: false }) must not reach the TLS keys or the socket's buffers.
  #connecting: Promise<Connection> | undefined;
  #connection: Connection | undefined;
  readonly #options: ClientOptions;
  private readonly notificationSubject = new Subject<LdapMessage>();
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
    };
  }

  constructor(options: ClientOptions) {
    this.#options = options;
    // A bad value must fail here, not at the first operation's connect.
    if (options.coalesceReadsMs !== undefined) checkCoalesceReadsMs(options.coalesceReadsMs);
    this.url = parseLdapUrl(options.url);
  }

  private connectionOptions(): ConnectionOptions {
    const { maxPduSize, coalesceReadsMs, allowCleartextCredentials } = this.#options;
    return {
      ...(maxPduSize === undefined ? {} : { maxPduSize }),
      ...(coalesceReadsMs === undefined ? {} : { coalesceReadsMs }),
      ...(allowCleartextCredentials === undefined ? {} : { allowCleartextCredentials }),
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
    const { tls, ...rest } = this.#options;
    const options: Record<string, unknown> = { ...rest, url: redactUrl(rest.url) };
    if (tls !== undefined) {
      options['tls'] = Object.fromEntries(Object.entries(tls).map(([name, value]) => [name, SECRET_TLS_OPTIONS.has(name) ? '[redacted]' : summarize(value)]));
    }
    const connection = this.#connection;
    return { url: redactUrl(this.#options.url), state: connection === undefined ? 'not connected' : connection.state, options };
  }

  /** Opens the connection now (operations do it on demand). */
  connect(): Promise<void> {
    return this.connected().then(() => undefined);
  }

  private connected(): Promise<Connection> {
    if (this.#connection !== undefined && !this.#connection.isClosed) return Promise.resolve(this.#connection);
    this.#connecting ??= openSocket(this.url, this.socketOptions()).then(
      (socket) => {
        const connection = new Connection(socket, this.connectionOptions());
        connection.notifications.subscribe((message) => this.notificationSubject.next(message));
        this.#connection = connection;
        this.#connecting = undefined;
        return connection;
      },
      (error: unknown) => {
        this.#connecting = undefined;
        throw error;
      },
    );
    return this.#connecting;
  }

  /** The exchange on the open connection at once; connects first only when there is none. */
  private exchangeOnConnection(
    protocolOp: RequestOp,
    isFinal: (message: LdapMessage) => boolean,
    options: ExchangeOptions,
    onConnection?: (connection: Connection) => void,
  ): Observable<LdapMessage> {
    const open = this.#connection;
    if (open !== undefined && !open.isClosed) {
      onConnection?.(open);
      return exchange(open, protocolOp, isFinal, options);
    }
    return afterPromise(
      () => this.connected(),
      (connection) => {
        onConnection?.(connection);
        return exchange(connection, protocolOp, isFinal, options);
      },
    );
  }

  private socketOptions(): OpenSocketOptions {
    const options: OpenSocketOptions = {};
    if (this.#options.tls !== undefined) options.tls = this.#options.tls;
    options.connectTimeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    options.keepAlive = this.#options.keepAlive ?? DEFAULT_KEEP_ALIVE;
    return options;
  }

  private exchangeOptions(options: ExchangeOptions = {}): ExchangeOptions {
    return this.#options.timeout === undefined || options.timeout !== undefined ? options : { ...options, timeout: this.#options.timeout };
  }

  /** A one-response operation whose response `project` turns into the result (or throws). */
  private oneShot<R>(protocolOp: RequestOp, options: ExchangeOptions | undefined, project: (response: LdapMessage) => R): Operation<R, R> {
    const exchangeOptions = this.exchangeOptions(options);
    return new Operation<R, R>(
      (subscriber) =>
        this.exchangeOnConnection(protocolOp, isFinalResponse, exchangeOptions)
          .subscribe({
            next: (message) => {
              // RFC 4511 §4.13: an IntermediateResponse may precede the final response; it is not the result.
              if (message.protocolOp.type === 'intermediateResponse') return;
              let result: R;
              try {
                result = project(message);
              } catch (error) {
                subscriber.error(error);
                return;
              }
              subscriber.next(result);
            },
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          }),
      { settle: settleLast },
    );
  }

  /** Simple bind (RFC 4513 §5.1); an empty password is an unauthenticated bind, which is refused. */
  bind(dn: string, password: string | Buffer, options?: OperationOptions): Operation<void, void> {
    const simple = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
    if (dn !== '' && simple.length === 0) {
      // RFC 4513 §6.3.1: a DN with no password is an "unauthenticated" bind that succeeds as
      // anonymous on many servers; refusing it here prevents silent authentication bypass.
      // Failed like any other bind, not thrown: `client.bind(dn, '').catch(…)` must catch it.
      const refusal = new TypeError('bind with a DN needs a non-empty password (use anonymousBind() for anonymous)');
      return new Operation<void, void>((subscriber) => subscriber.error(refusal), { settle: settleLast });
    }
    return this.oneShot({ type: 'bindRequest', version: 3, name: dn, authentication: { type: 'simple', simple } }, options, (message) => {
      requireSuccess(expectResponse(message, 'bindResponse'), message.messageId);
    });
  }

  /**
   * SASL bind: 'EXTERNAL', 'PLAIN', or any mechanism object. Loops while the server answers
   * saslBindInProgress (14), feeding each challenge to the mechanism.
   */
  async saslBind(mechanism: SaslMechanismName | SaslMechanism, credentials: SaslCredentials = {}, options?: OperationOptions): Promise<void> {
    const mech = typeof mechanism !== 'string' ? mechanism : createSaslMechanism(mechanism, credentials);
    // Every round on one connection: a SASL exchange cannot continue on another one.
    const connection = await this.connected();
    const exchangeOptions = this.exchangeOptions(options);
    const round = (saslCredentials: Buffer | undefined): Promise<BindResponse & { messageId: number }> => {
      const authentication = saslCredentials === undefined ? { type: 'sasl' as const, mechanism: mech.name } : { type: 'sasl' as const, mechanism: mech.name, credentials: saslCredentials };
      return new Promise((resolve, reject) => {
        let response: LdapMessage | undefined;
        exchange(connection, { type: 'bindRequest', version: 3, name: '', authentication }, isFinalResponse, exchangeOptions).subscribe({
          next: (message) => (response = message),
          error: reject,
          complete: () => {
            try {
              resolve({ ...expectResponse(response!, 'bindResponse'), messageId: response!.messageId });
            } catch (error) {
              reject(error);
            }
          },
        });
      });
    };
    try {
      let saslCredentials = mech.initial();
      // A bound on the round trips: no mechanism here needs more than a handful.
      for (let rounds = 0; rounds < 16; rounds++) {
        const response = await round(saslCredentials);
        if (response.resultCode === ResultCode.success) {
          // Mutual authentication: a server that says "bound" without proving who it is is not kept.
          await mech.complete?.(response.serverSaslCreds);
          return;
        }
        if (response.resultCode !== ResultCode.saslBindInProgress) throw errorFromResult(response, response.messageId);
        saslCredentials = await mech.respond(response.serverSaslCreds ?? Buffer.alloc(0));
      }
      throw new ConnectionError(`SASL ${mech.name} did not finish within 16 round trips`);
    } catch (error) {
      // A refusal from the server ends the exchange cleanly; anything else (a bad challenge, a
      // missing server proof, a timeout) leaves the connection's identity unknown: close it.
      // (A refused cleartext credential was never written: nothing changed on the server.)
      if (!(error instanceof CleartextCredentialsError) && (!(error instanceof LdapError) || error.code === ResultCode.success)) {
        connection.close(error instanceof RxLdapError ? error : new ConnectionError(String(error), { cause: error }));
        if (this.#connection === connection) this.#connection = undefined;
      }
      throw error;
    }
  }

  /** Anonymous simple bind (empty DN and password). */
  anonymousBind(options?: OperationOptions): Operation<void, void> {
    return this.oneShot({ type: 'bindRequest', version: 3, name: '', authentication: { type: 'simple', simple: Buffer.alloc(0) } }, options, (message) => {
      requireSuccess(expectResponse(message, 'bindResponse'), message.messageId);
    });
  }

  /** Search; awaiting gives every entry, iterating streams them with backpressure. */
  search(base: string, options: SearchOptions & { references: true }): Operation<SearchEntry | SearchReference, Array<SearchEntry | SearchReference>>;
  search(base: string, options?: SearchOptions): Operation<SearchEntry, SearchEntry[]>;
  search(base: string, options: SearchOptions & { references?: boolean } = {}): Operation<SearchEntry, SearchEntry[]> | Operation<SearchEntry | SearchReference, Array<SearchEntry | SearchReference>> {
    const request = buildSearchRequest(base, options);
    const exchangeOptions = this.exchangeOptions(options); // exchange reads controls, timeout and signal
    const withReferences = options.references === true;
    return new Operation<SearchEntry | SearchReference, Array<SearchEntry | SearchReference>>(
      (subscriber) =>
        this.exchangeOnConnection(request, (m) => m.protocolOp.type === 'searchResDone', exchangeOptions)
          .subscribe({
            next: (message) => {
              const op = message.protocolOp;
              if (op.type === 'searchResEntry') {
                subscriber.next(new SearchEntry(op.objectName, op.attributes, message.controls ?? [], message.messageId));
              } else if (op.type === 'searchResRef') {
                if (withReferences) subscriber.next(new SearchReference(op.uris, message.controls ?? [], message.messageId));
              } else if (op.type === 'searchResDone') {
                try {
                  options.onDone?.(op, message.controls ?? []);
                } catch (error) {
                  subscriber.error(error); // a throwing callback fails the search, not the process
                  return;
                }
                if (op.resultCode !== ResultCode.success) subscriber.error(errorFromResult(op, message.messageId));
              } else if (op.type !== 'intermediateResponse') {
                subscriber.error(new ConnectionError(`unexpected ${op.type} in a search`));
              }
            },
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          }),
      { settle: settleAll, flow: this.flow, ...iteratorOptions(options) },
    );
  }

  /**
   * RFC 2696 paged search: one stream of entries across all pages (or `.pages()` page by page).
   * The next page is asked for only once the consumer has taken the previous one.
   */
  pagedSearch(base: string, options: PagedSearchOptions = {}): PagedSearch {
    return pagedSearch(this.channel, base, options);
  }

  /** Persistent search (draft-ietf-ldapext-psearch-03): typed change events; it never completes, unsubscribe to end it. */
  persistentSearch(base: string, options: PersistentSearchOptions = {}): Operation<ChangeEvent, ChangeEvent[]> {
    return persistentSearch(this.channel, base, options);
  }

  /** RFC 4533 content synchronization as typed events (see SyncEvent); unsubscribing ends it with Cancel. */
  syncrepl(base: string, options: SyncreplOptions = {}): Operation<SyncEvent, SyncEvent[]> {
    return syncrepl(this.channel, base, options);
  }

  add(dn: string, attributes: AttributeInput, options?: OperationOptions): Operation<void, void> {
    return this.oneShot({ type: 'addRequest', entry: dn, attributes: toAttributes(attributes) }, options, (message) => {
      requireSuccess(expectResponse(message, 'addResponse'), message.messageId);
    });
  }

  modify(dn: string, changes: readonly ModificationInput[], options?: OperationOptions): Operation<void, void> {
    return this.oneShot({ type: 'modifyRequest', object: dn, changes: toChanges(changes) }, options, (message) => {
      requireSuccess(expectResponse(message, 'modifyResponse'), message.messageId);
    });
  }

  delete(dn: string, options?: OperationOptions): Operation<void, void> {
    return this.oneShot({ type: 'delRequest', entry: dn }, options, (message) => {
      requireSuccess(expectResponse(message, 'delResponse'), message.messageId);
    });
  }

  modifyDN(dn: string, newRdn: string, options: ModifyDNOptions = {}): Operation<void, void> {
    const op: RequestOp = { type: 'modDNRequest', entry: dn, newrdn: newRdn, deleteoldrdn: options.deleteOldRdn ?? true };
    if (options.newSuperior !== undefined) op.newSuperior = options.newSuperior;
    return this.oneShot(op, options, (message) => {
      requireSuccess(expectResponse(message, 'modDNResponse'), message.messageId);
    });
  }

  /** Resolves true for compareTrue, false for compareFalse; other results are errors. */
  compare(dn: string, attribute: string, value: string | Buffer, options?: OperationOptions): Operation<boolean, boolean> {
    const assertionValue = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return this.oneShot({ type: 'compareRequest', entry: dn, ava: { attributeDesc: attribute, assertionValue } }, options, (message) => {
      const response = expectResponse(message, 'compareResponse');
      if (response.resultCode === ResultCode.compareTrue) return true;
      if (response.resultCode === ResultCode.compareFalse) return false;
      throw errorFromResult(response, message.messageId);
    });
  }

  /** Any extended operation; resolves with the successful response. */
  extended(requestName: string, requestValue?: Buffer, options?: OperationOptions): Operation<ExtendedResponse, ExtendedResponse> {
    const op: RequestOp = requestValue === undefined ? { type: 'extendedReq', requestName } : { type: 'extendedReq', requestName, requestValue };
    return this.oneShot(op, options, (message) => requireSuccess(expectResponse(message, 'extendedResp'), message.messageId));
  }

  /** RFC 4532: the authorization identity of this connection (`dn:…`, `u:…`, or '' when anonymous). */
  whoami(options?: OperationOptions): Operation<string, string> {
    return this.oneShot({ type: 'extendedReq', requestName: ExtendedOid.whoAmI }, options, (message) => {
      const response = requireSuccess(expectResponse(message, 'extendedResp'), message.messageId);
      return whoAmICodec.decodeResponseValue(response.responseValue);
    });
  }

  /** RFC 3062; resolves with the server-generated password when no new one was given. */
  passwordModify(input: PasswordModifyInput = {}, options?: OperationOptions): Operation<string | undefined, string | undefined> {
    const request: PasswordModifyOptions = {};
    if (input.userIdentity !== undefined) request.userIdentity = input.userIdentity;
    if (input.oldPassword !== undefined) request.oldPasswd = input.oldPassword;
    if (input.newPassword !== undefined) request.newPasswd = input.newPassword;
    return this.oneShot(passwordModifyRequest(request), options, (message) => {
      const response = requireSuccess(expectResponse(message, 'extendedResp'), message.messageId);
      return passwordModifyCodec.decodeResponseValue(response.responseValue).genPasswd?.toString('utf8');
    });
  }

  /** RFC 3909 Cancel of the operation with `messageId` (resolves when the server says canceled). */
  cancel(messageId: number, options?: OperationOptions): Operation<void, void> {
    return this.oneShot(cancelRequest(messageId), options, (message) => {
      requireSuccess(expectResponse(message, 'extendedResp'), message.messageId);
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
    await connection.startTLS((plain) => upgradeToTls(plain as NetSocket, this.url.host, { tls, connectTimeout }), answerTimeout);
  }

  /** Sends Unbind and closes the connection; pending operations fail with ConnectionError. */
  async unbind(): Promise<void> {
    const connection = this.#connection;
    const connecting = this.#connecting;
    this.#connection = undefined;
    this.#connecting = undefined;
    connection?.close();
    // A connect still under way is closed as soon as it completes, so it cannot linger open.
    if (connecting !== undefined) await connecting.then((late) => late.close(), () => undefined);
  }
}

/** A URL for display: its extensions (which may name a bind identity or secret) dropped. */
const redactUrl = (url: string): string => {
  const question = url.indexOf('?');
  return question === -1 ? url : `${url.slice(0, question)}?[redacted]`;
};

/** Buffers and certificates shown by size, so a log line stays small. */
const summarize = (value: unknown): unknown => {
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map(summarize);
  return typeof value === 'function' ? '[function]' : value;
};
