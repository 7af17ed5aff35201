import { expect } from 'chai';
import fc from 'fast-check';
import { BerReader, BerWriter, MAX_INT32, MIN_INT32 } from '../../../lib/ber';

describe('BerWriter', () => {
  it('writes minimal INTEGER encodings', () => {
    const cases: Array<[number, string]> = [
      [0, '020100'], [127, '02017f'], [128, '02020080'], [255, '020200ff'], [256, '02020100'],
      [-1, '0201ff'], [-128, '020180'], [-129, '0202ff7f'], [2147483647, '02047fffffff'], [-2147483648, '020480000000'],
      [4294967295, '020500ffffffff'],
    ];
    for (const [value, expected] of cases) {
      expect(new BerWriter().writeInteger(value).toBuffer().toString('hex'), String(value)).to.equal(expected);
    }
  });

  it('encodes TRUE as 0xff and FALSE as 0x00', () => {
    expect(new BerWriter().writeBoolean(true).writeBoolean(false).toBuffer().toString('hex')).to.equal('0101ff010100');
  });

  it('patches short and long sequence lengths in place', () => {
    for (const size of [0, 1, 127, 128, 255, 256, 65535, 65536, 70000]) {
      const payload = Buffer.alloc(size, 0x61);
      const encoded = new BerWriter(8).startSequence().writeRaw(payload).endSequence().toBuffer();
      const r = new BerReader(encoded);
      const end = r.enter();
      expect(end - r.pos, `size ${size}`).to.equal(size);
      expect(encoded.subarray(r.pos, end).equals(payload)).to.equal(true);
      const expectedHeader = size < 0x80 ? 2 : size < 0x100 ? 3 : size < 0x10000 ? 4 : 5;
      expect(encoded.length - size, `header for ${size}`).to.equal(expectedHeader);
    }
  });

  it('handles nested sequences whose lengths all need widening', () => {
    const writer = new BerWriter(4).startSequence().startSequence().startSequence();
    writer.writeOctetString(Buffer.alloc(300, 1));
    const encoded = writer.endSequence().endSequence().endSequence().toBuffer();
    const r = new BerReader(encoded);
    const a = r.enter();
    const b = r.enter();
    const c = r.enter();
    expect(r.readOctetString()).to.have.length(300);
    r.exit(c);
    r.exit(b);
    r.exit(a);
    r.expectEnd();
  });

  it('writes strings as UTF-8', () => {
    expect(new BerWriter().writeString('é€😀').toBuffer().toString('hex')).to.equal('0409c3a9e282acf09f9880');
  });

  it('refuses to hand out a document with an open sequence', () => {
    expect(() => new BerWriter().startSequence().toBuffer()).to.throw(/still open/);
  });

  it('round-trips every INTEGER in the int32 range and strings and bytes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_INT32, max: MAX_INT32 }), fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 600 }), fc.boolean(), (n, s, bytes, flag) => {
        const encoded = new BerWriter(2)
          .startSequence()
          .writeInteger(n)
          .writeString(s)
          .writeOctetString(Buffer.from(bytes))
          .writeBoolean(flag)
          .writeEnumerated(Math.abs(n % 10))
          .endSequence()
          .toBuffer();
        const r = new BerReader(encoded);
        const end = r.enter();
        expect(r.readInteger()).to.equal(n);
        expect(r.readString()).to.equal(s);
        expect(r.readOctetString().equals(Buffer.from(bytes))).to.equal(true);
        expect(r.readBoolean()).to.equal(flag);
        expect(r.readEnumerated()).to.equal(Math.abs(n % 10));
        r.exit(end);
        r.expectEnd();
      }),
    );
  });
});
