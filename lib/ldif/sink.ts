/**
 * Where the writer puts LDIF: bytes appended straight into Buffer chunks, folded as they are
 * copied. The writer used to build a string per value (value.toString, a template, the slices
 * of a fold) and turn each batch back into bytes; for a 100,000-entry search that was most of its
 * CPU and most of its garbage. Values are bytes already and LDIF out is ASCII (anything else is
 * base64), so copying bytes is the whole job.
 *
 * Every line is reserved whole before it is written (its folded length is known up front), so
 * a chunk never ends inside a line's bookkeeping; a line longer than a chunk gets a chunk of its
 * own. Finished bytes go to `emit` when a chunk is full or the caller takes them (`take`).
 */

import { byteAt, COLON, CR, LESS_THAN, LF, SPACE } from './syntax';

/** Bytes in a chunk: what a file write or a socket write takes in one go without splitting. */
export const LDIF_CHUNK_BYTES = 64 * 1024;

/** The bytes a line of `length` bytes takes folded at `width`, with its LF. */
export const foldedLength = (length: number, width: number): number =>
  length <= width ? length + 1 : length + 1 + 2 * Math.ceil((length - width) / (width - 1));

/** Buffer's own latin1Write, which Node's types do not declare (write(text, at, length, 'latin1') calls it). */
type LatinWritable = Buffer & { latin1Write(text: string, offset: number, length: number): number };

export class LdifSink {
  private chunk: Buffer;
  /** The start of the bytes not yet handed out, and the end of those written. */
  private start = 0;
  private at = 0;
  /** Bytes on the current (folded) line so far. */
  private column = 0;

