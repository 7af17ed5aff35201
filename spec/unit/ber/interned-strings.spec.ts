import { expect } from 'chai';
import fc from 'fast-check';
import { decodeInterned } from '../../../lib/ber/interned-strings';

describe('decodeInterned', () => {
  it('returns the same string object for a repeated name', () => {
    const a = Buffer.from('xxobjectClassxx');
    const b = Buffer.from('objectClass');
    const first = decodeInterned(a, 2, 13);
    expect(first).to.equal('objectClass');
    expect(decodeInterned(b, 0, b.length)).to.equal(first);
  });

  it('never answers with another string, however slots collide (property)', () => {
    // Short strings over a tiny alphabet collide in the 512 slots constantly.
    const name = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '1'), minLength: 0, maxLength: 60 });
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 200 }), (names) => {
        for (const text of names) {
          const bytes = Buffer.concat([Buffer.from([0x04]), Buffer.from(text), Buffer.from([0x04])]);
          expect(decodeInterned(bytes, 1, bytes.length - 1)).to.equal(text);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('does not keep the input buffer alive or see later changes to it', () => {
    const bytes = Buffer.from('member');
    expect(decodeInterned(bytes, 0, bytes.length)).to.equal('member');
    bytes.write('MEMBER');
    expect(decodeInterned(bytes, 0, bytes.length)).to.equal('MEMBER');
  });
});
