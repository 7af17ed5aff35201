import type { Duplex } from 'node:stream';
import { BerWriter, writeMessage } from './deps';
import type { LdapMessage } from './deps';

/** Flush once this many octets are waiting: one write per batch of entries, not one per entry. */
const BATCH_BYTES = 64 * 1024;

/**
 * What a session writes: messages encoded into one buffer and written in batches (at the end
 * of the current tick, or at once when a batch is full), with the socket's backpressure
 * honoured: `writable` turns false when the socket's buffer is full and `drained()` waits for
 * it to empty, so a large search never buffers more than the socket's high-water mark plus a
 * batch, whatever the client's reading speed.
 */
export class Outbox {
  private writer = new BerWriter(BATCH_BYTES);
  private scheduled = false;
  private blocked = false;
  private waiters: Array<() => void> = [];
  private ended = false;

  constructor(private socket: Duplex) {
    socket.on('drain', this.onDrain);
  }

  /** Moves to the TLS socket after StartTLS. */
  replaceSocket(socket: Duplex): void {
    this.socket.off('drain', this.onDrain);
    this.socket = socket;
    socket.on('drain', this.onDrain);
  }

  /** Whether the socket can take more without waiting. */
  get writable(): boolean {
    return !this.blocked && !this.ended;
  }

  /** Resolves when the socket wants more (at once if it does), or when the session ends. */
  drained(): Promise<void> {
    if (this.writable) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(message: LdapMessage): void {
    if (this.ended) return;
    writeMessage(this.writer, message);
    if (this.writer.length >= BATCH_BYTES) this.flush();
    else this.schedule();
  }

  /** Writes raw octets after what is queued (a fault's half PDU). */
  sendRaw(bytes: Buffer): void {
    this.flush();
    if (!this.ended) this.socket.write(bytes);
  }

  /** Writes what is queued now. */
  flush(): void {
    if (this.writer.length === 0 || this.ended) return;
    // The writer is replaced, so its buffer can be handed to the socket without a copy.
    const bytes = this.writer.toBuffer();
    this.writer = new BerWriter(BATCH_BYTES);
    if (!this.socket.write(bytes)) this.blocked = true;
  }

  /** Stops writing for good: later sends are dropped and waiters released. */
  end(): void {
    this.ended = true;
    this.socket.off('drain', this.onDrain);
    this.release();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.release();
  };

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
