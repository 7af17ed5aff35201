import { ProtocolError } from '../errors';
import { CONSTRUCTED, Tag, formatTag } from './tags';
import { decodeInterned } from './interned-strings';
import { octetAt } from './octet-at';

export interface BerReaderOptions {
  /**
   * How many constructed values may be open at once before the input is rejected;
   * DEFAULT_MAX_DEPTH when left out. A value above MAX_DEPTH_LIMIT is treated as MAX_DEPTH_LIMIT.
   */
  maxDepth?: number;
  /** Added to every offset in an error, so a framer can report stream positions. */
  baseOffset?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
/**
 * The most maxDepth can raise the limit to. Only a search filter nests without bound in LDAP,
 * and decoding one recurses once per level: past this depth a decoded filter could overflow the
 * stack while it is read or later walked (see FILTER_DEPTH_LIMIT in protocol/filter-types,
 * which this matches), so raising maxDepth further would turn a ProtocolError into a RangeError.
 */
export const MAX_DEPTH_LIMIT = 512;

/**
 * The depth limit a reader enforces for a requested maxDepth: the default when none is given,
 * MAX_DEPTH_LIMIT at most. NaN is refused, because every comparison with it is false and so it
 * would switch the limit off.
 */
export const effectiveMaxDepth = (requested: number | undefined): number => {
  if (requested === undefined) return DEFAULT_MAX_DEPTH;
  if (typeof requested !== 'number' || Number.isNaN(requested)) {
    throw new TypeError(`maxDepth must be a number, not ${String(requested)}`);
  }
  return Math.min(requested, MAX_DEPTH_LIMIT);
};
export const MAX_INT32 = 0x7fffffff;
export const MIN_INT32 = -0x80000000;

/**
 * A cursor over one Buffer that enforces RFC 4511 §5.1's subset of BER.
 *
 * It never copies: OCTET STRING values come back as subarrays of the input. Constructed values
 * are walked with enter()/exit() pairs over absolute end offsets instead of child reader
 * objects, so decoding an entry allocates only the values it returns.
 */
export class BerReader {
  /** Offset of the next unread octet in `buffer`. */
  pos: number;
  private depth = 0;
  private readonly maxDepth: number;
  private readonly baseOffset: number;

  constructor(
    readonly buffer: Buffer,
    start = 0,
    /** One past the last octet this reader may read. */
    readonly end = buffer.length,
    options: BerReaderOptions = {},
  ) {
    this.pos = start;
    this.maxDepth = effectiveMaxDepth(options.maxDepth);
    this.baseOffset = options.baseOffset ?? 0;
  }

  /** A ProtocolError positioned at `at` (default: the cursor). */
  error(reason: string, at = this.pos): ProtocolError {
    return new ProtocolError(reason, this.baseOffset + at);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The next identifier octet without consuming it, or -1 at `limit`. */
  peekTag(limit = this.end): number {
    return this.pos < limit ? octetAt(this.buffer, this.pos) : -1;
  }

  /**
   * Reads a tag octet and a definite length, checks the tag and that the contents fit before
   * `limit`, and returns the offset one past the contents (the cursor is left at the contents).
   */
  readHeader(expectedTag: number, limit = this.end): number {
    const at = this.pos;
    if (at >= limit) throw this.error(`expected tag ${formatTag(expectedTag)} but the data ended`);
    const tag = octetAt(this.buffer, at);
    if (tag !== expectedTag) {
      if (tag === (expectedTag | CONSTRUCTED) && (expectedTag & CONSTRUCTED) === 0) {
        throw this.error(`constructed encoding of a string (tag ${formatTag(tag)}) is not allowed in LDAP`);
      }
      if ((tag & 0x1f) === 0x1f) throw this.error(`multi-octet tag ${formatTag(tag)} is not used by LDAP`);
      throw this.error(`expected tag ${formatTag(expectedTag)} but found ${formatTag(tag)}`);
    }
    this.pos = at + 1;
    const length = this.readLength(limit);
    return this.pos + length;
  }

  /** Reads a length in definite form and checks it against the octets left before `limit`. */
  readLength(limit = this.end): number {
    const at = this.pos;
    if (at >= limit) throw this.error('length expected but the data ended');
    const first = octetAt(this.buffer, at);
    let length: number;
    let next = at + 1;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      throw this.error('indefinite length is not allowed in LDAP', at);
    } else if (first === 0xff) {
      throw this.error('length octet 0xff is reserved', at);
    } else {
      const count = first & 0x7f;
      if (count > 4) throw this.error(`length of ${count} octets is too large`, at);
      if (next + count > limit) throw this.error('length octets run past the end of the data', at);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + octetAt(this.buffer, next + i);
      next += count;
    }
    if (length > limit - next) {
      throw this.error(`length ${length} runs past the end of the data (${limit - next} octets left)`, at);
    }
    this.pos = next;
    return length;
  }

