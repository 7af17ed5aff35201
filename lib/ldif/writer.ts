/**
 * The LDIF writer as a Node Transform: records or entries in (object mode), LDIF bytes out, each
 * record followed by a blank line, as `ldapsearch -LLL` prints them. `version: true` begins the
 * output with RFC 2849's `version: 1` line.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { LdifEntryLike, LdifRecord } from './records';
import { LDIF_CHUNK_BYTES, LdifSink } from './sink';
import type { UndecodedEntry } from '../protocol/undecoded-entry';
import { ldifFormat, RecentNames, writeLdifRecord } from './write';
import type { LdifFormat, LdifWriterOptions } from './write';
import { writeUndecodedEntry } from './write-undecoded';

export interface LdifStreamOptions extends LdifWriterOptions {
  /** Begin with `version: 1` and a blank line (default false, as ldapsearch -LLL). */
  version?: boolean;
}

/**
 * Writes records into a sink and hands out whole records only. A record that fails half way (a
 * bad attribute name) throws, and what was written since the last take (that record, and any
 * before it not yet taken) is dropped, so no half record reaches the output: the Transform takes
 * after every record, and ldifStream ends with the error.
 */
const NONE: readonly Buffer[] = Object.freeze([]);

export class LdifRecordBytes {
  readonly format: LdifFormat;
  private readonly sink: LdifSink;
  private ready: Buffer[] = [];
  private readonly recent: RecentNames;

  /** @param chunkBytes The size of the chunks the bytes are written into (see LdifSink). */
  constructor(options: LdifStreamOptions, chunkBytes = LDIF_CHUNK_BYTES) {
    this.format = ldifFormat(options);
    this.recent = new RecentNames(this.format);
    this.sink = new LdifSink(this.format.wrap, (bytes) => this.ready.push(bytes), chunkBytes);
    // Not through the sink: it would fold the line at a small wrap, which ldapsearch never does.
    if (options.version === true) this.ready.push(Buffer.from('version: 1\n\n', 'latin1'));
  }

  /** Writes one record and its blank line; throws what the writer throws. */
  add(record: LdifRecord | LdifEntryLike): void {
    this.write(writeLdifRecord, record);
  }

  /** add() for an entry received undecoded (ldifStream's own search): the same bytes. */
  addUndecoded(entry: UndecodedEntry): void {
    this.write(writeUndecodedEntry, entry);
  }

  /** One record through `writer`, then its blank line; a refused record leaves nothing of itself. */
  private write<T>(writer: (sink: LdifSink, item: T, format: LdifFormat, recent: RecentNames) => void, item: T): void {
    const before = this.ready.length;
    const pending = this.sink.pending;
    try {
      writer(this.sink, item, this.format, this.recent);
    } catch (error) {
      this.unwrite(before, pending);
      throw error;
    }
    this.sink.reserveLine(0);
    this.sink.endLine();
  }

  /**
   * Drops a refused record's bytes, and only those: the records written before it since the
   * last take (`pending` bytes of the sink) stay. A chunk that filled up during the record holds
   * those records and then the record's start: it is cut where the record began.
   */
  private unwrite(before: number, pending: number): void {
    if (this.ready.length === before) {
      this.sink.discardFrom(pending);
      return;
    }
    const first = this.ready[before] as Buffer;
    this.ready.length = before;
    if (pending > 0) this.ready.push(first.subarray(0, pending));
    this.sink.discard();
  }

  /** Full chunks finished so far (the sink's own chunk stays); the caller may keep the array. */
  takeFull(): readonly Buffer[] {
    if (this.ready.length === 0) return NONE;
    const full = this.ready;
    this.ready = [];
    return full;
  }

  /** Everything written so far, as chunks (none when nothing was). */
  takeAll(): Buffer[] {
    const all = this.ready;
    this.ready = [];
    const rest = this.sink.take();
    if (rest.length > 0) all.push(rest);
    return all;
  }
}

export class LdifWriter extends Transform {
  private readonly out: LdifRecordBytes;
  private readonly version: boolean;
  private wrote = false;

  constructor(options: LdifStreamOptions = {}) {
    super({ writableObjectMode: true, readableObjectMode: false });
    this.out = new LdifRecordBytes({ ...options, version: false });
    this.version = options.version === true;
  }

  override _transform(record: LdifRecord | LdifEntryLike, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.out.add(record);
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (!this.wrote) {
      this.wrote = true;
      if (this.version) this.push(Buffer.from('version: 1\n\n', 'latin1'));
    }
    for (const bytes of this.out.takeAll()) this.push(bytes);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    // An empty stream still says which LDIF it is, when asked to.
    if (!this.wrote && this.version) this.push(Buffer.from('version: 1\n', 'latin1'));
    callback();
  }
}

/** Records or entries as one LDIF text, each followed by a blank line. */
export const formatLdif = (records: Iterable<LdifRecord | LdifEntryLike>, options: LdifStreamOptions = {}): string => {
  const out = new LdifRecordBytes(options);
  for (const record of records) out.add(record);
  return Buffer.concat(out.takeAll()).toString('latin1');
};
