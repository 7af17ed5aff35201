import { expect } from 'chai';
import { writeAll } from '../../../../lib/search/sync/snapshot-file';
import type { WritableFile } from '../../../../lib/search/sync/snapshot-file';

/** A file that takes at most `most` bytes per write, as a short write does. */
const shortWritingFile = (most: number): WritableFile & { written: Buffer[]; calls: number } => {
  const file = {
    written: [] as Buffer[],
    calls: 0,
    write: async (data: Buffer, offset: number) => {
      file.calls++;
      const taken = data.subarray(offset, offset + most);
      file.written.push(Buffer.from(taken));
      return { bytesWritten: taken.length };
    },
  };
  return file;
};

describe('writeAll (journal lines and snapshots)', () => {
  it('goes on after a short write until every byte is written, in order', async () => {
    const data = Buffer.from('{"rxldapSyncSnapshot":1}\n'.repeat(40));
    const file = shortWritingFile(7);
    await writeAll(file, data);
    expect(Buffer.concat(file.written).equals(data)).to.equal(true);
    expect(file.calls).to.equal(Math.ceil(data.length / 7));
  });

  it('fails instead of looping when a write takes nothing', async () => {
    const outcome = await writeAll(shortWritingFile(0), Buffer.from('line\n')).then(() => 'written', (error: unknown) => error);
    expect(outcome).to.be.instanceOf(Error);
    expect((outcome as Error).message).to.match(/took no bytes with 5 left/);
  });
});
