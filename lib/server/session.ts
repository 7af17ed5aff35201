import type { Duplex } from 'node:stream';
import { encodeMessage, MessageParser, noticeOfDisconnection, ResultCode } from './deps';
import type { Control, LdapMessage, ProtocolOp, RequestOp } from './deps';
import { ANONYMOUS } from './context';
import type { OperationContext, Reply, ServerSettings, SessionIdentity, SessionState, StopReason, PagedState } from './context';
import { resultCodeOf } from './faults';
import type { FaultAction } from './faults';
import { Outbox } from './outbox';
import { dispatch, errorResponse } from './operations';

/** An operation that can still be abandoned or cancelled. */
interface Running {
  readonly type: RequestOp['type'];
  stopped: StopReason | undefined;
  readonly handlers: Array<(reason: StopReason) => void>;
}

/**
 * One client connection: bytes in through rxldap's MessageParser, each request dispatched to
 * its operation, answers out through an Outbox that batches and honours backpressure. Knows
 * the bound identity, the paged-results state, the operations that can still be abandoned or
 * cancelled, and applies injected faults to requests as they arrive.
 */
export class Session implements SessionState {
  identity: SessionIdentity = ANONYMOUS;
  secure: boolean;
  paged: PagedState | undefined;
  private readonly parser: MessageParser;
  private readonly outbox: Outbox;
  private readonly running = new Map<number, Running>();
  private closed = false;

  constructor(
    private socket: Duplex,
    private readonly settings: ServerSettings,
    options: { secure: boolean },
    private readonly onClose: (session: Session) => void,
  ) {
    this.secure = options.secure;
    this.parser = new MessageParser({ maxPduSize: settings.maxPduSize });
    this.outbox = new Outbox(socket);
    this.attach(socket);
  }

