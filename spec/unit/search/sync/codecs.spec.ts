import { expect } from 'chai';
import * as zlib from 'node:zlib';
import { sameAttributes } from '../../../../lib/search/sync/attributes';
import { crc32, crc32ByTable } from '../../../../lib/search/sync/crc32';
import { batchJson, encodeJournalLine, readJournal } from '../../../../lib/search/sync/journal-codec';
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

  it('a journal line round-trips, and a flipped bit is caught', () => {
    const json = batchJson([encodeRecord('u1', { dn: 'cn=a', attributes: { cn: ['a'] } })], ['u2'], Buffer.from([0, 255]));
    const line = encodeJournalLine(json);
    const read = readJournal(Buffer.concat([line, line]), 'j');
    expect(read.validLength).to.equal(line.length * 2);
    expect(read.batches[0]).to.deep.equal({ puts: [{ entryUUID: 'u1', record: { dn: 'cn=a', attributes: { cn: ['a'] } } }], deletes: ['u2'], cookie: Buffer.from([0, 255]) });
    const flipped = Buffer.from(line);
    flipped[15] = flipped[15]! ^ 0x01;
    expect(readJournal(Buffer.concat([line, flipped]), 'j').validLength, 'a bad last line is torn').to.equal(line.length);
    expect(() => readJournal(Buffer.concat([flipped, line]), 'j')).to.throw(SyncStoreCorruptError);
  });

  it('attributes compare with names case-insensitive and values as sets, not ignoring value case', () => {
    expect(sameAttributes({ cn: ['a', 'b'], Mail: [] }, { CN: ['b', 'a'] })).to.equal(true);
    expect(sameAttributes({ cn: ['a'] }, { cn: ['A'] })).to.equal(false);
    expect(sameAttributes({ cn: ['a'] }, { cn: ['a'], sn: ['b'] })).to.equal(false);
    expect(sameAttributes({ cn: ['a', 'a'] }, { cn: ['a'] })).to.equal(false);
  });
});
