import { ResultCode, resultCodeName } from '../errors';
import type { LdapMessage, RequestOp } from '../protocol/types';

/** The kinds of request a client sends, as ClientMetrics.operations counts them. */
export type MetricsOperationType = 'bind' | 'unbind' | 'search' | 'modify' | 'add' | 'delete' | 'modifyDN' | 'compare' | 'abandon' | 'extended';

/**
 * A client's usage so far (Client.metrics), after ldap3's ConnectionUsage: counted over every
 * connection the client has had, never reset by a reconnection. A frozen plain object: cheap to
 * log, to compare, or to hand to a metrics system. It holds counts and times only.
 */
export interface ClientMetrics {
  /** When the client's first connection carried its first request or said it was connected (epoch ms). */
  readonly openedAt: number | undefined;
  /** When a connection of the client last closed (epoch ms). */
  readonly closedAt: number | undefined;
  /** Milliseconds since openedAt (0 before). */
  readonly elapsedMs: number;
  /** Connections opened (the client's `connected` events). */
  readonly socketsOpened: number;
  /** Connections closed, for whatever reason. */
  readonly socketsClosed: number;
  /** Connections opened after the first: each time the client had to connect again. */
  readonly restarts: number;
  /** Reconnection attempts (the client's `reconnecting` events). */
  readonly reconnectAttempts: number;
  /** Moves to another server (the client's `failover` events). */
  readonly failovers: number;
  /** Bytes of the requests handed to the socket (before TLS). */
  readonly bytesSent: number;
  /** Bytes read from the socket (after TLS). */
  readonly bytesReceived: number;
  /** Requests written (one LDAPMessage each). */
  readonly messagesSent: number;
  /** LDAPMessages received, including each search entry and reference. */
  readonly messagesReceived: number;
  /** Requests written, by kind. */
  readonly operations: Readonly<Record<MetricsOperationType, number>>;
  /** Search result entries received. */
  readonly entries: number;
  /** Search result references received. */
  readonly references: number;
  /**
   * Responses whose result is an error, by result code name (`invalidCredentials`, or
   * `unknown(<code>)`); compareTrue, compareFalse and saslBindInProgress are not errors.
   */
  readonly errors: Readonly<Record<string, number>>;
}

const OPERATION_OF: Readonly<Record<RequestOp['type'], MetricsOperationType>> = {
  bindRequest: 'bind',
  unbindRequest: 'unbind',
  searchRequest: 'search',
  modifyRequest: 'modify',
  addRequest: 'add',
  delRequest: 'delete',
  modDNRequest: 'modifyDN',
  compareRequest: 'compare',
  abandonRequest: 'abandon',
  extendedReq: 'extended',
};

/** Results that are answers, not failures (referral is an error here: rxldap raises ReferralError). */
const NOT_ERRORS: ReadonlySet<number> = new Set([ResultCode.success, ResultCode.compareTrue, ResultCode.compareFalse, ResultCode.saslBindInProgress]);

const noOperations = (): Record<MetricsOperationType, number> => ({
  bind: 0,
  unbind: 0,
  search: 0,
  modify: 0,
  add: 0,
  delete: 0,
  modifyDN: 0,
  compare: 0,
  abandon: 0,
  extended: 0,
});

/**
 * The counters behind ClientMetrics. Each count is a field bumped in place: the hooks allocate
 * nothing, so a 100,000-entry search costs 100,000 increments. `version` grows with every change
 * so a watcher can tell whether anything happened since its last look without comparing counts.
 */
export class MetricsCounters {
  version = 0;
  private openedAt: number | undefined;
  private closedAt: number | undefined;
  private socketsOpened = 0;
  private socketsClosed = 0;
  private reconnectAttempts = 0;
  private failovers = 0;
  private bytesSent = 0;
  private bytesReceived = 0;
  private messagesSent = 0;
  private messagesReceived = 0;
  private readonly operations = noOperations();
  private entries = 0;
  private references = 0;
  private readonly errors = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  connected(): void {
    this.socketsOpened++;
    this.openedAt ??= this.now();
    this.version++;
  }

  closed(): void {
    this.socketsClosed++;
    this.closedAt = this.now();
    this.version++;
  }

  reconnecting(): void {
    this.reconnectAttempts++;
    this.version++;
  }

  failover(): void {
    this.failovers++;
    this.version++;
  }

  read(bytes: number): void {
    this.bytesReceived += bytes;
    this.version++;
  }

  sent(type: RequestOp['type'], bytes: number): void {
    // A client whose connection opened without a `connected` event still has a start time.
    if (this.openedAt === undefined) this.openedAt = this.now();
    this.messagesSent++;
    this.bytesSent += bytes;
    this.operations[OPERATION_OF[type]]++;
    this.version++;
  }

  received(message: LdapMessage): void {
    this.messagesReceived++;
    this.version++;
    const op = message.protocolOp;
    switch (op.type) {
      case 'searchResEntry':
        this.entries++;
        return;
      case 'searchResRef':
        this.references++;
        return;
      case 'intermediateResponse':
        return;
      default:
        if ('resultCode' in op && !NOT_ERRORS.has(op.resultCode)) this.errors.set(op.resultCode, (this.errors.get(op.resultCode) ?? 0) + 1);
    }
  }

  snapshot(): ClientMetrics {
    const errors: Record<string, number> = {};
    for (const [code, count] of [...this.errors].sort(([a], [b]) => a - b)) errors[resultCodeName(code)] = count;
    return Object.freeze({
      openedAt: this.openedAt,
      closedAt: this.closedAt,
      elapsedMs: this.openedAt === undefined ? 0 : Math.max(0, this.now() - this.openedAt),
      socketsOpened: this.socketsOpened,
      socketsClosed: this.socketsClosed,
      restarts: Math.max(0, this.socketsOpened - 1),
      reconnectAttempts: this.reconnectAttempts,
      failovers: this.failovers,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      messagesSent: this.messagesSent,
      messagesReceived: this.messagesReceived,
      operations: Object.freeze({ ...this.operations }),
      entries: this.entries,
      references: this.references,
      errors: Object.freeze(errors),
    });
  }
}
