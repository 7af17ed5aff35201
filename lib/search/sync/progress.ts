import type { SyncEvent } from '../syncrepl-events';
import type { CallbackEvent, SyncProgress } from './consumer-events';

/** How many entries one SyncEvent sends (a syncIdSet sends many; a cookie or phaseEnd none). */
const entriesIn = (event: SyncEvent): number => {
  switch (event.type) {
    case 'add':
    case 'modify':
    case 'present':
    case 'delete':
      return 1;
    case 'syncIdSet':
      return event.entryUUIDs.length;
    default:
      return 0;
  }
};

const changesIn = (actions: readonly CallbackEvent[]): number => {
  let changes = 0;
  for (const action of actions) if (action.type === 'add' || action.type === 'delete' || action.type === 'rename' || action.type === 'change') changes++;
  return changes;
};

/**
 * Counts what a refresh has sent and tells it as `progress` events, no more often than the
 * interval (a clock read per event is all it costs between two of them).
 */
export class RefreshProgress {
  private startedAt = 0;
  private lastAt = 0;
  private entries = 0;
  private changes = 0;

  constructor(
    private readonly interval: number,
    private readonly emit: (progress: SyncProgress) => void,
  ) {}

  /** A sync request was sent: counting starts over. */
  begin(): void {
    this.startedAt = performance.now();
    this.lastAt = this.startedAt;
    this.entries = 0;
    this.changes = 0;
  }

  /** One event of the refresh stage and what it did; emits `refresh` progress when the interval has passed. */
  count(event: SyncEvent, actions: readonly CallbackEvent[], size: number): void {
    this.entries += entriesIn(event);
    this.changes += changesIn(actions);
    if (performance.now() - this.lastAt >= this.interval) this.report('refresh', size);
  }

  /** Deletions the sweep made (they were counted as changes, not as entries sent). */
  swept(actions: readonly CallbackEvent[]): void {
    this.changes += changesIn(actions);
  }

  report(phase: SyncProgress['phase'], size: number): void {
    const now = performance.now();
    this.lastAt = now;
    const elapsedMs = now - this.startedAt;
    this.emit({ type: 'progress', phase, entries: this.entries, changes: this.changes, size, elapsedMs, rate: elapsedMs > 0 ? (this.entries * 1000) / elapsedMs : 0 });
  }
}
