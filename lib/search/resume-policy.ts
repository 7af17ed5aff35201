import { isConnectionLoss } from '../errors';

/** Resumes allowed within RESUME_WINDOW_MS before a feed gives up and fails. */
const MAX_RESUMES = 10;
/** Resumes further apart than this are separate incidents: the count starts again. */
const RESUME_WINDOW_MS = 60_000;

/** A lost connection the client may be able to replace: the feed may resume. */
export const isResumable = isConnectionLoss;

/**
 * When a feed (syncrepl, persistent search) may start again after its connection was lost, and
 * after how long. Counted over a time window, not reset by a message: a server that accepts,
 * sends one message and drops the connection must not get a feed resuming as fast as it can.
 */
export class ResumePolicy {
  private count = 0;
  private lastAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The wait before the next resume, or undefined when the feed should fail instead. */
  next(): number | undefined {
    const now = this.now();
    if (now - this.lastAt > RESUME_WINDOW_MS) this.count = 0;
    this.lastAt = now;
    this.count++;
    if (this.count > MAX_RESUMES) return undefined;
    return this.count === 1 ? 0 : Math.min(5_000, 100 * 2 ** (this.count - 2));
  }
}
