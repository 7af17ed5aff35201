/**
 * Review of issue 13 (a fault older than it, which addUndecoded copied): when the writer refuses
 * a record (a name that is not an attribute description), LdifRecordBytes dropped everything
 * written since the last take, so the whole records before it were lost too; in ldifStream,
 * that is up to a chunk of good entries missing before the error. Only the refused record's
 * own bytes may go, also when a chunk filled up in the middle of it.
 */
import { expect } from 'chai';
import { LdifRecordBytes } from '../../../lib/ldif/writer';
import { decodeMessageAt } from '../../../lib/protocol/decode';
import { encodeMessage } from '../../../lib/protocol/encode';
import type { PartialAttribute } from '../../../lib/protocol/types';
import { UndecodedEntry } from '../../../lib/protocol/undecoded-entry';

const entry = (dn: string, attributes: PartialAttribute[]): UndecodedEntry => {
  const bytes = encodeMessage({ messageId: 1, protocolOp: { type: 'searchResEntry', objectName: dn, attributes } });
  const op = decodeMessageAt(bytes, 0, bytes.length, undefined, () => true).protocolOp;
  if (!(op instanceof UndecodedEntry)) throw new Error('expected an UndecodedEntry');
  return op;
};
const good = (i: number): PartialAttribute[] => [{ type: 'cn', vals: [Buffer.from(`name ${i}`)] }];
const bad: PartialAttribute[] = [{ type: 'cn', vals: [Buffer.from('x'.repeat(100))] }, { type: 'description', vals: [Buffer.from('y'.repeat(100))] }, { type: 'bad name', vals: [Buffer.from('v')] }];
const goodLdif = (i: number): string => `dn: cn=${i}\ncn: name ${i}\n\n`;

describe('LdifRecordBytes refusing a record (review of issue 13)', () => {
  for (const chunkBytes of [64 * 1024, 256, 40]) {
    for (const undecoded of [true, false]) {
      it(`keeps the records before it and drops only its own bytes (chunks of ${chunkBytes}, ${undecoded ? 'undecoded' : 'decoded'})`, () => {
        const out = new LdifRecordBytes({}, chunkBytes);
        const add = (dn: string, attributes: PartialAttribute[]): void => (undecoded ? out.addUndecoded(entry(dn, attributes)) : out.add({ type: 'entry', dn, attributes }));
        for (let i = 0; i < 3; i++) add(`cn=${i}`, good(i));
        expect(() => add('cn=bad', bad)).to.throw(/not an attribute description/);
        add('cn=3', good(3));
        expect(Buffer.concat(out.takeAll()).toString('latin1')).to.equal([0, 1, 2, 3].map(goodLdif).join(''));
      });
    }
  }
});
