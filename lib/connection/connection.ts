import type { Duplex } from 'node:stream';
// Classes through util/rxjs (rxjs's deep paths, for start-up time); types from 'rxjs' are free.
import type { Observable } from 'rxjs';
import { Subject } from '../util/rxjs';
import { inspect } from 'node:util';
import { CleartextCredentialsError, ConnectionError, NoticeOfDisconnectionError, ProtocolError, ResultCode, RxLdapError, TimeoutError } from '../errors';
import { encodeMessage } from '../protocol/encode';
import { errorFromResult } from '../protocol/error-from-result';
import { ExtendedOid } from '../protocol/extended/oids';
import { isNoticeOfDisconnection } from '../protocol/extended/notice-of-disconnection';
import type { Control } from '../protocol/controls/types';
import type { LdapMessage, RequestOp } from '../protocol/types';
import { MessageParser } from '../transport/message-parser';
import type { ConnectionParserOptions } from '../transport/message-parser';
import { MessageIdAllocator } from './message-ids';
import { ReadCoalescer } from './read-coalescing';
import { mayCarryCleartextCredentials, transportSecurity } from './transport-security';
import type { CleartextCredentialsPolicy, TransportSecurity } from './transport-security';
import { WriteQueue } from './write-queue';

/** Upper bound of one joined socket write: big enough for any burst, small enough to copy cheaply. */
const WRITE_BATCH_BYTES = 64 * 1024;

export interface ConnectionOptions {
  /** Largest PDU accepted from the server (default 16 MiB). */
  maxPduSize?: number;
  /**
   * While a response streams in small pieces (a search's entries), wait up to this many
   * milliseconds before the next read so the kernel gathers many PDUs into one read
   * (default 1; 0 reads at once; at most 10). See read-coalescing.ts for when it applies and why.
   */
  coalesceReadsMs?: number;
  /**
   * Where a password (simple bind) or SASL PLAIN may go in clear: 'loopback' (default: TLS,
   * ldapi and loopback TCP), false (TLS and ldapi only) or true (anywhere). Checked when the
   * request is about to be written, so a bind queued behind a refused StartTLS is refused too.
   */
  allowCleartextCredentials?: CleartextCredentialsPolicy;
  /** Metrics and logging hooks (see ConnectionObserver). */
  observer?: ConnectionObserver;
}

/**
 * Watches one connection's traffic for metrics and logging. Every hook is optional and must
 * not throw (a throw is swallowed: telemetry never breaks a connection). `sent` receives the
 * request's type and size only, never its bytes, so no hook can see a credential.
 */
export interface ConnectionObserver {
  /** A read from the socket of `bytes` bytes. */
  read?(bytes: number): void;
  /** A message routed (or dropped) by the connection. */
  received?(message: LdapMessage): void;
  /** A request handed to the socket. */
  sent?(request: { readonly type: RequestOp['type']; readonly messageId: number; readonly bytes: number }): void;
  /** The connection ended, with why. */
  closed?(reason: RxLdapError): void;
}

/**
 * A connection's life, every transition made here: 'open' (carrying operations) → 'upgrading'
 * (StartTLS: nothing written until the handshake ends) → 'open'; 'open' → 'closing' (Unbind
 * written, waiting for the socket to close; no operation accepted) → 'closed'; any state →
 * 'closed' on a failure. ('connecting' is the client's: before a connection exists.)
 */
export type ConnectionState = 'open' | 'upgrading' | 'closing' | 'closed';

/** Upgrades the plain socket after a successful StartTLS response (a TLS handshake). */
export type TlsUpgrade = (plain: Duplex) => Promise<Duplex>;

const DEFAULT_COALESCE_READS_MS = 1;
/** How long a server may take to close its side after our Unbind was flushed before the socket is destroyed. */
const UNBIND_GRACE_MS = 100;
/** How long an Unbind may wait for the socket to take it (a peer that reads nothing) before the socket is destroyed. */
const UNBIND_WRITE_LIMIT_MS = 1_000;