  /**
   * @param width Fold lines longer than this (Infinity: never).
   * @param emit Gets each full chunk's unhandled bytes; without it, chunks grow (one string's worth).
   */
  constructor(
    readonly width: number,
    private readonly emit?: (bytes: Buffer) => void,
    private readonly chunkBytes = LDIF_CHUNK_BYTES,
  ) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Room for a line of `length` bytes (before folding), with its LF. */
  reserveLine(length: number): void {
    const needed = foldedLength(length, this.width);
    if (this.chunk.length - this.at >= needed) return;
    if (this.emit === undefined) {
      // One growing buffer (formatLdifRecord's string).
      const grown = Buffer.allocUnsafe(Math.max(this.chunk.length * 2, this.at + needed));
      this.chunk.copy(grown, 0, this.start, this.at);
      this.at -= this.start;
      this.start = 0;
      this.chunk = grown;
      return;
    }
    if (this.at > this.start) this.emit(this.chunk.subarray(this.start, this.at));
    this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, needed));
    this.start = 0;
    this.at = 0;
  }

  /** The bytes written since the last take (a view: the sink never writes over them again). */
  take(): Buffer {
    const bytes = this.chunk.subarray(this.start, this.at);
    this.start = this.at;
    // Too little room left to be worth keeping: the next line starts a new chunk.
    if (this.chunk.length - this.at < 256) {
      this.chunk = Buffer.allocUnsafe(this.chunkBytes);
      this.start = 0;
      this.at = 0;
    }
    return bytes;
  }

  /** ASCII text (the caller checked it is), folded; part of the reserved line. */
  text(text: string): void {
    const length = text.length;
    if (length > 24 && this.column + length <= this.width) {
      // A longer text (a DN) on a line that needs no folding: one native copy, without write()'s
      // argument and encoding checks (the caller checked the text, and reserved the room).
      this.at += (this.chunk as LatinWritable).latin1Write(text, this.at, length);
      this.column += length;
      return;
    }
    const chunk = this.chunk;
    const width = this.width;
    let at = this.at;
    let column = this.column;
    for (let i = 0; i < length; i++) {
      if (column === width) {
        chunk[at++] = LF;
        chunk[at++] = SPACE;
        column = 1;
      }
      chunk[at++] = text.charCodeAt(i);
      column++;
    }
    this.at = at;
    this.column = column;
  }

  /**
   * Bytes, folded; part of the reserved line. A line that needs no folding (most) is copied with
   * TypedArray#set: a JavaScript loop storing byte by byte, or Buffer#copy's checks and views,
   * cost more than the rest of the writer together.
   */
  bytes(bytes: Uint8Array): void {
    const length = bytes.length;
    const width = this.width;
    if (this.column + length <= width) {
      this.chunk.set(bytes, this.at);
      this.at += length;
      this.column += length;
      return;
    }
    // Pieces of a folded line are short: a loop costs less than a view to copy from.
    this.range(bytes, 0, length);
  }

  /**
   * A whole line, `head` then `value` (both bytes the caller checked), folded, with its LF:
   * reserveLine, bytes, bytes and endLine in one call, as the writer does for every value.
   */
  line(head: Uint8Array, value: Uint8Array): void {
    const length = head.length + value.length;
    if (length > this.width) {
      this.reserveLine(length);
      this.bytes(head);
      this.bytes(value);
      this.endLine();
      return;
    }
    // Fits on one line: no folding, and the room check of reserveLine inline.
    if (this.chunk.length - this.at <= length) this.reserveLine(length);
    const chunk = this.chunk;
    const at = this.at;
    chunk.set(head, at);
    chunk.set(value, at + head.length);
    chunk[at + length] = LF;
    this.at = at + length + 1;
    this.column = 0;
  }

  /**
   * `buffer[from, to)`, folded, without a view of it (the undecoded writer's values, and bytes()
   * when it folds): copied by a loop, which for a value of a few dozen bytes costs less than
   * making a view to set().
   */
  range(buffer: Uint8Array, from: number, to: number): void {
    const width = this.width;
    const chunk = this.chunk;
    let at = this.at;
    let column = this.column;
    let i = from;
    while (i < to) {
      if (column === width) {
        chunk[at++] = LF;
        chunk[at++] = SPACE;
        column = 1;
      }
      const end = Math.min(to, i + (width - column));
      column += end - i;
      while (i < end) chunk[at++] = byteAt(buffer, i++);
    }
    this.at = at;
    this.column = column;
  }

  /**
   * `head` then `buffer[from, to)` as one line that needs no folding, when those bytes may be
   * written plain (isPlain's rule, `printable` choosing which): checked and copied in one loop.
   * Returns false, having written nothing, when the line would need folding or a byte (or the
   * first or last) is not allowed plain; the caller then takes the general path.
   */
  plainRangeLine(head: Uint8Array, buffer: Uint8Array, from: number, to: number, printable: boolean): boolean {
    const headLength = head.length;
    const length = to - from;
    if (length === 0 || headLength + length > this.width) return false;
    const first = byteAt(buffer, from);
    if (first === SPACE || first === COLON || first === LESS_THAN || buffer[to - 1] === SPACE) return false;
    if (this.chunk.length - this.at <= headLength + length) this.reserveLine(headLength + length);
    const chunk = this.chunk;
    let at = this.at;
    for (let i = 0; i < headLength; i++) chunk[at++] = byteAt(head, i);
    if (printable) {
      for (let i = from; i < to; i++) {
        const c = byteAt(buffer, i);
        if (c < SPACE || c > 0x7e) return false;
        chunk[at++] = c;
      }
    } else {
      for (let i = from; i < to; i++) {
        const c = byteAt(buffer, i);
        if (c === 0 || c === LF || c === CR || c > 0x7f) return false;
        chunk[at++] = c;
      }
    }
    chunk[at] = LF;
    this.at = at + 1;
    this.column = 0;
    return true;
  }

  /** Ends the line. */
  endLine(): void {
    this.chunk[this.at++] = LF;
    this.column = 0;
  }

  /**
   * Drops what was written since the last take (a record that failed half way); the caller drops
   * what was emitted meanwhile.
   */
  discard(): void {
    this.at = this.start;
    this.column = 0;
  }

  /** Bytes written since the last take (where a record begins, for discardFrom). */
  get pending(): number {
    return this.at - this.start;
  }

  /** Drops what was written after the first `pending` bytes since the last take (a record that failed half way). */
  discardFrom(pending: number): void {
    this.at = this.start + pending;
    this.column = 0;
  }

  /** Everything written, as text (formatLdifRecord). */
  toString(): string {
    return this.chunk.toString('latin1', this.start, this.at);
  }
}
