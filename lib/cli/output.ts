import type { CliStream } from './io';

/** A promise that resolves once `signal` is aborted (never, if it is not). */
const aborted = (signal: AbortSignal): Promise<void> =>
  signal.aborted ? Promise.resolve() : new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

/**
 * Lines to a stream, honouring its backpressure: write() returns a Promise only when the
 * stream asked to wait (its buffer is full), so a fast search into a slow pipe holds the
 * search (and, through the search's iterator, the socket) instead of filling memory. Every
 * wait also ends when `stop` is aborted: a stream whose reader went away (EPIPE) never drains.
 */
export class LineWriter {
  private last: Promise<void> = Promise.resolve();
  private readonly stopped: Promise<void>;

  constructor(
    private readonly stream: CliStream,
    private readonly stop: AbortSignal,
  ) {
    this.stopped = aborted(stop);
  }

  write(text: string): Promise<void> | undefined {
    let settle!: () => void;
    let fail!: (error: Error) => void;
    const written = new Promise<void>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    written.catch(() => undefined); // a failure is seen by flushed() or the stream's 'error'
    this.last = written;
    // A write's callback comes once the text is handed to the OS (or failed): flushed() waits for it.
    const ready = this.stream.write(text, (error) => (error ? fail(error) : settle()));
    if (ready || this.stop.aborted) return undefined;
    return Promise.race([new Promise<void>((resolve) => this.stream.once('drain', resolve)), this.stopped]);
  }

  /**
   * Resolves once everything written so far has been handed to the OS, or rejects with the
   * write's error: what a watch waits for before it saves the cookie that covers the output.
   */
  flushed(): Promise<void> {
    return this.last;
  }

  /** Like flushed(), but resolves at once after stop, and never rejects: for the way out. */
  settled(): Promise<void> {
    return Promise.race([this.last.catch(() => undefined), this.stopped]);
  }
}
