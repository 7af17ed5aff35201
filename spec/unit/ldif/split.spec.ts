/**
 * The reader is a stream: however the bytes are cut (one at a time, at random, inside a CR LF,
 * right at a blank line), it gives the same records, or the same error at the same place, as
 * the whole input read at once; through the Transform, too.
 */
import { expect } from 'chai';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LdifParser, LdifReader, parseLdif } from '../../../lib/ldif';
import type { LdifRecord } from '../../../lib/ldif';
import { seededRandom } from '../../support/data';

const CORPUS = [
  'version: 1\r\n\r\n# comment\r\n folded\r\ndn: cn=a,dc=x\r\ncn: a\r\ndescription: one\r\n  two\r\njpegPhoto:: AAEC\r\n /w==\r\n\r\n\r\n',
  'dn: cn=b,dc=x\ncontrol: 1.2.3 true:: AAE=\nchangetype: modify\nadd: mail\nmail: a@x\n-\nreplace: cn\n-\nincrement: n\nn: 1\n-\n\n',
  'dn:: Y249Sm9zw6k=\nchangetype: modrdn\nnewrdn: cn=c\ndeleteoldrdn: 0\nnewsuperior: dc=y\n\ndn: cn=d\nchangetype: delete\n\n',
  `dn: cn=e\nchangetype: add\nobjectClass: top\ndescription: ${'long '.repeat(40)}\n`,
];
const TEXT = Buffer.from(CORPUS.join(''), 'utf8');
const BROKEN = Buffer.from(CORPUS.slice(0, 3).join('') + 'dn: cn=f\r\ncn:: AA=A\r\n', 'utf8');

interface Outcome {
  records: LdifRecord[];
  error: string | undefined;
}

const whole = (input: Buffer): Outcome => {
  try {
    return { records: parseLdif(input), error: undefined };
  } catch (error) {
    return { records: [], error: (error as Error).message };
  }
};

const fed = (chunks: readonly Buffer[]): Outcome => {
  const records: LdifRecord[] = [];
  const parser = new LdifParser();
  try {
    for (const chunk of chunks) parser.feed(chunk, (record) => records.push(record));
    parser.end((record) => records.push(record));
    return { records, error: undefined };
  } catch (error) {
    // A failed parser stays failed with the same error.
    expect(() => parser.feed(Buffer.from('dn: x\n'), () => undefined)).to.throw((error as Error).message);
    return { records: [], error: (error as Error).message };
  }
};

const streamed = async (chunks: readonly Buffer[]): Promise<Outcome> => {
  const records: LdifRecord[] = [];
  try {
    await pipeline(Readable.from(chunks, { objectMode: false }), new LdifReader(), async (source: AsyncIterable<LdifRecord>) => {
      for await (const record of source) records.push(record);
    });
    return { records, error: undefined };
  } catch (error) {
    return { records: [], error: (error as Error).message };
  }
};

const cut = (input: Buffer, at: readonly number[]): Buffer[] => {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const offset of at) {
    chunks.push(input.subarray(start, offset));
    start = offset;
  }
  chunks.push(input.subarray(start));
  return chunks;
};

const bytewise = (input: Buffer): Buffer[] => Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));

describe('LDIF reader: split input', () => {
  for (const [name, input] of [['valid LDIF', TEXT], ['LDIF with an error in its last record', BROKEN]] as const) {
    describe(name, () => {
      const expected = whole(input);

      it('reads the whole input as expected', () => {
        if (input === TEXT) expect(expected.records.map((r) => r.type)).to.deep.equal(['content', 'modify', 'modrdn', 'delete', 'add']);
        else expect(expected.error).to.match(/line 35, column 9/);
      });

      it('gives the same fed one byte at a time', () => {
        expect(fed(bytewise(input))).to.deep.equal(expected);
      });

      it('gives the same cut at every single offset', () => {
        for (let offset = 0; offset <= input.length; offset++) expect(fed(cut(input, [offset])), `cut at ${offset}`).to.deep.equal(expected);
      });

      it('gives the same in random chunks (200 seeded cuttings)', () => {
        const random = seededRandom(2849);
        for (let round = 0; round < 200; round++) {
          const count = 1 + Math.floor(random() * 12);
          const at = Array.from({ length: count }, () => Math.floor(random() * (input.length + 1))).sort((x, y) => x - y);
          expect(fed(cut(input, at)), `cuts ${at.join(',')}`).to.deep.equal(expected);
        }
      });

      it('gives the same through the LdifReader Transform, byte by byte and in random chunks', async () => {
        expect(await streamed(bytewise(input))).to.deep.equal(expected);
        const random = seededRandom(4511);
        for (let round = 0; round < 20; round++) {
          const at = Array.from({ length: 5 }, () => Math.floor(random() * (input.length + 1))).sort((x, y) => x - y);
          expect(await streamed(cut(input, at))).to.deep.equal(expected);
        }
      });
    });
  }

  it('holds only the record being read: a record over maxRecordBytes fails while it is still coming in', () => {
    const parser = new LdifParser({ maxRecordBytes: 1024 });
    const records: LdifRecord[] = [];
    parser.feed(Buffer.from('dn: a=1\nx: y\n\ndn: a=2\ndescription: '), (record) => records.push(record));
    expect(records).to.have.length(1);
    const chunk = Buffer.alloc(100, 0x61);
    let fedBytes = 0;
    expect(() => {
      for (;;) {
        parser.feed(chunk, (record) => records.push(record));
        fedBytes += chunk.length;
      }
    }).to.throw(/line 4, column 1: the record starting here is longer than maxRecordBytes \(1024 bytes\)/);
    expect(fedBytes).to.be.lessThan(1024);
  });
});
