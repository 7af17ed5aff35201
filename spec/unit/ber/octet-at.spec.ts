import { expect } from 'chai';
import { octetAt } from '../../../lib/ber/octet-at';

describe('octetAt (a checked octet read)', () => {
  it('reads the octet at an index inside the bytes', () => {
    const bytes = Buffer.from([0x30, 0x81, 0xff]);
    expect([0, 1, 2].map((at) => octetAt(bytes, at))).to.deep.equal([0x30, 0x81, 0xff]);
    expect(octetAt(new Uint8Array([7]), 0)).to.equal(7);
  });

  it('throws a RangeError past the end instead of giving undefined (which would turn a length into NaN)', () => {
    expect(() => octetAt(Buffer.from([1, 2]), 2)).to.throw(RangeError, /octet 2 is past the end of 2/);
    expect(() => octetAt(Buffer.alloc(0), -1)).to.throw(RangeError);
  });
});