  /** Opens a constructed value; returns its end offset for the matching exit(). */
  enter(expectedTag: number = Tag.SEQUENCE, limit = this.end): number {
    const end = this.readHeader(expectedTag, limit);
    if (++this.depth > this.maxDepth) throw this.error(`nesting deeper than ${this.maxDepth} levels`);
    return end;
  }

  /** Whether `levels` more constructed values may be opened inside the current one (see maxDepth). */
  canNest(levels: number): boolean {
    return this.depth + levels <= this.maxDepth;
  }

  /** Closes a constructed value, rejecting octets left unread inside it. */
  exit(end: number): void {
    if (this.pos !== end) throw this.error(`${end - this.pos} unexpected octets at the end of a constructed value`);
    this.depth--;
  }

  /** An OCTET STRING (or an implicitly tagged one) as a subarray of the input. */
  readOctetString(tag: number = Tag.OCTET_STRING, limit = this.end): Buffer {
    const end = this.readHeader(tag, limit);
    const value = this.buffer.subarray(this.pos, end);
    this.pos = end;
    return value;
  }

  /** An OCTET STRING decoded as UTF-8 (LDAPString, LDAPDN, LDAPOID). */
  readString(tag: number = Tag.OCTET_STRING, limit = this.end): string {
    const end = this.readHeader(tag, limit);
    const start = this.pos;
    this.pos = end;
    return this.buffer.toString('utf8', start, end);
  }

  /**
   * Like readString, for short strings that repeat across PDUs (attribute descriptions, OIDs):
   * a repeat returns the string decoded before instead of allocating a new one.
   */
  readInternedString(tag: number = Tag.OCTET_STRING, limit = this.end): string {
    const end = this.readHeader(tag, limit);
    const start = this.pos;
    this.pos = end;
    return decodeInterned(this.buffer, start, end);
  }

  /**
   * An INTEGER within [min, max]. Non-minimal encodings (redundant leading 0x00/0xff) are
   * accepted because some servers send them; values outside the range are rejected.
   */
  readInteger(tag: number = Tag.INTEGER, min = MIN_INT32, max = MAX_INT32, limit = this.end): number {
    const at = this.pos;
    const end = this.readHeader(tag, limit);
    if (end === this.pos) throw this.error('INTEGER with no content octets', at);
    const buf = this.buffer;
    const first = octetAt(buf, this.pos);
    let value = first >= 0x80 ? first - 256 : first;
    for (let i = this.pos + 1; i < end; i++) {
      value = value * 256 + octetAt(buf, i);
      // Once past 2^48 the magnitude only grows; stop before precision is lost.
      if (value > 2 ** 48 || value < -(2 ** 48)) throw this.error(`INTEGER out of range [${min}, ${max}]`, at);
    }
    if (value < min || value > max) throw this.error(`INTEGER ${value} out of range [${min}, ${max}]`, at);
    this.pos = end;
    return value;
  }

  /** An ENUMERATED value (same encoding as INTEGER, tag 0x0a). */
  readEnumerated(tag: number = Tag.ENUMERATED, limit = this.end): number {
    return this.readInteger(tag, MIN_INT32, MAX_INT32, limit);
  }

  /** A BOOLEAN; any non-zero octet is TRUE because servers differ on the encoding of TRUE. */
  readBoolean(tag: number = Tag.BOOLEAN, limit = this.end): boolean {
    const at = this.pos;
    const end = this.readHeader(tag, limit);
    if (end - this.pos !== 1) throw this.error(`BOOLEAN must have one content octet, not ${end - this.pos}`, at);
    const value = octetAt(this.buffer, this.pos) !== 0;
    this.pos = end;
    return value;
  }

  /** A NULL (or an implicitly tagged empty value). */
  readNull(tag: number = Tag.NULL, limit = this.end): void {
    const at = this.pos;
    const end = this.readHeader(tag, limit);
    if (end !== this.pos) throw this.error('NULL must have no content octets', at);
  }

  /** Skips one whole TLV of any tag, returning its tag. */
  skip(limit = this.end): number {
    const at = this.pos;
    if (at >= limit) throw this.error('expected a value but the data ended');
    const tag = octetAt(this.buffer, at);
    if ((tag & 0x1f) === 0x1f) throw this.error(`multi-octet tag ${formatTag(tag)} is not used by LDAP`);
    this.pos = at + 1;
    const length = this.readLength(limit); // moves pos past the length octets first
    this.pos += length;
    return tag;
  }

  /** One whole TLV of any tag as a subarray (tag and length included). */
  readRaw(limit = this.end): Buffer {
    const start = this.pos;
    this.skip(limit);
    return this.buffer.subarray(start, this.pos);
  }

  /** Rejects anything left after the last value of a document. */
  expectEnd(): void {
    if (this.pos !== this.end) throw this.error(`${this.end - this.pos} unexpected octets after the end of the value`);
  }
}
