/**
 * The logical lines of one LDIF record: physical lines split at LF (a CR right before it is
 * part of the separator), and a line that begins with a space continued onto the one before
 * it, that space dropped (RFC 2849 folding). An unfolded line is a view of the record's bytes;
 * a folded one is joined into a new Buffer, and remembers where its pieces came from so that an
 * error inside it can still name its physical line and column.
 */
import { LdifSyntaxError } from '../errors/ldif';
import { CR, LF, SPACE } from './syntax';

export class LogicalLines {
  /** The current logical line is bytes[start, end). */
  bytes: Buffer;
  start = 0;
  end = 0;
  /** The physical line (1-based, in the whole input) where the current logical line begins. */
  line = 0;
  /** Physical lines after this line's first that it took (its continuations). */
  private continued = 0;
  /** For a folded line: [offset in bytes, physical line, column of that offset] per piece. */
  private pieces: number[] = [];
  private position = 0;
  private nextLine: number;

  constructor(
    private readonly record: Buffer,
    firstLine: number,
  ) {
    this.bytes = record;
    this.nextLine = firstLine;
  }

  /** Moves to the next logical line; false at the end of the record. */
  next(): boolean {
    const record = this.record;
    const length = record.length;
    if (this.position >= length) return false;
    this.line = this.nextLine;
    const first = this.physical(this.position);
    let lineStart = this.position;
    let contentEnd = first.contentEnd;
    this.position = first.next;
    this.nextLine++;
    if (record[lineStart] === SPACE) throw new LdifSyntaxError(this.line, 1, 'a continuation line (one that begins with a space) must follow a line it continues');
    if (this.position >= length || record[this.position] !== SPACE) {
      this.bytes = record;
      this.start = lineStart;
      this.end = contentEnd;
      this.continued = 0;
      return true;
    }
    // Folded: gather the pieces, each continuation without its leading space.
    const parts: Buffer[] = [record.subarray(lineStart, contentEnd)];
    const pieces = (this.pieces = [0, this.line, 1]);
    let joined = contentEnd - lineStart;
    while (this.position < length && record[this.position] === SPACE) {
      lineStart = this.position;
      const piece = this.physical(lineStart);
      contentEnd = piece.contentEnd;
      parts.push(record.subarray(lineStart + 1, contentEnd));
      pieces.push(joined, this.nextLine, 2);
      joined += contentEnd - lineStart - 1;
      this.position = piece.next;
      this.nextLine++;
    }
    this.bytes = Buffer.concat(parts, joined);
    this.start = 0;
    this.end = joined;
    this.continued = parts.length - 1;
    return true;
  }

  /** Where the physical line at `from` ends (before CR LF or LF) and where the next begins. */
  private physical(from: number): { contentEnd: number; next: number } {
    const record = this.record;
    const newline = record.indexOf(LF, from);
    if (newline < 0) return { contentEnd: record.length, next: record.length };
    return { contentEnd: newline > from && record[newline - 1] === CR ? newline - 1 : newline, next: newline + 1 };
  }

  /** The physical line and column of `offset` in the current logical line's bytes. */
  locate(offset: number): { line: number; column: number } {
    if (this.continued === 0) return { line: this.line, column: offset - this.start + 1 };
    const pieces = this.pieces;
    let i = pieces.length - 3;
    while (i > 0 && pieces[i]! > offset) i -= 3;
    return { line: pieces[i + 1]!, column: pieces[i + 2]! + offset - pieces[i]! };
  }

  error(offset: number, reason: string): LdifSyntaxError {
    const { line, column } = this.locate(offset);
    return new LdifSyntaxError(line, column, reason);
  }
}