/** Receives the responses of one operation, routed by its messageID. */
export interface ResponseHandler {
  /** Returns true when `message` ends the operation (its handler is then removed). */
  onMessage(message: LdapMessage): boolean;
  onError(error: RxLdapError): void;
  /** Its searchResEntry messages come with the attributes undecoded (an UndecodedEntry). */
  readonly undecodedEntries?: boolean;
}

/**
 * One socket's life: bytes in through a MessageParser, every message onto `incoming`, and each
 * routed by messageID to its operation through a Map (O(1) per message, whatever the number of
 * operations in flight). messageID 0 goes to `notifications`; a Notice of Disconnection, a socket
 * error, a close or an undecodable PDU fails every pending operation with a typed error.
 */
export class Connection {
  /** Every message received, in order (for logging, metrics and tests). */
  readonly incoming = new Subject<LdapMessage>();
  /** Unsolicited notifications (messageID 0), including a Notice of Disconnection. */
  readonly notifications = new Subject<LdapMessage>();

  private readonly handlers = new Map<number, ResponseHandler>();
  /** Pending operations that are not searches: while any waits, reads are never held. */
  private readonly requestResponseIds = new Set<number>();
  /** Pending binds and StartTLS requests: RFC 4511 §4.11 says they cannot be abandoned. */
  private readonly unabandonable = new Set<number>();
  /** Pending SASL binds: only their saslBindInProgress answer holds the connection for a next round. */
  private readonly saslBinds = new Set<number>();
  /** Pending binds: an answer of another type leaves the identity unknown. */
  private readonly binds = new Set<number>();
  private readonly ids = new MessageIdAllocator(this.handlers);
  private readonly parser: MessageParser;
  private readonly queue = new WriteQueue();
  /** The messageID of a bind or StartTLS on the wire: nothing else is written until its response. */
  private barrier: number | undefined;
  /**
   * The server answered a bind with saslBindInProgress: the SASL exchange is not over, so
   * nothing but its next BindRequest may be written (RFC 4513 §5.2.1: other operations would
   * run under an identity that is about to change). The client either sends that request or
   * closes the connection.
   */
  private saslInProgress = false;
  private writeBlocked = false;
  private flushScheduled = false;
  private pausers = 0;
  /** Paused for backpressure (slow consumers). */
  private socketPaused = false;
  /** What the socket was last told: paused for either reason. */
  private readingStopped = false;
  private readonly coalescer: ReadCoalescer;
  private failure: RxLdapError | undefined;
  private upgrading = false;
  /** The socket has closed (after a failure, or after the Unbind of a graceful close). */
  private socketGone = false;
  private security: TransportSecurity;
  private readonly cleartextPolicy: CleartextCredentialsPolicy;
  private readonly observer: ConnectionObserver | undefined;
  private readonly closedSubject = new Subject<RxLdapError>();
  /** Emits once, with the reason, when the connection can carry no more operations. */
  readonly closed$: Observable<RxLdapError> = this.closedSubject.asObservable();

  constructor(
    private socket: Duplex,
    options: ConnectionOptions = {},
  ) {
    const parserOptions: ConnectionParserOptions = {
      ...(options.maxPduSize === undefined ? {} : { maxPduSize: options.maxPduSize }),
      undecodedEntries: (messageId) => this.handlers.get(messageId)?.undecodedEntries === true,
    };
    this.parser = new MessageParser(parserOptions);
    this.coalescer = new ReadCoalescer(options.coalesceReadsMs ?? DEFAULT_COALESCE_READS_MS, {
      onlyStreamsPending: () => this.handlers.size > 0 && this.requestResponseIds.size === 0 && this.failure === undefined,
      holdChanged: () => this.applyReading(),
    });
    this.cleartextPolicy = options.allowCleartextCredentials ?? 'loopback';
    this.observer = options.observer;
    this.security = transportSecurity(socket);
    this.attach(socket);
  }

  /** Operations waiting for a response. */
  get pendingCount(): number {
    return this.handlers.size;
  }

  /** Requests encoded but not yet handed to the socket. */
  get queuedCount(): number {
    return this.queue.length;
  }

