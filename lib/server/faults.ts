import { parseDN, ResultCode } from './deps';
import type { RequestOp, ResultCodeName } from './deps';

/**
 * Fault injection for users' tests: what a real server does on a bad day, on demand. A rule
 * picks requests by operation and DN (and OID for extended operations) and says what happens to
 * them; rules are tried in the order they were added, and the first that matches applies.
 */
export type FaultOperation = 'bind' | 'search' | 'add' | 'modify' | 'modifyDN' | 'delete' | 'compare' | 'extended';

export interface FaultMatch {
  /** The operations it applies to (default: all of them). */
  operation?: FaultOperation | readonly FaultOperation[];
  /**
   * The DN the request names (bind name, search base, target entry): a string matches that
   * entry and the entries below it, a RegExp is tested against the DN as the client sent it.
   * A rule with a DN never matches an extended operation.
   */
  dn?: string | RegExp;
  /** For extended operations: the requestName. */
  oid?: string;
  /** How many requests it applies to before it is used up (default: until removed). */
  times?: number;
}

export type FaultAction =
  /** The operation runs; its responses go out `ms` milliseconds late. */
  | { action: 'delay'; ms: number }
  /** The operation runs; its responses never go out (the client waits until its own timeout). */
  | { action: 'drop' }
  /** The operation does not run; it is answered with this result code instead. */
  | { action: 'result'; resultCode: ResultCodeName | number; diagnosticMessage?: string; matchedDN?: string }
  /**
   * The connection is closed: at once, without an answer, or with `midPdu` after the first half
   * of the operation's first response, so the client sees a PDU cut short.
   */
  | { action: 'disconnect'; midPdu?: boolean }
  /** A Notice of Disconnection (RFC 4511 §4.4.1) with this code (default unavailable), then the connection is closed. */
  | { action: 'notice'; resultCode?: ResultCodeName | number; diagnosticMessage?: string };

export type FaultRule = FaultMatch & FaultAction;

/** An injected fault: how often it struck, and a way to take it back. */
export interface Fault {
  readonly hits: number;
  remove(): void;
}

const OPERATION_OF: Readonly<Partial<Record<RequestOp['type'], FaultOperation>>> = {
  bindRequest: 'bind',
  searchRequest: 'search',
  addRequest: 'add',
  modifyRequest: 'modify',
  modDNRequest: 'modifyDN',
  delRequest: 'delete',
  compareRequest: 'compare',
  extendedReq: 'extended',
};

const dnOf = (request: RequestOp): string | undefined => {
  switch (request.type) {
    case 'bindRequest':
      return request.name;
    case 'searchRequest':
      return request.baseObject;
    case 'addRequest':
    case 'delRequest':
    case 'modDNRequest':
    case 'compareRequest':
      return request.entry;
    case 'modifyRequest':
      return request.object;
    default:
      return undefined;
  }
};

export const resultCodeOf = (code: ResultCodeName | number): number => (typeof code === 'number' ? code : ResultCode[code]);

interface ActiveFault {
  readonly rule: FaultRule;
  hits: number;
}

/** The faults of one server (`server.faults`). */
export interface Faults {
  /** Adds a rule; it applies to requests that arrive from now on, on every connection. */
  inject(rule: FaultRule): Fault;
  /** Removes every rule and accepts connections again. */
  clear(): Promise<void>;
  /** New connections are refused (the listeners close; in-process connect() fails) until acceptConnections(). */
  refuseConnections(): Promise<void>;
  acceptConnections(): Promise<void>;
}

export class FaultInjector implements Faults {
  private readonly active: ActiveFault[] = [];
  private refusing = false;
  /** Set by the server: starts or stops accepting connections. */
  onRefuse: ((refuse: boolean) => Promise<void>) | undefined;

  /** Adds a rule; it applies to requests that arrive from now on, on every connection. */
  inject(rule: FaultRule): Fault {
    if (rule.action === 'delay' && !(rule.ms >= 0)) throw new RangeError(`a delay needs ms ≥ 0, got ${rule.ms}`);
    if (rule.dn !== undefined && typeof rule.dn === 'string') parseDN(rule.dn); // a typo fails here, not silently never matching
    const fault: ActiveFault = { rule, hits: 0 };
    this.active.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      remove: () => {
        const at = this.active.indexOf(fault);
        if (at >= 0) this.active.splice(at, 1);
      },
    };
  }

  /** Removes every rule and accepts connections again. */
  async clear(): Promise<void> {
    this.active.length = 0;
    await this.acceptConnections();
  }

  /** Connections are refused (the listener closes; in-process connect() fails) until acceptConnections(). */
  async refuseConnections(): Promise<void> {
    this.refusing = true;
    await this.onRefuse?.(true);
  }

  async acceptConnections(): Promise<void> {
    if (!this.refusing) return;
    this.refusing = false;
    await this.onRefuse?.(false);
  }

  get refusingConnections(): boolean {
    return this.refusing;
  }

  /** The action for a request, if a rule matches it (counting the hit). */
  match(request: RequestOp): FaultAction | undefined {
    const operation = OPERATION_OF[request.type];
    if (operation === undefined || this.active.length === 0) return undefined;
    for (const fault of this.active) {
      if (!matches(fault.rule, request, operation)) continue;
      fault.hits++;
      if (fault.rule.times !== undefined && fault.hits >= fault.rule.times) this.active.splice(this.active.indexOf(fault), 1);
      return fault.rule;
    }
    return undefined;
  }
}

const matches = (rule: FaultRule, request: RequestOp, operation: FaultOperation): boolean => {
  if (rule.operation !== undefined) {
    const wanted = typeof rule.operation === 'string' ? [rule.operation] : rule.operation;
    if (!wanted.includes(operation)) return false;
  }
  if (rule.oid !== undefined && (request.type !== 'extendedReq' || request.requestName !== rule.oid)) return false;
  if (rule.dn === undefined) return true;
  const dn = dnOf(request);
  if (dn === undefined) return false;
  if (rule.dn instanceof RegExp) return rule.dn.test(dn);
  try {
    const target = parseDN(dn);
    const pattern = parseDN(rule.dn);
    return target.equals(pattern) || target.isDescendantOf(pattern);
  } catch {
    return false;
  }
};
