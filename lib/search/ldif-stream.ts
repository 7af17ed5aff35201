/**
 * A search (plain or paged), or any source of LDIF records, as a Readable of LDIF bytes:
 * `ldifStream(client.search(base, options)).pipe(createWriteStream('out.ldif'))`.
 *
 * From an async-iterable source (every search Operation) it pulls: it asks for the next entry
 * only while the Readable wants more, so a slow destination pauses the socket (the search's
 * own backpressure) and memory stays bounded. Entries are formatted into batches of about
 * 64 KiB; a batch goes out when full, or at the end of the turn of the event loop in which its
 * entries arrived, so a feed that goes quiet (a persistent search) never holds a change back.
 * An Observable that is not async-iterable is subscribed to and cannot be paused.
 */
import { Readable } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import { formatLdifRecord, ldifFormat } from '../ldif/write';
import type { LdifFormat } from '../ldif/write';
import type { LdifStreamOptions } from '../ldif/writer';
import type { LdifEntryLike, LdifRecord } from '../ldif/records';
import type { SearchReference } from './entry';

/** What the stream writes: entries and records; search references are left out (LDIF has no place for them). */
export type LdifStreamItem = LdifEntryLike | LdifRecord | SearchReference;

const BATCH_BYTES = 64 * 1024;

const isAsyncIterable = (source: unknown): source is AsyncIterable<LdifStreamItem> =>
  typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

class LdifReadable extends Readable {
  private readonly format: LdifFormat;
  private batch: string;
  private flushScheduled = false;
  private items: AsyncIterator<LdifStreamItem> | undefined;
  private subscription: Subscription | undefined;
  private pulling = false;
  private ended = false;

  constructor(
    private readonly source: AsyncIterable<LdifStreamItem> | Observable<LdifStreamItem>,
    options: LdifStreamOptions,
  ) {
    super({ highWaterMark: BATCH_BYTES });
    this.format = ldifFormat(options);
    this.batch = options.version === true ? 'version: 1\n\n' : '';
  }

  override _read(): void {
    if (this.ended) return;
    if (isAsyncIterable(this.source)) {
      this.items ??= this.source[Symbol.asyncIterator]();
      if (!this.pulling) void this.pull();
    } else if (this.subscription === undefined) {
      this.subscription = this.source.subscribe({
        next: (item) => {
          if (this.add(item)) this.scheduleFlush();
        },
        error: (error: unknown) => this.fail(error),
        complete: () => this.finish(),
      });
    }
  }

  /** Takes items while the Readable wants more; stops when push() says it has enough. */
  private async pull(): Promise<void> {
    this.pulling = true;
    try {
      for (;;) {
        const next = await this.items!.next();
        if (this.destroyed) return;
        if (next.done === true) {
          this.finish();
          return;
        }
        if (this.add(next.value) && this.batch.length >= BATCH_BYTES) {
          if (!this.flush()) return;
        } else if (this.batch.length > 0) {
          this.scheduleFlush();
        }
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.pulling = false;
    }
  }

  /** Formats one item into the batch; false when it writes nothing. */
  private add(item: LdifStreamItem): boolean {
    if (item.type === 'reference') return false;
    this.batch += formatLdifRecord(item, this.format) + '\n';
    return true;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.destroyed && !this.ended) this.flush();
    });
  }

  /** Pushes the batch; the Readable's answer (false: stop pulling until the next _read). */
  private flush(): boolean {
    if (this.batch.length === 0) return true;
    const text = this.batch;
    this.batch = '';
    return this.push(Buffer.from(text, 'latin1'));
  }

  private finish(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.push(null);
  }

  private fail(error: unknown): void {
    this.ended = true;
    this.destroy(error instanceof Error ? error : new Error(String(error)));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.ended = true;
    this.subscription?.unsubscribe();
    // Ends an unfinished search (its Operation abandons it).
    const stop = this.items?.return?.();
    if (stop !== undefined) stop.catch(() => undefined);
    callback(error);
  }
}

/**
 * LDIF bytes for every entry (or record) of `source`: a search or paged search Operation, or an
 * Observable / async iterable of entries and LDIF records (change events mapped with
 * changeEventToLdif or a SyncLdifTranslator). Each record is followed by a blank line, as
 * `ldapsearch -LLL` prints them; the options are the writer's (use LDAPSEARCH_LDIF to match
 * ldapsearch byte for byte). A failed search destroys the stream with its error.
 */
export const ldifStream = (source: AsyncIterable<LdifStreamItem> | Observable<LdifStreamItem>, options: LdifStreamOptions = {}): Readable =>
  new LdifReadable(source, options);
