import type { Duplex } from 'node:stream';
// Deep imports: rxjs's index loads its whole library (some 250 modules, most of rxldap's
// start-up time); these two classes need a dozen.
import type { Observable } from 'rxjs';
import { Subject } from 'rxjs/internal/Subject';
import { ConnectionError, ProtocolError, RxLdapError } from '../errors';
import { encodeMessage } from '../protocol/encode';
import { errorFromResult } from '../protocol/ldap-error';
import { isNoticeOfDisconnection } from '../protocol/extended/notice-of-disconnection';
import type { Control } from '../protocol/controls/types';
import type { LdapMessage, RequestOp } from '../protocol/types';
import { MessageParser } from '../transport/message-parser';
import { MessageIdAllocator } from './message-ids';
import { ReadCoalescer } from './read-coalescing';

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
}

const DEFAULT_COALESCE_READS_MS = 1;

/** Receives the responses of one operation, routed by its messageID. */
export interface ResponseHandler {
  /** Returns true when `message` ends the operation (its handler is then removed). */
  onMessage(message: LdapMessage): boolean;
  onError(error: RxLdapError): void;
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
  private readonly ids = new MessageIdAllocator(this.handlers);
  private readonly parser: MessageParser;
  /** Encoded requests not yet handed to the socket, oldest first. */
  private readonly writeQueue: Buffer[] = [];
  private writeBlocked = false;
  private writesHeld = false;
  /** While writes are held: how many PDUs at the front of the queue were sent before the hold and may still go. */
  private passBeforeHold = 0;
  private flushScheduled = false;
  private pausers = 0;
  /** Paused for backpressure (slow consumers). */
  private socketPaused = false;
  /** What the socket was last told: paused for either reason. */
  private readingStopped = false;
  private readonly coalescer: ReadCoalescer;
  private failure: RxLdapError | undefined;
  private readonly closedSubject = new Subject<RxLdapError>();
  /** Emits once, with the reason, when the connection can carry no more operations. */
  readonly closed$: Observable<RxLdapError> = this.closedSubject.asObservable();

  constructor(
    private socket: Duplex,
    options: ConnectionOptions = {},
  ) {
    this.parser = new MessageParser(options.maxPduSize === undefined ? {} : { maxPduSize: options.maxPduSize });
    this.coalescer = new ReadCoalescer(options.coalesceReadsMs ?? DEFAULT_COALESCE_READS_MS, {
      onlyStreamsPending: () => this.handlers.size > 0 && this.requestResponseIds.size === 0 && this.failure === undefined,
      holdChanged: () => this.applyReading(),
    });
    this.attach(socket);
  }

  /** Operations waiting for a response. */
  get pendingCount(): number {
    return this.handlers.size;
  }

  /** The socket under the connection (StartTLS wraps it). */
  get transport(): Duplex {
    return this.socket;
  }

  get isClosed(): boolean {
    return this.failure !== undefined;
  }

