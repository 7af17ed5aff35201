import { Duplex } from 'node:stream';

/**
 * Two Duplex streams joined back to back, what Node 22's stream.duplexPair() gives (Node 20 has
 * none): bytes written to one are read from the other. A write's callback waits until the other
 * side has room, so backpressure crosses the pair as it would cross a socket. Ending one side
 * ends the other's readable side; destroying one destroys both, like a connection reset.
 */
class Half extends Duplex {
  peer!: Half;
  /** A write the peer had no room for, released when the peer reads again. */
  private pending: (() => void) | undefined;

  constructor() {
    super({ allowHalfOpen: false });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer.destroyed) {
      callback(new Error('the other side of the in-process connection is closed'));
      return;
    }
    if (this.peer.push(chunk)) callback();
    else this.peer.pending = callback;
  }

  override _read(): void {
    const release = this.pending;
    this.pending = undefined;
    release?.();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const release = this.pending;
    this.pending = undefined;
    release?.();
    if (!this.peer.destroyed) {
      this.peer.push(null);
      this.peer.destroy();
    }
    callback(error);
  }
}

export const duplexPair = (): [Duplex, Duplex] => {
  const a = new Half();
  const b = new Half();
  a.peer = b;
  b.peer = a;
  return [a, b];
};
