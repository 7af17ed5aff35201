import type { Observable } from 'rxjs';
import type { ConnectionObserver } from '../connection/connection';
import type { RxLdapError } from '../errors';
import type { LdapMessage, RequestOp } from '../protocol/types';
import type { ClientEvent } from './events';
import { errorSummary, eventLine, responseSummary } from './log-summaries';
import { DEFAULT_LOG_LEVEL, checkLogLevel, levelRank, toLogFunction } from './logging';
import type { LogFunction, Logger, LogLevel } from './logging';
import { MetricsCounters } from './metrics';
import type { ClientMetrics } from './metrics';
import { DEFAULT_METRICS_INTERVAL, MetricsStream, checkMetricsInterval } from './metrics-stream';

/** The ClientOptions telemetry reads. */
export interface TelemetryOptions {
  logger?: Logger;
  logLevel?: LogLevel;
  metricsInterval?: number;
}

const PROTOCOL = levelRank('protocol');
const NETWORK = levelRank('network');
/** The rank of a client without a logger: below every level, so no line is even built. */
const SILENT = -1;

/**
 * A client's metrics and logging in one place: a ConnectionObserver for every connection the
 * client opens, and a sink for the client's events. Counting is always on (it costs a few
 * increments); a log line is built only when its level is enabled.
 */
export class Telemetry {
  private readonly counters = new MetricsCounters();
  private readonly stream: MetricsStream;
  private readonly log: LogFunction | undefined;
  private readonly rank: number;

  constructor(options: TelemetryOptions) {
    this.stream = new MetricsStream(this.counters, checkMetricsInterval(options.metricsInterval ?? DEFAULT_METRICS_INTERVAL));
    const level = checkLogLevel(options.logLevel ?? DEFAULT_LOG_LEVEL);
    this.log = options.logger === undefined ? undefined : toLogFunction(options.logger);
    this.rank = this.log === undefined ? SILENT : levelRank(level);
  }

  /** What every connection of the client reports its traffic to. */
  readonly observer: ConnectionObserver = {
    read: (bytes: number): void => {
      this.counters.read(bytes);
      this.stream.changed();
      if (this.rank >= NETWORK) this.write('network', `read ${bytes} bytes`, { bytes });
    },
    sent: (request: { readonly type: RequestOp['type']; readonly messageId: number; readonly bytes: number }): void => {
      this.counters.sent(request.type, request.bytes);
      this.stream.changed();
      if (this.rank >= PROTOCOL) this.write('protocol', `sent ${request.type} #${request.messageId}`, { messageId: request.messageId, type: request.type });
      if (this.rank >= NETWORK) this.write('network', `wrote ${request.bytes} bytes`, { bytes: request.bytes, messageId: request.messageId });
    },
    received: (message: LdapMessage): void => {
      this.counters.received(message);
      this.stream.changed();
      if (this.rank >= PROTOCOL) this.write('protocol', `received ${message.protocolOp.type} #${message.messageId}`, responseSummary(message));
    },
    closed: (reason: RxLdapError): void => {
      this.counters.closed();
      this.stream.changed();
      // The client's `disconnected` event says it at basic or error level, knowing whether it was expected.
      if (this.rank >= NETWORK) this.write('network', 'socket closed', { reason: errorSummary(reason) });
    },
  };

  /** Takes the client's events (Client.events): counts and logs them. */
  event(event: ClientEvent): void {
    if (event.type === 'connected') this.counters.connected();
    else if (event.type === 'reconnecting') this.counters.reconnecting();
    else if (event.type === 'failover') this.counters.failover();
    this.stream.changed();
    if (this.rank === SILENT) return;
    const line = eventLine(event);
    if (this.rank >= levelRank(line.level)) this.write(line.level, line.message, line.fields);
  }

  /** A frozen snapshot of the counts (Client.metrics). */
  get metrics(): ClientMetrics {
    return this.counters.snapshot();
  }

  /** Snapshots as they change (Client.metrics$). */
  get metrics$(): Observable<ClientMetrics> {
    return this.stream.metrics$;
  }

  private write(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>>): void {
    this.log?.(level, message, fields);
  }
}