  /** The reason the connection closed, if it has. */
  get closeReason(): RxLdapError | undefined {
    return this.failure;
  }

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.parser.feed(chunk, this.dispatch);
    } catch (error) {
      const reason = error instanceof ProtocolError ? error : new ProtocolError(String(error));
      this.fail(reason);
      return;
    }
    this.coalescer.afterRead(chunk.length);
  };

  private readonly onError = (error: Error): void => {
    this.fail(new ConnectionError(`connection error: ${error.message}`, { cause: error }));
  };

  private readonly onClose = (): void => {
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
    socket.on('drain', this.onDrain);
  }

  private detach(socket: Duplex): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
    socket.off('drain', this.onDrain);
  }

  /**
   * Swaps the transport under a live connection (StartTLS): pending handlers and the messageID
   * sequence carry over. The old socket is detached, not closed, since TLS wraps it.
   */
  replaceSocket(socket: Duplex): void {
    // A hold does not carry over: the old socket is handed to TLS as it would be without one.
    this.coalescer.cancel();
    this.applyReading();
    this.detach(this.socket);
    this.socket = socket;
    this.attach(socket);
    // A new socket flows from the start; backpressure still applies to it.
    this.readingStopped = false;
    this.applyReading();
    // The old socket's 'drain' will never come for the new one: start clean and send what waited.
    this.writeBlocked = false;
    this.writesHeld = false;
    this.passBeforeHold = 0;
    this.flushWrites();
  }

  /**
   * Backpressure from slow consumers, counted: each pause() needs its resume(). The socket is
   * paused only while every pending operation may be one of the pausers; as soon as another
   * operation waits for an answer the socket reads again, so a consumer that awaits a second
   * operation inside its for-await loop cannot deadlock the connection. (Its own buffer then
   * grows for as long as that other operation is outstanding.)
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
   * Holds every request written from now on in a queue (StartTLS: RFC 4511 §4.14.1 forbids
   * sending PDUs between the StartTLS request and the end of the TLS handshake). The queue goes
   * out on the new socket in replaceSocket(), or on the old one in releaseWrites().
   */
  holdWrites(): void {
    // Requests made before the hold (the StartTLS request itself) still go out.
    if (!this.writesHeld) this.passBeforeHold = this.writeQueue.length;
    this.writesHeld = true;
  }

  /** Sends what holdWrites() queued on the current socket (StartTLS refused: stay in plain text). */
  releaseWrites(): void {
    this.writesHeld = false;
    this.passBeforeHold = 0;
    this.flushWrites();
  }

  /**
   * Queues an encoded request; the queue goes to the socket once per tick. Many operations
   * started in one tick (a pipelined burst) then cost one socket write, one syscall and one
   * TCP segment instead of one each, and a lone request waits only for the current tick.
   */
  private write(bytes: Buffer): void {
    this.writeQueue.push(bytes);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushOnTick);
    }
  }

  private readonly flushOnTick = (): void => {
    this.flushScheduled = false;
    if (this.failure === undefined) this.flushWrites();
  };

  /** How many queued PDUs may be written now: all of them, or while held only those from before the hold. */
  private sendable(): number {
    return this.writesHeld ? this.passBeforeHold : this.writeQueue.length;
  }

  /**
   * Writes what may go, joined into writes of up to WRITE_BATCH_BYTES, and honours write()'s
   * answer: once the socket says it is full, the rest waits here for 'drain' rather than
   * growing the socket's buffer.
   */
  private flushWrites(): void {
    while (!this.writeBlocked) {
      const available = this.sendable();
      if (available === 0) return;
      let count = 1;
      let bytes = this.writeQueue[0]!.length;
      while (count < available && bytes + this.writeQueue[count]!.length <= WRITE_BATCH_BYTES) bytes += this.writeQueue[count++]!.length;
      const taken = this.writeQueue.splice(0, count);
      const batch = count === 1 ? taken[0]! : Buffer.concat(taken, bytes);
      if (this.writesHeld) this.passBeforeHold -= count;
      this.writeBlocked = !this.socket.write(batch);
    }
  }

  private readonly dispatch = (message: LdapMessage): void => {
    // Most connections have no one watching every message: skip the Subject's per-call work then.
    if (this.incoming.observed) this.incoming.next(message);
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
    const handler = this.handlers.get(message.messageId);
    // No handler: a late answer to an abandoned operation. RFC 4511 §4.11 allows it; drop it.
    if (handler !== undefined && handler.onMessage(message)) {
      this.forget(message.messageId);
      this.coalescer.operationEnded();
    }
  };

  /** Drops an operation's handler; with one fewer pending, the socket may pause again. */
  private forget(messageId: number): void {
    this.requestResponseIds.delete(messageId);
    if (this.handlers.delete(messageId) && this.pausers > 0) this.updateFlow();
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
    if (handler !== undefined) {
      this.handlers.set(messageId, handler);
      if (protocolOp.type !== 'searchRequest') this.requestResponseIds.add(messageId);
      if (this.socketPaused) this.updateFlow(); // a new operation waits: read again
    }
    this.write(bytes);
    return messageId;
  }

  /** Forgets an operation's handler (after an abandon or a local timeout). */
  release(messageId: number): void {
    this.forget(messageId);
  }

  /** Sends Abandon for `messageId` and stops routing its responses. */
  abandon(messageId: number): void {
    this.forget(messageId);
    if (this.failure === undefined) this.request({ type: 'abandonRequest', idToAbandon: messageId }, undefined, undefined);
  }

  /** Sends Unbind (if still open) and closes the socket; pending operations fail with `reason`. */
  close(reason: RxLdapError = new ConnectionError('connection closed by the client')): void {
    if (this.failure !== undefined) return;
    try {
      this.request({ type: 'unbindRequest' }, undefined, undefined);
    } catch {
      // the connection may already be unusable; closing is all that is left
    }
    this.fail(reason, true);
  }

  /** Marks the connection dead, fails every pending operation once, and destroys the socket. */
  private fail(reason: RxLdapError, graceful = false): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    const handlers = [...this.handlers.values()];
    this.handlers.clear();
    this.requestResponseIds.clear();
    if (graceful) {
      // Let queued writes (the Unbind) reach the server before the FIN; a server that never
      // closes its side must not keep the socket (and the process) alive. Requests held for a
      // StartTLS that never completed are dropped, not sent in clear text: their operations fail.
      const sendable = this.writeQueue.splice(0, this.sendable());
      this.writeQueue.length = 0;
      if (sendable.length > 0) this.socket.write(sendable.length === 1 ? sendable[0]! : Buffer.concat(sendable));
      this.socket.end();
      const socket = this.socket;
      setTimeout(() => socket.destroy(), 2_000).unref();
    } else {
      this.writeQueue.length = 0;
      this.socket.destroy();
    }
    // Let the socket's remaining events ('close') flow.
    this.coalescer.cancel();
    this.socketPaused = false;
    this.applyReading();
    for (const handler of handlers) handler.onError(reason);
    this.closedSubject.next(reason);
    this.closedSubject.complete();
    this.incoming.complete();
    this.notifications.complete();
  }
}

/** The server ended the session with a Notice of Disconnection; `code` is its result code. */
export class NoticeOfDisconnectionError extends ConnectionError {
  constructor(
    readonly code: number,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
