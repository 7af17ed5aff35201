/**
 * A search (plain or paged), or any source of LDIF records, as a Readable of LDIF bytes:
 * `ldifStream(client.search(base, options)).pipe(createWriteStream('out.ldif'))`.
 *
 * From an async-iterable source (every search Operation) it pulls: it asks for the next entry
 * only while the Readable wants more, so a slow destination pauses the socket (the search's
 * own backpressure) and memory stays bounded. Entries are written as bytes into 64 KiB chunks
 * (LdifSink); a chunk goes out when full, or what there is of it at the end of the turn of the
 * event loop in which its entries arrived, so a feed that goes quiet (a persistent search) never
 * holds a change back. An Observable that is not async-iterable is subscribed to and cannot be
 * paused.
 *
 * An Operation is read with a window of ENTRY_WINDOW entries (or its own highWaterMark if that
 * is lower). Why: a file written through fs.createWriteStream takes one write per turn of the
 * event loop, while the socket hands over up to 2 MiB in one turn; so the stream often waits for
 * the file, and with the search's default window (1000) a thousand entries waited as objects,
 * survived garbage collections and grew the heap by 20 MiB (95 MiB peak RSS for a 100,000-entry
 * search against 71 MiB for the plain search). With a window of 100 the peak is the plain
 * search's (about 74 MiB), at no cost in time: the bytes of those entries are what is waiting.
 */
import { Readable } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import { LDIF_CHUNK_BYTES } from '../ldif/sink';
import type { LdifEntryLike, LdifRecord } from '../ldif/records';
import { LdifRecordBytes } from '../ldif/writer';
import type { LdifStreamOptions } from '../ldif/writer';
import { iterateUndecoded, Operation } from '../operations/operation';
import { UndecodedEntry } from '../protocol/undecoded-entry';
import type { SearchReference } from './entry';

/** What the stream writes: entries and records; search references are left out (LDIF has no place for them). */
export type LdifStreamItem = LdifEntryLike | LdifRecord | SearchReference;

/**
 * The chunks the LDIF is written into. Larger ones make fewer writes, but each is a Buffer that
 * lives until the file has written it and the garbage collector has run: 256 KiB chunks cost
 * 15-20 MiB more peak RSS in the 100,000-entry benchmark, and saved no time that showed.
 */
const CHUNK_BYTES = LDIF_CHUNK_BYTES;

/** Entries an Operation may hold unread for the stream (see above). */
const ENTRY_WINDOW = 100;

const isAsyncIterable = (source: unknown): source is AsyncIterable<LdifStreamItem> =>
  typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

class LdifReadable extends Readable {
  private readonly out: LdifRecordBytes;
  /** Bytes written and not yet pushed (a flush is due at the end of this turn). */
  private unpushed = false;
  private flushScheduled = false;
  private items: AsyncIterator<LdifStreamItem> | undefined;
  private subscription: Subscription | undefined;
  private pulling = false;
  private ended = false;

  constructor(
    private readonly source: AsyncIterable<LdifStreamItem> | Observable<LdifStreamItem>,
    options: LdifStreamOptions,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
    this.out = new LdifRecordBytes(options, CHUNK_BYTES);
    this.unpushed = options.version === true;
  }

  override _read(): void {
    if (this.ended) return;
    if (isAsyncIterable(this.source)) {
      this.items ??= this.source instanceof Operation ? iterateUndecoded(this.source, Math.min(this.source.highWaterMark, ENTRY_WINDOW)) : this.source[Symbol.asyncIterator]();
      if (!this.pulling) void this.pull(this.items);
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
  private async pull(items: AsyncIterator<LdifStreamItem>): Promise<void> {
    this.pulling = true;
    try {
      for (;;) {
        const next = await items.next();
        if (this.destroyed) return;
        if (next.done === true) {
          this.finish();
          return;
        }
        if (!this.add(next.value)) continue;
        // Full chunks go out now, the rest at the end of this turn.
        const wantsMore = this.pushAll(this.out.takeFull());
        this.scheduleFlush();
        if (!wantsMore) return;
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.pulling = false;
    }
  }

  /** Writes one item; false when it writes nothing. */
  private add(item: LdifStreamItem): boolean {
    if (item.type === 'reference') return false;
    if (item instanceof UndecodedEntry) this.out.addUndecoded(item);
    else this.out.add(item);
    this.unpushed = true;
    return true;
  }

  /** Pushes chunks; the Readable's answer to the last (false: stop pulling until the next _read). */
  private pushAll(chunks: readonly Buffer[]): boolean {
    let wantsMore = true;
    for (const chunk of chunks) wantsMore = this.push(chunk);
    return wantsMore;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.destroyed && !this.ended) this.flush();
    });
  }

  /** Pushes all that was written. */
  private flush(): void {
    if (!this.unpushed) return;
    this.unpushed = false;
    this.pushAll(this.out.takeAll());
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
