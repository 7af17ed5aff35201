/**
 * Read coalescing for streamed responses.
 *
 * A server streams a search as one small write per entry. A client that reads as soon as bytes
 * arrive then wakes once per entry or two: each wake costs this process a syscall and an event
 * loop turn, and costs the server a cross-CPU wake-up and more TCP work per write. Measured on
 * loopback with slapd and 100,000 entries, an eager reader made some 50,000 reads and slapd
 * spent 770 ms of CPU; holding the next read for 1 ms after a small one gave about 1,000 reads
 * of ~47 KiB, slapd spent 380 ms, and the whole transfer took half the time.
 *
 * The hold applies only to a turn whose reads were small (the socket was drained by a trickle,
 * not a full buffer) and that ended no operation, and only while every pending operation is a
 * search: a compare, bind, modify or extended operation waiting on the same connection turns
 * it off, so their latency is untouched by a stream beside them. A search that shares the
 * connection with a stream (a base search beside a persistent search) may see its answer up to
 * `delayMs` later. The server keeps writing into the kernel's buffer during a hold.
 */

/** Longest hold a connection accepts: beyond a few ms a hold costs latency and gains nothing. */
export const MAX_COALESCE_READS_MS = 10;

/** Throws RangeError unless `delayMs` is a number of milliseconds from 0 to MAX_COALESCE_READS_MS. */
export const checkCoalesceReadsMs = (delayMs: number): void => {
  if (!(Number.isFinite(delayMs) && delayMs >= 0 && delayMs <= MAX_COALESCE_READS_MS)) {
    throw new RangeError(`coalesceReadsMs must be a number of milliseconds from 0 to ${MAX_COALESCE_READS_MS}, not ${delayMs}`);
  }
};

/** A turn that read at least this much was not a trickle: read on at once. */
export const SMALL_TURN_BYTES = 32 * 1024;

/** What the coalescer needs from its connection. */
export interface ReadHolder {
  /** Whether operations wait for responses and all of them are searches (see above). */
  onlyStreamsPending(): boolean;
  /** A hold began or ran out: read `holding` and stop or restart reading (not called by cancel()). */
  holdChanged(): void;
}

export class ReadCoalescer {
  private turnBytes = 0;
  private turnEndedOperation = false;
  private turnCheckScheduled = false;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(
    /** Longest a read is held; 0 turns coalescing off. */
    private readonly delayMs: number,
    private readonly holder: ReadHolder,
  ) {
    checkCoalesceReadsMs(delayMs);
  }

  /** Whether a read is being held right now. */
  get holding(): boolean {
    return this.holdTimer !== undefined;
  }

  /** Called after each chunk is parsed and dispatched. */
  afterRead(bytes: number): void {
    if (this.delayMs <= 0) return;
    this.turnBytes += bytes;
    if (this.turnCheckScheduled) return;
    this.turnCheckScheduled = true;
    // A TLS socket delivers one chunk per record, several per TCP read: judge the whole turn,
    // once the poll phase that delivered them is over.
    setImmediate(this.endOfTurn);
  }

  /** Called when a response ended its operation. */
  operationEnded(): void {
    this.turnEndedOperation = true;
  }

  /** Drops a hold without telling the holder (the connection closed, or its socket was replaced). */
  cancel(): void {
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }

  private readonly endOfTurn = (): void => {
    const trickle = this.turnBytes < SMALL_TURN_BYTES && !this.turnEndedOperation;
    this.turnCheckScheduled = false;
    this.turnBytes = 0;
    this.turnEndedOperation = false;
    if (!trickle || this.holdTimer !== undefined || !this.holder.onlyStreamsPending()) return;
    // Not unref'd: a socket that is not reading does not keep the process alive, so the timer
    // must, or a process waiting on this stream would exit mid-search.
    this.holdTimer = setTimeout(this.endHold, this.delayMs);
    this.holder.holdChanged();
  };

  private readonly endHold = (): void => {
    this.holdTimer = undefined;
    this.holder.holdChanged();
  };
}
