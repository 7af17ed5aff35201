import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { LdapMessage } from '../protocol/types';
import { MessageParser } from './message-parser';
import type { MessageParserOptions } from './message-parser';

export interface MessageFramerOptions extends MessageParserOptions {
  /** How many decoded messages may wait unread before the framer stops accepting bytes. */
  readableHighWaterMark?: number;
}

/**
 * A Transform stream from socket bytes to LdapMessage objects. Backpressure is the stream's:
 * when more than readableHighWaterMark messages wait unread, the framer stops taking bytes,
 * and a piped socket pauses. A malformed PDU errors the stream with a ProtocolError and it
 * stays errored: LDAP cannot resynchronise after a bad PDU.
 */
export class MessageFramer extends Transform {
  private readonly parser: MessageParser;
  private readonly pushMessage = (message: LdapMessage): void => {
    this.push(message);
  };

  constructor(options: MessageFramerOptions = {}) {
    super({
      writableObjectMode: false,
      readableObjectMode: true,
      readableHighWaterMark: options.readableHighWaterMark ?? 64,
    });
    this.parser = new MessageParser(options);
  }

  /** Bytes copied while assembling PDUs that spanned chunks (0 when every PDU fit in one). */
  get copiedBytes(): number {
    return this.parser.copiedBytes;
  }

  /** Bytes held for a PDU that is not complete yet. */
  get bufferedBytes(): number {
    return this.parser.bufferedBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.parser.feed(chunk, this.pushMessage);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.parser.end();
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}
