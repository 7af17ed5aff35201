/**
 * The LDIF reader as a Node Transform (bytes in, LdifRecords out, object mode), and the same for
 * a whole string or Buffer at once. Backpressure is the stream's: a consumer that stops reading
 * stops the source, and the parser holds at most one record besides.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { LdifParser } from './parser';
import type { LdifReaderOptions } from './parser';
import type { LdifRecord } from './records';

export class LdifReader extends Transform {
  private readonly parser: LdifParser;
  private readonly onRecord = (record: LdifRecord): void => {
    this.push(record);
  };

  constructor(options: LdifReaderOptions = {}) {
    super({ writableObjectMode: false, readableObjectMode: true });
    this.parser = new LdifParser(options);
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.parser.feed(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk, this.onRecord);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.parser.end(this.onRecord);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}

/** Every record of an LDIF text (a string is read as UTF-8). Throws an LdifError for bad input. */
export const parseLdif = (input: string | Buffer, options: LdifReaderOptions = {}): LdifRecord[] => {
  const records: LdifRecord[] = [];
  const parser = new LdifParser(options);
  const onRecord = (record: LdifRecord): void => {
    records.push(record);
  };
  parser.feed(typeof input === 'string' ? Buffer.from(input, 'utf8') : input, onRecord);
  parser.end(onRecord);
  return records;
};
