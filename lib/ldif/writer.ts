/**
 * The LDIF writer as a Node Transform: records or entries in (object mode), LDIF bytes out, each
 * record followed by a blank line, as `ldapsearch -LLL` prints them. `version: true` begins the
 * output with RFC 2849's `version: 1` line.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { LdifEntryLike, LdifRecord } from './records';
import { formatLdifRecord, ldifFormat } from './write';
import type { LdifFormat, LdifWriterOptions } from './write';

export interface LdifStreamOptions extends LdifWriterOptions {
  /** Begin with `version: 1` and a blank line (default false, as ldapsearch -LLL). */
  version?: boolean;
}

export class LdifWriter extends Transform {
  private readonly format: LdifFormat;
  private pendingVersion: boolean;

  constructor(options: LdifStreamOptions = {}) {
    super({ writableObjectMode: true, readableObjectMode: false });
    this.format = ldifFormat(options);
    this.pendingVersion = options.version === true;
  }

  override _transform(record: LdifRecord | LdifEntryLike, _encoding: BufferEncoding, callback: TransformCallback): void {
    let text: string;
    try {
      text = formatLdifRecord(record, this.format) + '\n';
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (this.pendingVersion) {
      this.pendingVersion = false;
      text = 'version: 1\n\n' + text;
    }
    callback(null, Buffer.from(text, 'latin1'));
  }

  override _flush(callback: TransformCallback): void {
    // An empty stream still says which LDIF it is, when asked to.
    if (this.pendingVersion) this.push(Buffer.from('version: 1\n', 'latin1'));
    callback();
  }
}

/** Records or entries as one LDIF text, each followed by a blank line. */
export const formatLdif = (records: Iterable<LdifRecord | LdifEntryLike>, options: LdifStreamOptions = {}): string => {
  const format = ldifFormat(options);
  let out = options.version === true ? 'version: 1\n\n' : '';
  for (const record of records) out += formatLdifRecord(record, format) + '\n';
  return out;
};
