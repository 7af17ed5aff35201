import { Worker } from 'node:worker_threads';
import { SyncStoreStateError } from '../../errors';
import { WRITER_SOURCE } from './writer-source';

/** What the writer thread needs to open its connection. */
export interface WriterSettings {
  /** better-sqlite3's resolved path (the thread requires it by path: it has no module of its own to resolve from). */
  readonly driver: string;
  readonly path: string;
  readonly synchronous: 'cookies' | 'full' | 'normal';
  readonly cacheKiB: number;
  readonly walAutocheckpointPages: number;
}

/** One batch as the thread applies it: rows already keyed and encoded on the main thread. */
export interface WriterBatch {
  readonly deletes: readonly string[];
  readonly puts: PackedRows;
  readonly seen: readonly string[];
  readonly mark: number;
  /** The mark is higher than any stored: the meta row is updated. */
  readonly newMark: boolean;
  readonly cookie?: Buffer;
  /** Whether this commit is fsynced (synchronous FULL) before it is acknowledged. */
  readonly fsync: boolean;
}

/** entryUUID, DN, DN key, attributes as JSON, four fields per entry, UTF-8 one after the other in `bytes` (up to `size`); `lengths` has each field's byte length. */
export interface PackedRows {
  /** On a SharedArrayBuffer: the thread reads it in place, and it is reused once the commit is answered. */
  readonly bytes: Buffer;
  readonly size: number;
  readonly lengths: Uint32Array;
}

/**
 * Shared buffers for packed rows, reused from commit to commit: one per commit in flight (the
 * consumer has at most one, and builds the next batch meanwhile), each as large as the largest
 * batch it held.
 */
export class RowBuffers {
  private readonly free: Buffer[] = [];

  take(atLeast: number): Buffer {
    const buffer = this.free.pop();
    return buffer !== undefined && buffer.length >= atLeast ? buffer : RowBuffers.allocate(Math.max(atLeast, buffer?.length ?? 0));
  }

  /** A larger buffer holding the first `used` bytes of `buffer` (which is dropped). */
  grow(buffer: Buffer, used: number, atLeast: number): Buffer {
    const larger = RowBuffers.allocate(Math.max(buffer.length * 2, atLeast));
    buffer.copy(larger, 0, 0, used);
    return larger;
  }

  release(buffer: Buffer): void {
    if (this.free.length < 4) this.free.push(buffer);
  }

  private static allocate(size: number): Buffer {
    return Buffer.from(new SharedArrayBuffer(Math.max(65_536, size)));
  }
}

interface Reply {
  id: number;
  error?: { name?: string; message: string; code?: string };
}

/**
 * SqliteSyncStore's writes, run on a thread of their own: SQLite's inserts and fsyncs cost about
 * as much as decoding the entries, and on the main thread they came on top of it. A commit
 * resolves when the thread has committed the transaction, so the store's guarantees are those of
 * a synchronous commit; what runs in parallel is the consumer decoding the next batch.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  constructor(settings: WriterSettings) {
    // The thread makes short-lived strings only (a row's fields, each bound and dropped): a small
    // young generation keeps its heap, which counts in the process's memory, to a few MiB.
    this.worker = new Worker(WRITER_SOURCE, { eval: true, workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (waiter === undefined) return;
      this.waiting.delete(reply.id);
      if (reply.error === undefined) waiter.resolve();
      else waiter.reject(new SyncStoreStateError(`SqliteSyncStore: the commit failed: ${reply.error.message}`, { cause: reply.error }));
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', (error) => fail(new SyncStoreStateError('SqliteSyncStore: the writer thread failed', { cause: error })));
    this.worker.on('exit', () => fail(new SyncStoreStateError('SqliteSyncStore: the writer thread has ended')));
  }

  /** Shared buffers for the rows of commit(); a batch's buffer is released when its commit is answered. */
  readonly buffers = new RowBuffers();

  /** Applies one batch; resolves once it is committed (and fsynced when `fsync`). */
  async commit(batch: WriterBatch): Promise<void> {
    try {
      await this.send(batch);
    } finally {
      this.buffers.release(batch.puts.bytes);
    }
  }

  /** Closes the thread's connection and waits for the thread to end. */
  async close(): Promise<void> {
    if (this.failure !== undefined) return;
    const ended = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await this.send({ close: true }).catch(() => undefined);
    await ended;
  }

  private send(message: WriterBatch | { close: true }): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}
