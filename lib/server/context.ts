import type { SecureContextOptions } from 'node:tls';
import type { Control, DN, ProtocolOp } from './deps';
import type { AccessControl, Identity } from './access';
import type { DirectoryStore } from './directory';
import type { FaultInjector } from './faults';
import type { SearchPlan } from './search-plan';

/** What every session of one server shares: the data, the rules, the limits. */
export interface ServerSettings {
  readonly directory: DirectoryStore;
  readonly access: AccessControl;
  readonly rootDN: DN | undefined;
  readonly rootPassword: Buffer | undefined;
  /** Most entries a search returns to anyone but the root DN (0: no limit). */
  readonly sizeLimit: number;
  /** Most seconds a search runs for anyone but the root DN (0: no limit). */
  readonly timeLimit: number;
  /** Whether anyone but the root DN may page (slapd's `size.prtotal=disabled` is false). */
  readonly userPaging: boolean;
  readonly staleCookie: 'refreshRequired' | 'present';
  /** Most changes a persistent search or syncrepl persist stage may have waiting for a slow client. */
  readonly maxPendingChanges: number;
  /** Key and certificate for StartTLS (and ldaps); undefined: no TLS. */
  readonly tls: SecureContextOptions | undefined;
  readonly maxPduSize: number;
  readonly faults: FaultInjector;
}

/** The requester, with the DN text whoami reports and modifiersName records. */
export interface SessionIdentity extends Identity {
  readonly text: string;
}

/** How an operation answers: messages carry its messageID; faults may delay, drop or cut them. */
export interface Reply {
  send(protocolOp: ProtocolOp, controls?: Control[]): void;
  /** Resolves when the connection can take more (backpressure), or when it has closed. */
  drained(): Promise<void>;
  /** Whether the connection takes more now without waiting. */
  readonly writable: boolean;
}

export type StopReason = 'abandon' | 'cancel' | 'close';

/** One request being served. */
export interface OperationContext {
  readonly messageId: number;
  readonly controls: readonly Control[];
  readonly settings: ServerSettings;
  readonly session: SessionState;
  readonly reply: Reply;
  /** Why the operation was stopped (abandoned, cancelled, connection closed), or undefined while it may go on. */
  readonly stopped: StopReason | undefined;
  /** Called once when the operation is stopped. */
  onStop(handler: (reason: StopReason) => void): void;
  /** The operation is over: it can no longer be abandoned or cancelled. */
  finish(): void;
}

/** Per-connection state the operations read and change. */
export interface SessionState {
  identity: SessionIdentity;
  /** TLS is up (ldaps, or after StartTLS). */
  secure: boolean;
  /** slapd keeps one paged-results state per connection; so does this server. */
  paged: PagedState | undefined;
}

export interface PagedState {
  readonly cookie: string;
  /** The request the cookie belongs to, to refuse a cookie sent with another search. */
  readonly signature: string;
  /** Normalised DNs of the results not yet sent. */
  readonly remaining: string[];
  /** The search as the first page resolved it (identity, filter, selection). */
  readonly plan: SearchPlan;
  /** The size limit cut the results: the last page ends with sizeLimitExceeded. */
  readonly truncated: boolean;
  /** The results were sorted (server-side sort): every page says so. */
  readonly sorted: boolean;
}

export const ANONYMOUS: SessionIdentity = { dn: undefined, root: false, text: '' };
