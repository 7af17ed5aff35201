import type { Duplex } from 'node:stream';
import { Observable, Subject } from 'rxjs';
import { ConnectionError, ProtocolError, RxLdapError } from '../errors';
import { encodeMessage } from '../protocol/encode';
import { errorFromResult } from '../protocol/ldap-error';
import { isNoticeOfDisconnection } from '../protocol/extended/notice-of-disconnection';
import type { Control } from '../protocol/controls/types';
import type { LdapMessage, RequestOp } from '../protocol/types';
import { MessageParser } from '../transport/message-parser';
import { MessageIdAllocator } from './message-ids';

export interface ConnectionOptions {
  /** Largest PDU accepted from the server (default 16 MiB). */
  maxPduSize?: number;
}

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
  private readonly ids = new MessageIdAllocator(this.handlers);
  private readonly parser: MessageParser;
  private readonly writeQueue: Buffer[] = [];
  private writeBlocked = false;
  private failure: RxLdapError | undefined;
  private readonly closedSubject = new Subject<RxLdapError>();
  /** Emits once, with the reason, when the connection can carry no more operations. */
  readonly closed$: Observable<RxLdapError> = this.closedSubject.asObservable();

  constructor(
    private socket: Duplex,
    options: ConnectionOptions = {},
  ) {
    this.parser = new MessageParser(options.maxPduSize === undefined ? {} : { maxPduSize: options.maxPduSize });
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
    }
  };

  private readonly onError = (error: Error): void => {
    this.fail(new ConnectionError(`connection error: ${error.message}`, { cause: error }));
  };

  private readonly onClose = (): void => {
    this.fail(new ConnectionError('connection closed by the server'));
  };

  private readonly onDrain = (): void => {
    this.writeBlocked = false;
    while (this.writeQueue.length > 0 && !this.writeBlocked) {
      this.writeBlocked = !this.socket.write(this.writeQueue.shift()!);
    }
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
    this.detach(this.socket);
    this.socket = socket;
    this.attach(socket);
  }

  /** Stops / restarts reading from the socket (backpressure from a slow consumer). */
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }

  private readonly dispatch = (message: LdapMessage): void => {
    this.incoming.next(message);
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
    if (handler !== undefined && handler.onMessage(message)) this.handlers.delete(message.messageId);
  };

  /**
   * Sends a request and routes its responses to `handler` until it says the operation ended.
   * Returns the messageID. Throws the close reason if the connection is closed.
   */
  request(protocolOp: RequestOp, controls: readonly Control[] | undefined, handler: ResponseHandler | undefined): number {
    if (this.failure !== undefined) throw this.failure;
    const messageId = this.ids.allocate();
    const message: LdapMessage = controls === undefined || controls.length === 0 ? { messageId, protocolOp } : { messageId, protocolOp, controls: [...controls] };
    const bytes = encodeMessage(message); // encode first: a bad request throws before it is registered
    if (handler !== undefined) this.handlers.set(messageId, handler);
    this.write(bytes);
    return messageId;
  }

  /** Forgets an operation's handler (after an abandon or a local timeout). */
  release(messageId: number): void {
    this.handlers.delete(messageId);
  }

  /** Sends Abandon for `messageId` and stops routing its responses. */
  abandon(messageId: number): void {
    this.handlers.delete(messageId);
    if (this.failure === undefined) this.request({ type: 'abandonRequest', idToAbandon: messageId }, undefined, undefined);
  }

  private write(bytes: Buffer): void {
    if (this.writeBlocked) {
      this.writeQueue.push(bytes);
      return;
    }
    // Honour write()'s answer: queue locally until 'drain' rather than growing the socket buffer.
    this.writeBlocked = !this.socket.write(bytes);
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
    if (graceful) {
      // Let queued writes (the Unbind) reach the server before the FIN.
      for (const bytes of this.writeQueue.splice(0)) this.socket.write(bytes);
      this.socket.end();
    } else {
      this.writeQueue.length = 0;
      this.socket.destroy();
    }
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
