import { Tag } from './tags';

/**
 * Builds one BER document in a single growable buffer.
 *
 * A constructed value reserves one length octet when it starts; when it ends, the length is
 * patched in place and, only if the contents outgrew 127 octets, moved right by the few extra
 * length octets (copyWithin, a memmove). Nothing is built in temporary buffers and joined.
 */
export class BerWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly open: number[] = [];

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Octets written so far. */
  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  private writeLength(length: number): void {
    const buf = this.buf;
    if (length < 0x80) {
      buf[this.pos++] = length;
    } else if (length < 0x100) {
      buf[this.pos++] = 0x81;
      buf[this.pos++] = length;
    } else if (length < 0x10000) {
      buf[this.pos++] = 0x82;
      buf[this.pos++] = length >>> 8;
      buf[this.pos++] = length & 0xff;
    } else if (length < 0x1000000) {
      buf[this.pos++] = 0x83;
      buf[this.pos++] = length >>> 16;
      buf[this.pos++] = (length >>> 8) & 0xff;
      buf[this.pos++] = length & 0xff;
    } else {
      buf[this.pos++] = 0x84;
      buf.writeUInt32BE(length, this.pos);
      this.pos += 4;
    }
  }

  /** Starts a constructed value; every startSequence needs its endSequence. */
  startSequence(tag: number = Tag.SEQUENCE): this {
    this.ensure(2);
    this.buf[this.pos++] = tag;
    this.open.push(this.pos);
    this.pos++; // the one length octet most values need; widened in endSequence if not
    return this;
  }

  endSequence(): this {
    const lengthAt = this.open.pop();
    if (lengthAt === undefined) throw new Error('BerWriter: endSequence without startSequence');
    const contentStart = lengthAt + 1;
    const length = this.pos - contentStart;
    if (length < 0x80) {
      this.buf[lengthAt] = length;
      return this;
    }
    const extra = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
    this.ensure(extra);
    this.buf.copyWithin(contentStart + extra, contentStart, this.pos);
    const end = this.pos + extra;
    this.pos = lengthAt;
    this.writeLength(length);
    this.pos = end;
    return this;
  }

  /** An OCTET STRING from bytes or from a string encoded as UTF-8. */
  writeOctetString(value: Buffer | Uint8Array | string, tag: number = Tag.OCTET_STRING): this {
    if (typeof value === 'string') return this.writeString(value, tag);
    this.ensure(6 + value.length);
    this.buf[this.pos++] = tag;
    this.writeLength(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** An LDAPString / LDAPDN / LDAPOID: a UTF-8 OCTET STRING. */
  writeString(value: string, tag: number = Tag.OCTET_STRING): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.ensure(6 + length);
    this.buf[this.pos++] = tag;
    this.writeLength(length);
    this.pos += this.buf.write(value, this.pos, length, 'utf8');
    return this;
  }

  /** An INTEGER in its minimal two's-complement form. */
  writeInteger(value: number, tag: number = Tag.INTEGER): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`BerWriter: ${value} is not a safe integer`);
    // Count the octets the minimal encoding needs, most significant first.
    let octets = 1;
    while (octets < 7) {
      const limit = 2 ** (8 * octets - 1);
      if (value >= -limit && value < limit) break;
      octets++;
    }
    this.ensure(2 + octets);
    this.buf[this.pos++] = tag;
    this.buf[this.pos++] = octets;
    let rest = value;
    for (let i = octets - 1; i >= 0; i--) {
      this.buf[this.pos + i] = rest & 0xff;
      rest = Math.floor(rest / 256);
    }
    this.pos += octets;
    return this;
  }

  writeEnumerated(value: number, tag: number = Tag.ENUMERATED): this {
    return this.writeInteger(value, tag);
  }

  /** A BOOLEAN; TRUE is always 0xff as RFC 4511 §5.1 requires. */
  writeBoolean(value: boolean, tag: number = Tag.BOOLEAN): this {
    this.ensure(3);
    this.buf[this.pos++] = tag;
    this.buf[this.pos++] = 1;
    this.buf[this.pos++] = value ? 0xff : 0x00;
    return this;
  }

  writeNull(tag: number = Tag.NULL): this {
    this.ensure(2);
    this.buf[this.pos++] = tag;
    this.buf[this.pos++] = 0;
    return this;
  }

  /** Octets that are already a complete BER encoding (e.g. a pre-encoded TLV). */
  writeRaw(encoded: Buffer | Uint8Array): this {
    this.ensure(encoded.length);
    this.buf.set(encoded, this.pos);
    this.pos += encoded.length;
    return this;
  }

  /** The document written so far; a view of the writer's buffer, not a copy. */
  toBuffer(): Buffer {
    if (this.open.length !== 0) throw new Error(`BerWriter: ${this.open.length} sequence(s) still open`);
    return this.buf.subarray(0, this.pos);
  }
}
