import { effectiveMaxDepth } from '../ber/reader';
import { octetAt } from '../ber/octet-at';
import { ProtocolError } from '../errors';
import { decodeMessageAt } from '../protocol/decode';
import type { UndecodedEntries } from '../protocol/decode';
import type { BerReaderOptions } from '../ber';
import type { LdapMessage } from '../protocol/types';

export interface MessageParserOptions {
  /** Largest PDU (tag + length + contents) accepted; a larger length is rejected unbuffered. */
  maxPduSize?: number;
  /** Deepest nesting of constructed values inside one PDU; at most MAX_DEPTH_LIMIT (512), see BerReaderOptions. */
  maxDepth?: number;
}

/**
 * MessageParserOptions and what only the client's Connection asks for: the operations whose
 * entries are left undecoded (see UndecodedEntry; none without it). Not in MessageParserOptions:
 * that is rxldap/wire's API, and an UndecodedEntry is no type of it.
 */
export interface ConnectionParserOptions extends MessageParserOptions {
  undecodedEntries?: UndecodedEntries;
}

export const DEFAULT_MAX_PDU_SIZE = 16 * 1024 * 1024;
const SEQUENCE = 0x30;
/** Tag octet plus 0x84 plus four length octets: the longest header LDAP allows. */
const MAX_HEADER = 6;

/**
 * Splits a byte stream into LDAPMessages, independent of any stream class (the connection can
 * drive it directly; MessageFramer wraps it as a Transform).
 *
 * A PDU that lies wholly inside one chunk is decoded in place: its values are subarrays of the
 * chunk. A PDU that spans chunks gets one buffer of exactly its size, allocated as soon as its
 * header is known, and each chunk's share is copied into it once — never re-concatenated, so
 * assembling a large entry from many small reads is linear.
 *
 * After the first error the parser is poisoned: LDAP has no way to find the next PDU boundary
 * in a corrupt stream (RFC 4511 §4.1.1), so every later feed() throws the same error.
 */
export class MessageParser {
  private readonly maxPduSize: number;
  private readonly readerOptions: Required<BerReaderOptions>;
  private readonly undecodedEntries: UndecodedEntries | undefined;
  /** Bytes of a header that was split across chunks (fewer than MAX_HEADER). */
  private header: Buffer | undefined;
  /** The PDU being assembled across chunks, and how much of it has arrived. */
  private assembly: Buffer | undefined;
  private assembled = 0;
  /** Stream offset of the first byte of the PDU being read, for error messages. */
  private pduOffset = 0;
  private failure: ProtocolError | undefined;
  /** Bytes copied while assembling split PDUs (zero for PDUs that fit in one chunk). */
  copiedBytes = 0;

  constructor(options: MessageParserOptions = {}) {
    this.maxPduSize = options.maxPduSize ?? DEFAULT_MAX_PDU_SIZE;
    this.readerOptions = { maxDepth: effectiveMaxDepth(options.maxDepth), baseOffset: 0 };
    this.undecodedEntries = (options as ConnectionParserOptions).undecodedEntries;
  }

  /** Bytes received that do not yet form a whole PDU. */
  get bufferedBytes(): number {
    return this.assembly !== undefined ? this.assembled : (this.header?.length ?? 0);
  }