  private attach(socket: Duplex): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onSocketClose);
    socket.on('end', this.onEnd);
  }

  private detach(socket: Duplex): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onSocketClose);
    socket.off('end', this.onEnd);
  }

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.parser.feed(chunk, (message) => this.receive(message));
    } catch {
      // RFC 4511 §4.1.1: a PDU that cannot be parsed ends the session.
      this.notice(ResultCode.protocolError, 'unable to decode PDU');
    }
  };

  private readonly onError = (): void => this.close();
  private readonly onSocketClose = (): void => this.close();
  private readonly onEnd = (): void => this.close();

  /** Sends a Notice of Disconnection and closes. */
  notice(resultCode: number, diagnosticMessage: string): void {
    if (this.closed) return;
    this.outbox.send(noticeOfDisconnection(resultCode, diagnosticMessage));
    this.outbox.flush();
    this.close({ graceful: true });
  }

  /** Ends the session: running operations stop, the socket closes (after what is queued, when graceful). */
  close(options: { graceful?: boolean } = {}): void {
    if (this.closed) return;
    this.closed = true;
    for (const running of this.running.values()) this.stop(running, 'close');
    this.running.clear();
    if (options.graceful === true) {
      this.outbox.flush();
      this.outbox.end();
      this.socket.end();
      // A peer that never reads or closes must not keep the socket forever.
      setTimeout(() => this.socket.destroy(), 1000).unref();
    } else {
      this.outbox.end();
      this.socket.destroy();
    }
    this.detach(this.socket);
    this.socket.on('error', () => undefined);
    this.onClose(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** After StartTLS: the TLS socket carries the session from now on. */
  upgrade(secure: Duplex): void {
    this.detach(this.socket);
    this.socket = secure;
    this.outbox.replaceSocket(secure);
    this.attach(secure);
    this.secure = true;
  }

  /** Flushes what is queued (a StartTLS response must be out before the handshake). */
  flush(): void {
    this.outbox.flush();
  }

  get rawSocket(): Duplex {
    return this.socket;
  }

  /** Stops the running operation with this messageID (Abandon, Cancel); false when there is none. */
  stopOperation(messageId: number, reason: StopReason): RequestOp['type'] | undefined {
    const running = this.running.get(messageId);
    if (running === undefined) return undefined;
    this.running.delete(messageId);
    this.stop(running, reason);
    return running.type;
  }

  /** The type of a running operation (for Cancel's cannotCancel), if any. */
  runningType(messageId: number): RequestOp['type'] | undefined {
    return this.running.get(messageId)?.type;
  }

  private stop(running: Running, reason: StopReason): void {
    if (running.stopped !== undefined) return;
    running.stopped = reason;
    for (const handler of running.handlers) handler(reason);
  }

  private receive(message: LdapMessage): void {
    if (this.closed) return;
    const request = message.protocolOp;
    if (!isRequest(request)) {
      this.notice(ResultCode.protocolError, 'a response where a request belongs');
      return;
    }
    if (request.type === 'unbindRequest') {
      this.close({ graceful: true });
      return;
    }
    if (request.type === 'abandonRequest') {
      this.stopOperation(request.idToAbandon, 'abandon');
      return;
    }
    const fault = this.settings.faults.match(request);
    if (fault !== undefined && this.applyBefore(fault, message.messageId, request)) return;
    const context = this.context(message.messageId, request, message.controls ?? [], fault);
    try {
      dispatch(context, request, this);
    } catch (error) {
      // dispatch answers its own failures; anything escaping is a bug to answer with `other`.
      context.reply.send(errorResponse(request, { resultCode: ResultCode.other, matchedDN: '', diagnosticMessage: String(error) }));
      context.finish();
    }
  }

  /** Faults that act instead of the operation: true when the request is dealt with. */
  private applyBefore(fault: FaultAction, messageId: number, request: RequestOp): boolean {
    switch (fault.action) {
      case 'result':
        this.outbox.send({
          messageId,
          protocolOp: errorResponse(request, { resultCode: resultCodeOf(fault.resultCode), matchedDN: fault.matchedDN ?? '', diagnosticMessage: fault.diagnosticMessage ?? 'injected fault' }),
        });
        return true;
      case 'notice':
        this.notice(resultCodeOf(fault.resultCode ?? 'unavailable'), fault.diagnosticMessage ?? 'injected fault');
        return true;
      case 'disconnect':
        if (fault.midPdu === true) return false; // the operation runs; its first response is cut
        this.close();
        return true;
      default:
        return false;
    }
  }

  private context(messageId: number, request: RequestOp, controls: readonly Control[], fault: FaultAction | undefined): OperationContext {
    const running: Running = { type: request.type, stopped: undefined, handlers: [] };
    this.running.set(messageId, running);
    const isClosed = (): boolean => this.closed;
    return {
      messageId,
      controls,
      settings: this.settings,
      session: this,
      reply: this.reply(messageId, fault),
      get stopped() {
        return running.stopped ?? (isClosed() ? 'close' : undefined);
      },
      onStop: (handler) => {
        if (running.stopped !== undefined) handler(running.stopped);
        else running.handlers.push(handler);
      },
      finish: () => {
        if (this.running.get(messageId) === running) this.running.delete(messageId);
      },
    };
  }

  private reply(messageId: number, fault: FaultAction | undefined): Reply {
    const outbox = this.outbox;
    const drained = (): Promise<void> => outbox.drained();
    const plain: Reply = {
      send: (protocolOp: ProtocolOp, controls?: Control[]) => outbox.send(controls === undefined || controls.length === 0 ? { messageId, protocolOp } : { messageId, protocolOp, controls }),
      drained,
      get writable() {
        return outbox.writable;
      },
    };
    if (fault === undefined) return plain;
    switch (fault.action) {
      case 'drop':
        return { send: () => undefined, drained, writable: true };
      case 'delay':
        return {
          send: (protocolOp, controls) => {
            setTimeout(() => {
              if (!this.closed) plain.send(protocolOp, controls);
            }, fault.ms);
          },
          drained,
          writable: true,
        };
      case 'disconnect': {
        let cut = false;
        return {
          send: (protocolOp, controls) => {
            if (cut) return;
            cut = true;
            const bytes = encodeMessage(controls === undefined ? { messageId, protocolOp } : { messageId, protocolOp, controls });
            outbox.sendRaw(bytes.subarray(0, Math.max(1, bytes.length >> 1)));
            // Let the half PDU reach the peer before the connection is cut.
            setTimeout(() => this.close(), 20);
          },
          drained,
          writable: true,
        };
      }
      default:
        return plain;
    }
  }
}

const REQUEST_TYPES = new Set<string>([
  'bindRequest', 'unbindRequest', 'searchRequest', 'modifyRequest', 'addRequest', 'delRequest', 'modDNRequest', 'compareRequest', 'abandonRequest', 'extendedReq',
]);
const isRequest = (op: ProtocolOp): op is RequestOp => REQUEST_TYPES.has(op.type);
