import type { CliStream } from './io';

const REDRAW_MS = 200;

const count = (n: number): string => n.toLocaleString('en-US');

const clock = (ms: number): string => {
  const seconds = ms / 1000;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, '0')}`;
};

/**
 * The progress line of a long search, on stderr when it is a terminal: entries so far, their
 * rate, time elapsed. Redrawn at most every 200 ms (and on a timer while the server is silent,
 * so elapsed time moves); the last line stays, with the totals.
 */
export class ProgressLine {
  private entries = 0;
  private lastDraw = -Infinity;
  private readonly started: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly stream: CliStream,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.timer = setInterval(() => this.draw(), REDRAW_MS * 2);
    this.timer.unref();
  }

  /** One more entry. */
  tick(): void {
    this.entries++;
    if (this.entries === 1 || this.now() - this.lastDraw >= REDRAW_MS) this.draw();
  }

  private text(): string {
    const elapsed = this.now() - this.started;
    const rate = elapsed > 0 ? Math.round((this.entries * 1000) / elapsed) : 0;
    return `${count(this.entries)} entries  ${count(rate)}/s  ${clock(elapsed)}`;
  }

  private draw(): void {
    this.lastDraw = this.now();
    this.stream.write(`\r\u001b[K${this.text()}`);
  }

  /** The final line, kept on the terminal: `done`, or `stopped` when the search failed or was interrupted. */
  finish(outcome: 'done' | 'stopped'): void {
    clearInterval(this.timer);
    this.stream.write(`\r\u001b[K${this.text()}  ${outcome}\n`);
  }
}