  /** Bytes of the requests not yet handed to the socket. */
  get queuedBytes(): number {
    return this.queue.byteLength;
  }

  /** The socket under the connection (StartTLS wraps it). */
  get transport(): Duplex {
    return this.socket;
  }

  get state(): ConnectionState {
    if (this.failure !== undefined) return this.socketGone ? 'closed' : 'closing';
    return this.upgrading ? 'upgrading' : 'open';
  }

  /** How far this connection's bytes travel in clear (see transport-security.ts). */
  get transportSecurity(): TransportSecurity {
    return this.security;
  }

  get isClosed(): boolean {
    return this.failure !== undefined;
  }

  /** The reason the connection closed, if it has. */
  get closeReason(): RxLdapError | undefined {
    return this.failure;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.observer?.read !== undefined) this.tell(() => this.observer?.read?.(chunk.length));
    try {
      this.parser.feed(chunk, this.dispatch);
    } catch (error) {
      const reason = error instanceof ProtocolError ? error : new ProtocolError(String(error));
      this.fail(reason);
      return;
    }
    // The server speaks TLS next: clear bytes left after the StartTLS response (a partial PDU
    // here, whole ones in dispatch) would otherwise be joined to what TLS decrypts.
    if (this.upgrading && this.parser.bufferedBytes > 0) this.fail(injectedDuringUpgrade());
    this.coalescer.afterRead(chunk.length);
  };

  private readonly onError = (error: Error): void => {
    this.fail(new ConnectionError(`connection error: ${error.message}`, { cause: error }));
  };

  private readonly onClose = (): void => {
    this.socketGone = true;
    this.fail(new ConnectionError('connection closed by the server'));
  };

  /**
   * The server closed its side (FIN). No answer can come any more, and a write now would fail
   * with EPIPE: the connection ends here, not at 'close', which follows only once our own side
   * has shut down. An operation started in between would otherwise be written to the dead
   * socket and fail, instead of waiting for the reconnect.
   */
  private readonly onEnd = (): void => {
    this.fail(new ConnectionError('connection closed by the server'));
  };

  private readonly onDrain = (): void => {
    this.writeBlocked = false;
    this.flushWrites();
  };

  private attach(socket: Duplex): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('end', this.onEnd);
    socket.on('drain', this.onDrain);
  }

  private detach(socket: Duplex): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
    socket.off('end', this.onEnd);
    socket.off('drain', this.onDrain);
  }

  /**
   * StartTLS (RFC 4511 §4.14) on this connection: sends the request, writes nothing else until
   * the answer and, when it is success, until `upgrade` has finished the TLS handshake; then the
   * requests that waited go out over TLS. A refusal leaves the connection in clear text (its
   * waiting requests then go out, except credentials, which the cleartext policy refuses). A
   * StartTLS cannot be abandoned, so one unanswered within `timeout` ms, or a failed handshake,
   * closes the connection.
   */
  startTLS(upgrade: TlsUpgrade, timeout: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.security === 'tls' || this.upgrading) return Promise.reject(new ConnectionError('StartTLS on a connection that is already TLS'));
    if (this.handlers.size > 0) {
      return Promise.reject(new ConnectionError(`StartTLS needs a connection with no outstanding operations (${this.handlers.size} pending; RFC 4511 §4.14.1)`));
    }
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (error: unknown): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        if (error === undefined) resolve();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- forwarded as it came (a ConnectionError, a TLS error), so the caller keeps its class
        else reject(error);
      };
      const plain = this.socket;
      const messageId = this.request({ type: 'extendedReq', requestName: ExtendedOid.startTLS }, undefined, {
        onMessage: (message) => {
          const op = message.protocolOp;
          if (op.type !== 'extendedResp') {
            const error = new ProtocolError(`expected extendedResp for StartTLS (messageID ${message.messageId}) but received ${op.type}`);
            queueMicrotask(() => this.fail(error));
            settle(error);
            return true;
          }
          if (op.resultCode !== ResultCode.success) {
            settle(errorFromResult(op, message.messageId));
            return true;
          }
          // Hold every write from here (the barrier lifts when this handler returns) until the handshake ends.
          this.upgrading = true;
          const closed = this.closed$.subscribe(settle);
          upgrade(plain).finally(() => closed.unsubscribe()).then(
            (secure) => {
              if (this.failure !== undefined) {
                secure.destroy();
                settle(this.failure);
                return;
              }
              this.replaceSocket(secure);
              settle(undefined);
            },
            (error: unknown) => {
              this.fail(error instanceof RxLdapError ? error : new ConnectionError(String(error), { cause: error }));
              settle(error);
            },
          );
          return true;
        },
        onError: settle,
      });
      if (timeout > 0) {
        timer = setTimeout(() => {
          timer = undefined;
          // The answer may still come and switch the server to TLS: the connection's state is unknown, so it ends.
          const error = new TimeoutError(`StartTLS (messageID ${messageId}) got no answer within ${timeout} ms; the connection was closed`);
          if (this.handlers.has(messageId)) {
            this.forget(messageId);
            this.fail(new ConnectionError('connection closed: a StartTLS request went unanswered', { cause: error }));
            reject(error);
          }
        }, timeout);
      }
    });
  }

  /**
   * Swaps the transport under a live connection (StartTLS): pending handlers and the messageID
   * sequence carry over. The old socket is detached, not closed, since TLS wraps it.
   */
  private replaceSocket(socket: Duplex): void {
    // A hold does not carry over: the old socket is handed to TLS as it would be without one.
    this.coalescer.cancel();
    this.applyReading();
    this.detach(this.socket);
    this.socket = socket;
    this.security = transportSecurity(socket);
    this.attach(socket);
    // A new socket flows from the start; backpressure still applies to it.
    this.readingStopped = false;
    this.applyReading();
    // The old socket's 'drain' will never come for the new one: start clean and send what waited.
    this.writeBlocked = false;
    this.upgrading = false;
    this.flushWrites();
  }

  /**
   * Backpressure from slow consumers, counted: each pause() needs its resume(). The socket is
   * paused only while every pending operation may be one of the pausers; as soon as another
   * operation waits for an answer the socket reads again, so a consumer that awaits a second
   * operation inside its for-await loop cannot deadlock the connection. (Its own buffer then
   * grows, up to the operation's maxBuffered, for as long as that other operation is outstanding.)
   */
  pause(): void {
    this.pausers++;
    this.updateFlow();
  }
  resume(): void {
    if (this.pausers > 0) this.pausers--;
    this.updateFlow();
  }

  private updateFlow(): void {
    const shouldPause = this.pausers > 0 && this.handlers.size <= this.pausers && this.failure === undefined;
    if (shouldPause === this.socketPaused) return;
    this.socketPaused = shouldPause;
    this.applyReading();
  }

  /** Tells the socket to read or not, from backpressure and the coalescer's hold together. */
  private applyReading(): void {
    const stop = this.socketPaused || this.coalescer.holding;
    if (stop === this.readingStopped) return;
    this.readingStopped = stop;
    if (stop) this.socket.pause();
    else this.socket.resume();
  }

  /** Whether the socket is paused for backpressure right now. */
  get isPaused(): boolean {
    return this.socketPaused;
  }

  /**
   * Queues an encoded request; the queue goes to the socket once per tick. Many operations
   * started in one tick (a pipelined burst) then cost one socket write, one syscall and one
   * TCP segment instead of one each, and a lone request waits only for the current tick.
   */
  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushOnTick);
    }
  }

  private readonly flushOnTick = (): void => {
    this.flushScheduled = false;
    if (this.failure === undefined) this.flushWrites();
  };

  /**
   * Writes what may go, joined into writes of up to WRITE_BATCH_BYTES, and honours write()'s
   * answer: once the socket says it is full, the rest waits here for 'drain' rather than
   * growing the socket's buffer. A bind or StartTLS ends a batch and stops the writing until
   * its response; credentials the transport may not carry in clear are refused here, at the
   * last moment, so no path (a refused StartTLS, say) can put them on the wire.
   */
  private flushWrites(): void {
    while (!this.writeBlocked && this.barrier === undefined && !this.upgrading && this.failure === undefined) {
      if (this.saslInProgress) {
        if (this.queue.peek()?.barrier !== true) return; // waits for the exchange's next round
        this.saslInProgress = false;
      }
      const batch: Buffer[] = [];
      let bytes = 0;
      for (let next = this.queue.peek(); next !== undefined; next = this.queue.peek()) {
        if (batch.length > 0 && bytes + next.bytes.length > WRITE_BATCH_BYTES) break;
        this.queue.shift();
        if (next.credentials && !mayCarryCleartextCredentials(this.security, this.cleartextPolicy)) {
          this.refuseCleartext(next.messageId);
          continue;
        }
        batch.push(next.bytes);
        if (this.observer?.sent !== undefined) {
          const sent = { type: next.type as RequestOp['type'], messageId: next.messageId, bytes: next.bytes.length };
          this.tell(() => this.observer?.sent?.(sent));
        }
        bytes += next.bytes.length;
        if (next.barrier) {
          this.barrier = next.messageId;
          break;
        }
      }
      if (batch.length === 0) return;
      const single = batch.length === 1 ? batch[0] : undefined;
      this.writeBlocked = !this.socket.write(single ?? Buffer.concat(batch, bytes));
    }
  }

  private refuseCleartext(messageId: number): void {
    const handler = this.handlers.get(messageId);
    this.forget(messageId);
    const where = this.security === 'loopback' ? 'a loopback TCP connection (allowCleartextCredentials is false)' : 'a connection that is not encrypted';
    handler?.onError(
      new CleartextCredentialsError(
        `refused to send a password over ${where}: use an ldaps:// URL, call startTLS() before binding, or set allowCleartextCredentials: true to send it in clear`,
      ),
    );
  }

  private readonly dispatch = (message: LdapMessage): void => {
    // Sent in clear after the StartTLS response: a network attacker's answer to a request
    // queued behind the StartTLS, whose caller expects it over TLS. Nothing of it is delivered.
    if (this.upgrading) {
      this.fail(injectedDuringUpgrade());
      return;
    }
    // Most connections have no one watching every message: skip the Subject's per-call work then.
    if (this.incoming.observed) this.incoming.next(message);
    // Per message, on the hot path: the hook is called in place, without a closure per call.
    const observer = this.observer;
    if (observer?.received !== undefined) {
      try {
        observer.received(message);
      } catch {
        // telemetry is best effort
      }
    }
    if (message.messageId === 0) {
      this.notifications.next(message);
      if (isNoticeOfDisconnection(message)) {
        const op = message.protocolOp;
        const code = op.type === 'extendedResp' ? op.resultCode : 0;
        const cause = op.type === 'extendedResp' ? errorFromResult(op) : undefined;
        const diagnostic = op.type === 'extendedResp' && op.diagnosticMessage !== '' ? `: ${op.diagnosticMessage}` : '';
        this.fail(new NoticeOfDisconnectionError(code, `server sent a Notice of Disconnection (result ${code}${diagnostic})`, cause));
      }
      return;
    }
    if (message.messageId === this.barrier) {
      const op = message.protocolOp;
      if (this.binds.has(message.messageId) && op.type !== 'bindResponse' && op.type !== 'intermediateResponse') {
        // Whether the bind took effect is unknown, as after a timeout (RFC 4511 §4.11): end the connection.
        this.fail(new ProtocolError(`expected bindResponse for messageID ${message.messageId} but received ${op.type}; the connection was closed`));
        return;
      }
      // A simple bind answered so is an error, not an exchange anyone will continue.
      this.saslInProgress = op.type === 'bindResponse' && op.resultCode === ResultCode.saslBindInProgress && this.saslBinds.has(message.messageId);
    }
    const handler = this.handlers.get(message.messageId);
    // No handler: a late answer to an abandoned operation. RFC 4511 §4.11 allows it; drop it.
    if (handler !== undefined && handler.onMessage(message)) {
      this.forget(message.messageId);
      this.coalescer.operationEnded();
    }
  };

  /** Drops an operation's handler; with one fewer pending, the socket may pause again and a barrier may lift. */
  private forget(messageId: number): void {
    this.requestResponseIds.delete(messageId);
    this.unabandonable.delete(messageId);
    this.saslBinds.delete(messageId);
    this.binds.delete(messageId);
    if (this.handlers.delete(messageId) && this.pausers > 0) this.updateFlow();
    if (this.barrier === messageId) {
      this.barrier = undefined;
      this.scheduleFlush();
    }
  }

  /**
   * Sends a request and routes its responses to `handler` until it says the operation ended.
   * Returns the messageID. Throws the close reason if the connection is closed.
   */
  request(protocolOp: RequestOp, controls: readonly Control[] | undefined, handler: ResponseHandler | undefined): number {
    if (this.failure !== undefined) throw this.failure;
    const messageId = this.ids.allocate();
    const message: LdapMessage = controls === undefined || controls.length === 0 ? { messageId, protocolOp } : { messageId, protocolOp, controls: [...controls] };
    const bytes = encodeMessage(message); // encode first: a bad request throws before it is registered
    const barrier = protocolOp.type === 'bindRequest' || (protocolOp.type === 'extendedReq' && protocolOp.requestName === ExtendedOid.startTLS);
    if (handler !== undefined) {
      this.handlers.set(messageId, handler);
      if (protocolOp.type !== 'searchRequest') this.requestResponseIds.add(messageId);
      if (barrier) this.unabandonable.add(messageId);
      if (protocolOp.type === 'bindRequest') this.binds.add(messageId);
      if (protocolOp.type === 'bindRequest' && protocolOp.authentication.type === 'sasl') this.saslBinds.add(messageId);
      if (this.socketPaused) this.updateFlow(); // a new operation waits: read again
    }
    const queued = { messageId, bytes, barrier: barrier && handler !== undefined, credentials: carriesCleartextCredentials(protocolOp), type: protocolOp.type };
    // The next round of a SASL exchange goes before what was queued while it was in progress.
    if (this.saslInProgress && protocolOp.type === 'bindRequest') this.queue.unshift(queued);
    else this.queue.push(queued);
    this.scheduleFlush();
    return messageId;
  }

  /** Whether the request of `messageId` is still waiting to be written (so the server has not seen it). */
  isQueued(messageId: number): boolean {
    return this.queue.has(messageId);
  }

  /** Forgets an operation's handler (after an abandon or a local timeout). */
  release(messageId: number): void {
    this.forget(messageId);
  }

  /**
   * Ends an operation the caller no longer wants. One still in the write queue is withdrawn:
   * it never goes out and needs no Abandon. One on the wire gets an Abandon, except a bind or a
   * StartTLS, which RFC 4511 §4.11 says cannot be abandoned: their outcome would leave the
   * connection's identity (or its encryption) unknown, so the connection is closed instead,
   * and its other operations fail with a ConnectionError whose cause is `reason`.
   */
  abandon(messageId: number, reason?: RxLdapError): void {
    const unabandonable = this.unabandonable.has(messageId);
    this.forget(messageId);
    if (this.queue.withdraw(messageId) || this.failure !== undefined) return;
    if (unabandonable) {
      const why = reason === undefined ? 'ended' : reason instanceof TimeoutError ? 'timed out' : 'was stopped';
      this.fail(new ConnectionError(`connection closed: a bind or StartTLS ${why} before its answer, so the connection's state was unknown (RFC 4511 §4.11)`, { cause: reason }));
      return;
    }
    this.request({ type: 'abandonRequest', idToAbandon: messageId }, undefined, undefined);
  }

  /** Sends Unbind (if still open) and closes the socket; pending operations fail with `reason`. */
  close(reason: RxLdapError = new ConnectionError('connection closed by the client')): Promise<void> {
    const closed = this.socketClosed();
    if (this.failure !== undefined) return closed;
    let unbind: Buffer | undefined;
    // Unbind goes out only where it is allowed: not in the middle of a TLS handshake.
    if (!this.upgrading) {
      try {
        unbind = encodeMessage({ messageId: this.ids.allocate(), protocolOp: { type: 'unbindRequest' } });
      } catch {
        // no messageID left: closing is all that is left
      }
    }
    this.fail(reason, unbind);
    return closed;
  }

  /** Closes the socket at once, without Unbind; pending operations fail with `reason`. */
  destroy(reason: RxLdapError = new ConnectionError('connection destroyed by the client')): void {
    this.fail(reason);
  }

  /** Resolves once the socket has closed. */
  private socketClosed(): Promise<void> {
    const socket = this.socket;
    if (socket.destroyed && (socket as { closed?: boolean }).closed !== false) return Promise.resolve();
    return new Promise<void>((resolve) => socket.once('close', () => resolve()));
  }

  /**
   * Marks the connection dead, fails every pending operation once, and destroys the socket.
   * Nothing still queued goes out: those operations fail now, so the server must never see
   * them. A graceful close writes only the Unbind.
   */
  private fail(reason: RxLdapError, unbind?: Buffer): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    const handlers = [...this.handlers.values()];
    this.handlers.clear();
    this.requestResponseIds.clear();
    this.unabandonable.clear();
    this.saslBinds.clear();
    this.binds.clear();
    this.queue.clear();
    this.barrier = undefined;
    this.saslInProgress = false;
    if (unbind !== undefined) {
      // The Unbind goes out, then the socket is destroyed shortly after it was flushed rather
      // than waiting on a server that may never close its side: a caller awaiting unbind() is
      // answered within the grace, and the process is not kept alive longer than that.
      const socket = this.socket;
      socket.end(unbind);
      const destroyLater = (): void => void setTimeout(() => socket.destroy(), UNBIND_GRACE_MS);
      if (socket.writableFinished) destroyLater();
      else socket.once('finish', destroyLater);
      setTimeout(() => socket.destroy(), UNBIND_WRITE_LIMIT_MS).unref();
      if (this.observer?.sent !== undefined) {
        const sent = { type: 'unbindRequest' as const, messageId: 0, bytes: unbind.length };
        this.tell(() => this.observer?.sent?.(sent));
      }
    } else {
      this.socket.destroy();
    }
    // Let the socket's remaining events ('close') flow.
    this.coalescer.cancel();
    this.socketPaused = false;
    this.applyReading();
    for (const handler of handlers) handler.onError(reason);
    if (this.observer?.closed !== undefined) this.tell(() => this.observer?.closed?.(reason));
    this.closedSubject.next(reason);
    this.closedSubject.complete();
    this.incoming.complete();
    this.notifications.complete();
  }

  /** Runs a telemetry hook; a hook that throws must not break the connection. */
  private tell(hook: () => void): void {
    try {
      hook();
    } catch {
      // telemetry is best effort
    }
  }

  /** What a log or a debugger sees: the state, never the socket's buffers or a queued bind's bytes. */
  [inspect.custom](): string {
    return `Connection { state: ${this.state}, transport: ${this.security}, pending: ${this.handlers.size}, queued: ${this.queue.length} (${this.queue.byteLength} bytes) }`;
  }

  toJSON(): { state: ConnectionState; transport: TransportSecurity; pending: number; queued: number } {
    return { state: this.state, transport: this.security, pending: this.handlers.size, queued: this.queue.length };
  }
}

const injectedDuringUpgrade = (): ProtocolError =>
  new ProtocolError('the server sent clear-text data after its StartTLS response, before the TLS handshake (RFC 4511 §4.14.2); the connection was closed');

/** SASL mechanisms whose credentials are the password itself (RFC 4616 PLAIN, the LOGIN draft). */
const CLEARTEXT_SASL = new Set(['PLAIN', 'LOGIN']);

/** Whether a request carries a password or an equivalent secret in clear. */
const carriesCleartextCredentials = (op: RequestOp): boolean => {
  if (op.type !== 'bindRequest') return false;
  const auth = op.authentication;
  if (auth.type === 'simple') return auth.simple.length > 0;
  return CLEARTEXT_SASL.has(auth.mechanism.toUpperCase()) && auth.credentials !== undefined && auth.credentials.length > 0;
};
