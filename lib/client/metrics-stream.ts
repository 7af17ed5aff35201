import type { Observable as ObservableType } from 'rxjs';
import { Observable, Subject } from '../util/rxjs';
import type { ClientMetrics, MetricsCounters } from './metrics';

/** How often Client.metrics$ may emit while the counts change, by default. */
export const DEFAULT_METRICS_INTERVAL = 1_000;

export const checkMetricsInterval = (interval: number): number => {
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    throw new RangeError(`metricsInterval must be a positive number of milliseconds, not ${String(interval)}`);
  }
  return interval;
};

/**
 * Client.metrics$: a snapshot on subscribe, then at most one every `interval` ms while the counts
 * change. A timer is armed only by a change seen while someone watches, is unref'd (it never
 * keeps the process alive) and is cleared when the last watcher leaves; an idle or unwatched
 * client runs no timer at all. All watchers share the one timer and the one snapshot.
 */
export class MetricsStream {
  readonly metrics$: ObservableType<ClientMetrics>;
  private readonly subject = new Subject<ClientMetrics>();
  private watchers = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastEmittedAt = 0;

  constructor(
    private readonly counters: MetricsCounters,
    private readonly interval: number,
  ) {
    this.metrics$ = new Observable<ClientMetrics>((subscriber) => {
      subscriber.next(this.counters.snapshot());
      this.lastEmittedAt = performance.now();
      const subscription = this.subject.subscribe(subscriber);
      this.watchers++;
      return () => {
        subscription.unsubscribe();
        if (--this.watchers === 0) this.disarm();
      };
    });
  }

  /** Called after every count: two comparisons when nobody watches or a timer is already armed. */
  changed(): void {
    if (this.watchers !== 0 && this.timer === undefined) this.arm();
  }

  private arm(): void {
    const wait = Math.max(0, this.lastEmittedAt + this.interval - performance.now());
    this.timer = setTimeout(this.emit, wait);
    this.timer.unref();
  }

  private readonly emit = (): void => {
    this.timer = undefined;
    this.lastEmittedAt = performance.now();
    this.subject.next(this.counters.snapshot());
  };

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
