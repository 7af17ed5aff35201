/**
 * The LDIF reader's core, free of streams (as MessageParser is for BER): bytes go in with
 * feed() in chunks of any size, cut anywhere, and each complete record comes out through the
 * callback. A record ends at a blank line (RFC 2849's 1*SEP between records), so only the
 * record being read is held, and one longer than maxRecordBytes fails with LdifLimitError
 * instead of being buffered without end. After an error the parser stays failed.
 */
import { LdifError, LdifLimitError } from '../errors/ldif';
import { RecordParser } from './parse-record';
import type { RecordContext } from './parse-record';
import type { LdifRecord } from './records';
import { CR, LF } from './syntax';
import { fileUrlResolver, refuseUrls } from './url-values';

export interface LdifReaderOptions {
  /**
   * The longest record, in bytes of LDIF (and the largest file a `file:` URL value may name),
   * default 16 MiB. A longer one fails with LdifLimitError rather than being held in memory.
   */
  maxRecordBytes?: number;
  /**
   * Read `name:< file:///path` values from the local file system (default false: any URL value
   * fails with LdifUrlError). Only `file:` URLs are ever read.
   */
  allowFileUrls?: boolean;
}

export const DEFAULT_MAX_LDIF_RECORD_BYTES = 16 * 1024 * 1024;

export type RecordCallback = (record: LdifRecord) => void;

export class LdifParser {
  private readonly maxRecordBytes: number;
  private readonly context: RecordContext;
  /** Bytes of the record being read that came in earlier chunks. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The last byte seen ended a line (or nothing has been seen). */
  private atLineStart = true;
  /** A line began with CR at the end of the last chunk: a blank line if LF comes next. */
  private crAtLineStart = false;
  /** The physical line number of the next byte to scan. */
  private line = 1;
  /** The physical line where the record being read begins. */
  private recordLine = 1;
  private failure: LdifError | undefined;

  constructor(options: LdifReaderOptions = {}) {
    const max = options.maxRecordBytes ?? DEFAULT_MAX_LDIF_RECORD_BYTES;
    if (!(max > 0)) throw new RangeError(`maxRecordBytes must be a positive number, got ${max}`);
    this.maxRecordBytes = max;
    this.context = { first: true, resolveUrl: options.allowFileUrls === true ? fileUrlResolver(max) : refuseUrls };
  }

  feed(chunk: Buffer, onRecord: RecordCallback): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      this.scan(chunk, onRecord);
    } catch (error) {
      if (error instanceof LdifError) this.failure = error;
      throw error;
    }
  }

  /** The input is over: the last record needs no blank line after it. */
  end(onRecord: RecordCallback): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      this.emit(this.takeHeld(0), onRecord);
      this.held = [];
      this.heldBytes = 0;
    } catch (error) {
      if (error instanceof LdifError) this.failure = error;
      throw error;
    }
  }

  private scan(chunk: Buffer, onRecord: RecordCallback): void {
    const length = chunk.length;
    let from = 0; // where this chunk's part of the current record begins
    let i = 0;
    while (i < length) {
      if (this.atLineStart) {
        const c = chunk[i]!;
        let blankEnd = -1; // offset just past the blank line's LF
        let trimHeld = 0; // a CR of the blank line still in `held`
        if (this.crAtLineStart) {
          this.crAtLineStart = false;
          if (c === LF) {
            blankEnd = i + 1;
            trimHeld = i === 0 ? 1 : 0;
          }
        } else if (c === LF) {
          blankEnd = i + 1;
        } else if (c === CR) {
          if (i + 1 === length) {
            this.crAtLineStart = true;
            i++;
            continue;
          }
          if (chunk[i + 1] === LF) blankEnd = i + 2;
        }
        if (blankEnd >= 0) {
          const blankStart = blankEnd - 1 - (chunk[blankEnd - 2] === CR && blankEnd - 2 >= from ? 1 : 0);
          this.emit(this.takeHeld(trimHeld, chunk.subarray(from, Math.max(from, blankStart))), onRecord);
          this.line++;
          this.recordLine = this.line;
          from = i = blankEnd;
          continue;
        }
        this.atLineStart = false;
      }
      const newline = chunk.indexOf(LF, i);
      if (newline < 0) break;
      this.line++;
      this.atLineStart = true;
      i = newline + 1;
    }
    if (from < length) {
      const rest = chunk.subarray(from);
      this.heldBytes += rest.length;
      if (this.heldBytes > this.maxRecordBytes) throw new LdifLimitError(this.recordLine, 1, this.maxRecordBytes);
      this.held.push(rest);
    }
  }

  /** The held bytes (less `trim` at their end) followed by `tail`, as one Buffer; held is emptied. */
  private takeHeld(trim: number, tail?: Buffer): Buffer {
    const held = this.held;
    let bytes: Buffer;
    if (held.length === 0) bytes = tail ?? Buffer.alloc(0);
    else {
      if (tail !== undefined && tail.length > 0) held.push(tail);
      bytes = held.length === 1 ? held[0]! : Buffer.concat(held);
      if (trim > 0) bytes = bytes.subarray(0, bytes.length - trim);
    }
    this.held = [];
    this.heldBytes = 0;
    return bytes;
  }

  private emit(bytes: Buffer, onRecord: RecordCallback): void {
    if (bytes.length === 0) return;
    if (bytes.length > this.maxRecordBytes) throw new LdifLimitError(this.recordLine, 1, this.maxRecordBytes);
    const record = new RecordParser(bytes, this.recordLine, this.context).parse();
    if (record !== undefined) onRecord(record);
  }
}
