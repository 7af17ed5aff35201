import { expect } from 'chai';
import { BerReader } from '../../../lib/ber';
import { ProtocolError } from '../../../lib/errors';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const reader = (text: string): BerReader => new BerReader(hex(text));

/** Asserts that `read` throws a ProtocolError whose message contains `reason`. */
const rejects = (read: () => unknown, reason: string | RegExp): ProtocolError => {
  try {
    read();
  } catch (error) {
    expect(error).to.be.instanceOf(ProtocolError);
    expect((error as ProtocolError).message).to.match(typeof reason === 'string' ? new RegExp(reason) : reason);
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
};

describe('BerReader', () => {
  describe('lengths (RFC 4511 §5.1: definite form only)', () => {
    it('reads short and long definite lengths', () => {
      expect(reader('04 03 616263').readString()).to.equal('abc');
      const long = Buffer.concat([hex('04 82 0100'), Buffer.alloc(256, 0x61)]);
      expect(new BerReader(long).readOctetString()).to.have.length(256);
    });
    it('accepts a non-minimal long form length', () => {
      expect(reader('04 84 00000002 6869').readString()).to.equal('hi');
    });
    it('rejects the indefinite length form', () => {
      rejects(() => reader('30 80 0000').enter(), 'indefinite length');
    });
    it('rejects the reserved length octet 0xff', () => {
      rejects(() => reader('04 ff 00').readOctetString(), 'reserved');
    });
    it('rejects lengths of more than four octets', () => {
      rejects(() => reader('04 85 0000000001 00').readOctetString(), 'too large');
    });
    it('rejects a length past the bytes present and says where', () => {
      const error = rejects(() => reader('30 03 0201').enter(), /length 3 runs past the end of the data \(2 octets left\)/);
      expect(error.offset).to.equal(1);
    });
    it('rejects a value that runs past its enclosing constructed value', () => {
      const r = reader('30 03 04 03 616263');
      const end = r.enter();
      rejects(() => r.readString(undefined, end), 'runs past');
    });
  });

  describe('tags', () => {
    it('rejects a constructed OCTET STRING', () => {
      rejects(() => reader('24 05 04 03 616263').readOctetString(), 'constructed encoding of a string');
    });
    it('rejects a constructed implicitly tagged string', () => {
      rejects(() => reader('a0 02 0400').readOctetString(0x80), 'constructed encoding');
    });
    it('rejects multi-octet tags', () => {
      rejects(() => reader('1f 81 00 00').skip(), 'multi-octet tag');
    });
    it('names the expected and found tags', () => {
      rejects(() => reader('04 00').readInteger(), 'expected tag 0x02 but found 0x04');
    });
  });

  describe('INTEGER', () => {
    const int = (text: string, min?: number, max?: number): number => reader(text).readInteger(undefined, min, max);
    it('reads positive, negative and boundary values', () => {
      expect(int('02 01 00')).to.equal(0);
      expect(int('02 01 7f')).to.equal(127);
      expect(int('02 02 0080')).to.equal(128);
      expect(int('02 01 ff')).to.equal(-1);
      expect(int('02 01 80')).to.equal(-128);
      expect(int('02 04 7fffffff')).to.equal(2147483647);
      expect(int('02 04 80000000')).to.equal(-2147483648);
    });
    it('accepts non-minimal encodings', () => {
      expect(int('02 03 000005')).to.equal(5);
      expect(int('02 03 ffffff')).to.equal(-1);
      expect(int('02 0a 00000000000000000001')).to.equal(1);
    });
    it('rejects values outside the allowed range', () => {
      rejects(() => int('02 05 0080000000'), 'out of range');
      rejects(() => int('02 01 ff', 0), 'INTEGER -1 out of range');
      rejects(() => int('02 09 010000000000000000'), 'out of range');
      rejects(() => int('02 02 0100', 0, 127), 'INTEGER 256 out of range');
    });
    it('rejects an INTEGER with no content octets', () => {
      rejects(() => int('02 00'), 'no content');
    });
  });

  describe('BOOLEAN', () => {
    it('reads FALSE as 0x00 and any non-zero octet as TRUE', () => {
      expect(reader('01 01 00').readBoolean()).to.equal(false);
      expect(reader('01 01 ff').readBoolean()).to.equal(true);
      expect(reader('01 01 01').readBoolean()).to.equal(true);
      expect(reader('01 01 7a').readBoolean()).to.equal(true);
    });
    it('rejects a BOOLEAN that is not one octet', () => {
      rejects(() => reader('01 02 0000').readBoolean(), 'one content octet');
      rejects(() => reader('01 00').readBoolean(), 'one content octet');
    });
  });

  describe('constructed values', () => {
    it('walks nested sequences with enter/exit without copying', () => {
      const input = hex('30 08 04 02 6869 30 02 0500');
      const r = new BerReader(input);
      const end = r.enter();
      const value = r.readOctetString();
      expect(value.buffer).to.equal(input.buffer); // a view of the input, not a copy
      const inner = r.enter(0x30, end);
      r.readNull(undefined, inner);
      r.exit(inner);
      r.exit(end);
      r.expectEnd();
    });
    it('rejects unread octets left inside a constructed value', () => {
      const r = reader('30 04 0500 0500');
      const end = r.enter();
      r.readNull();
      rejects(() => r.exit(end), 'unexpected octets at the end of a constructed value');
    });
    it('enforces the nesting limit', () => {
      const depth = 10;
      let inner = hex('0500');
      for (let i = 0; i < depth; i++) inner = Buffer.concat([Buffer.from([0x30, inner.length]), inner]);
      const r = new BerReader(inner, 0, inner.length, { maxDepth: depth - 1 });
      rejects(() => {
        for (let i = 0; i < depth; i++) r.enter();
      }, 'nesting deeper than 9 levels');
    });
    it('rejects trailing bytes after a document', () => {
      const r = reader('0500 00');
      r.readNull();
      rejects(() => r.expectEnd(), '1 unexpected octets after the end');
    });
    it('reports offsets relative to a base offset', () => {
      const r = new BerReader(hex('02 00'), 0, 2, { baseOffset: 100 });
      expect(rejects(() => r.readInteger(), 'no content').offset).to.equal(100);
    });
  });

  it('skips and returns raw TLVs of any tag', () => {
    const r = reader('a3 03 040161 0101ff');
    expect(r.readRaw().toString('hex')).to.equal('a303040161');
    expect(r.readBoolean()).to.equal(true);
  });
});