  /** Feeds one chunk; calls `onMessage` for each complete PDU, in order. Throws ProtocolError. */
  feed(chunk: Buffer, onMessage: (message: LdapMessage) => void): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      this.consume(chunk, onMessage);
    } catch (error) {
      this.failure = error instanceof ProtocolError ? error : new ProtocolError(`cannot decode PDU: ${String(error)}`, this.pduOffset, { cause: error });
      this.assembly = undefined;
      this.header = undefined;
      throw this.failure;
    }
  }

  /** Call at end of stream: a PDU cut short is an error, not something to drop silently. */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    const pending = this.bufferedBytes;
    if (pending > 0) {
      const expected = this.assembly !== undefined ? ` of ${this.assembly.length}` : '';
      this.failure = new ProtocolError(`stream ended inside a PDU (${pending}${expected} bytes received)`, this.pduOffset);
      throw this.failure;
    }
  }

  private consume(chunk: Buffer, onMessage: (message: LdapMessage) => void): void {
    let pos = 0;
    if (this.assembly !== undefined) {
      pos = this.fillAssembly(this.assembly, chunk, 0, onMessage);
    } else if (this.header !== undefined) {
      pos = this.completeSplitHeader(this.header, chunk, onMessage);
    }
    const length = chunk.length;
    while (pos < length) {
      const size = this.pduSize(chunk, pos, length);
      if (size === undefined) {
        this.header = Buffer.from(chunk.subarray(pos)); // under six bytes: copying is cheaper than keeping the chunk
        return;
      }
      if (pos + size <= length) {
        this.emit(chunk, pos, pos + size, onMessage);
        pos += size;
      } else {
        const assembly = Buffer.allocUnsafe(size);
        this.assembly = assembly;
        this.assembled = 0;
        pos = this.fillAssembly(assembly, chunk, pos, onMessage);
      }
    }
  }

  /** Copies the next share of a split PDU (`assembly`, this.assembly); decodes it when whole. Returns the new chunk offset. */
  private fillAssembly(assembly: Buffer, chunk: Buffer, pos: number, onMessage: (message: LdapMessage) => void): number {
    const take = Math.min(assembly.length - this.assembled, chunk.length - pos);
    chunk.copy(assembly, this.assembled, pos, pos + take);
    this.assembled += take;
    this.copiedBytes += take;
    if (this.assembled === assembly.length) {
      this.assembly = undefined;
      this.emit(assembly, 0, assembly.length, onMessage);
    }
    return pos + take;
  }

  /** A header began in the previous chunk (`saved`, this.header): finish it with this chunk's first bytes. */
  private completeSplitHeader(saved: Buffer, chunk: Buffer, onMessage: (message: LdapMessage) => void): number {
    const joined = Buffer.concat([saved, chunk.subarray(0, MAX_HEADER - saved.length)]);
    const size = this.pduSize(joined, 0, joined.length);
    if (size === undefined) {
      this.header = joined; // the chunk was tiny; still not a whole header
      return chunk.length;
    }
    this.header = undefined;
    const assembly = Buffer.allocUnsafe(size);
    this.assembly = assembly;
    saved.copy(assembly, 0);
    this.assembled = saved.length;
    this.copiedBytes += saved.length;
    return this.fillAssembly(assembly, chunk, 0, onMessage);
  }

  /**
   * The total size of the PDU whose header starts at `pos`, or undefined if the header is not
   * all here yet. Rejects what can never be a valid LDAPMessage before buffering any of it.
   */
  private pduSize(buf: Buffer, pos: number, end: number): number | undefined {
    const tag = octetAt(buf, pos);
    if (tag !== SEQUENCE) {
      throw new ProtocolError(`expected an LDAPMessage (tag 0x30) but found tag 0x${tag.toString(16).padStart(2, '0')}`, this.pduOffset);
    }
    if (pos + 1 >= end) return undefined;
    const first = octetAt(buf, pos + 1);
    let contentLength: number;
    let headerLength: number;
    if (first < 0x80) {
      contentLength = first;
      headerLength = 2;
    } else {
      if (first === 0x80) throw new ProtocolError('indefinite length is not allowed in LDAP', this.pduOffset + 1);
      if (first === 0xff) throw new ProtocolError('length octet 0xff is reserved', this.pduOffset + 1);
      const count = first & 0x7f;
      if (count > 4) throw new ProtocolError(`length of ${count} octets is too large`, this.pduOffset + 1);
      if (pos + 2 + count > end) return undefined;
      contentLength = 0;
      for (let i = 0; i < count; i++) contentLength = contentLength * 256 + octetAt(buf, pos + 2 + i);
      headerLength = 2 + count;
    }
    const size = headerLength + contentLength;
    if (size > this.maxPduSize) {
      throw new ProtocolError(`PDU of ${size} bytes exceeds maxPduSize ${this.maxPduSize}`, this.pduOffset);
    }
    return size;
  }

  /** Decodes the PDU at buffer[start, end), whose first octet is stream offset pduOffset. */
  private emit(buffer: Buffer, start: number, end: number, onMessage: (message: LdapMessage) => void): void {
    // One options object for every PDU: the reader copies what it needs when it is made.
    this.readerOptions.baseOffset = this.pduOffset - start;
    const message = decodeMessageAt(buffer, start, end, this.readerOptions, this.undecodedEntries);
    this.pduOffset += end - start;
    onMessage(message);
  }
}
