import { expect } from 'chai';
import * as zlib from 'node:zlib';
import { sameAttributes } from '../../../../lib/search/sync/attributes';
import { crc32, crc32ByTable } from '../../../../lib/search/sync/crc32';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchJson, encodeJournalLine, readJournal } from '../../../../lib/search/sync/journal-codec';
import type { JournalBatch } from '../../../../lib/search/sync/journal-codec';
import { readLines } from '../../../../lib/search/sync/line-reader';
import { encodeRecord } from '../../../../lib/search/sync/record-codec';
import { SyncStoreCorruptError } from '../../../../lib/errors';

describe('sync store codecs', () => {
  it('the CRC-32 fallback agrees with zlib', () => {
    expect(crc32ByTable(Buffer.from('123456789'))).to.equal(0xcbf43926); // the standard check value
    expect(crc32(Buffer.from('123456789'))).to.equal(0xcbf43926);
    const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
    if (zlibCrc32 === undefined) return; // Node before 20.15: the table is all there is
    for (const text of ['', 'a', 'journal line ✓'.repeat(100)]) {
      const data = Buffer.from(text);
      expect(crc32ByTable(data), text.slice(0, 20)).to.equal(zlibCrc32(data));
    }
  });

  it('a journal line round-trips, and a flipped bit is caught', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxldap-journal-'));
    const path = join(dir, 'journal-0.jsonl');
    /** Reads `data` as a journal, in chunks of 7 bytes so every line spans chunks. */
    const read = async (data: Buffer): Promise<{ batches: JournalBatch[]; validLength: number }> => {
      await writeFile(path, data);
      const batches: JournalBatch[] = [];
      const validLength = await readJournal(path, (batch) => batches.push(batch), { chunkBytes: 7 });
      return { batches, validLength };
    };
    try {
      const json = batchJson([encodeRecord('u1', { dn: 'cn=a', attributes: { cn: ['a'] } })], ['u2'], Buffer.from([0, 255]));
      const line = encodeJournalLine(json);
      const both = await read(Buffer.concat([line, line]));
      expect(both.validLength).to.equal(line.length * 2);
      expect(both.batches).to.have.length(2);
      expect(both.batches[0]).to.deep.equal({ puts: [{ entryUUID: 'u1', record: { dn: 'cn=a', attributes: { cn: ['a'] } } }], deletes: ['u2'], cookie: Buffer.from([0, 255]) });
      const flipped = Buffer.from(line);
      flipped[15] = flipped[15]! ^ 0x01;
      expect((await read(Buffer.concat([line, flipped]))).validLength, 'a bad last line is torn').to.equal(line.length);
      expect((await read(Buffer.concat([line, line.subarray(0, 20)]))).validLength, 'a last line without newline is torn').to.equal(line.length);
      const error = await read(Buffer.concat([flipped, line])).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(SyncStoreCorruptError);
      expect((await read(Buffer.alloc(0))).validLength).to.equal(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('readLines hands out every line with its offset, whatever the chunk size, and flags a last line without newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxldap-lines-'));
    const path = join(dir, 'lines');
    try {
      const text = ['', 'a', 'ünïcode ✓', 'x'.repeat(50), '', 'last'].join('\n');
      await writeFile(path, text);
      for (const chunkBytes of [1, 2, 3, 7, 64, 1 << 20]) {
        const lines: Array<[string, number, boolean]> = [];
        for await (const { line, offset, complete } of readLines(path, { chunkBytes })) lines.push([line.toString('utf8'), offset, complete]);
        let offset = 0;
        const expected = text.split('\n').map((line, i, all): [string, number, boolean] => {
          const at = offset;
          offset += Buffer.byteLength(line) + 1;
          return [line, at, i < all.length - 1];
        });
        expect(lines, `chunks of ${chunkBytes}`).to.deep.equal(expected);
      }
      const missing: unknown[] = [];
      for await (const line of readLines(join(dir, 'none'), { missingOk: true })) missing.push(line);
      expect(missing).to.deep.equal([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('attributes compare with names case-insensitive and values as sets, not ignoring value case', () => {
    expect(sameAttributes({ cn: ['a', 'b'], Mail: [] }, { CN: ['b', 'a'] })).to.equal(true);
    expect(sameAttributes({ cn: ['a'] }, { cn: ['A'] })).to.equal(false);
    expect(sameAttributes({ cn: ['a'] }, { cn: ['a'], sn: ['b'] })).to.equal(false);
    expect(sameAttributes({ cn: ['a', 'a'] }, { cn: ['a'] })).to.equal(false);
  });
});
