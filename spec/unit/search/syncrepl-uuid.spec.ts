import { expect } from 'chai';
import fc from 'fast-check';
import { syncUUIDFromString, syncUUIDToString } from '../../../lib/search/syncrepl-uuid';

describe('syncrepl entryUUID text', () => {
  it('formats 16 octets as 8-4-4-4-12 lowercase hex', () => {
    const uuid = Buffer.from('9CA38496 7A39 1041 87DA DB2F0576570B'.replace(/ /g, ''), 'hex');
    expect(syncUUIDToString(uuid)).to.equal('9ca38496-7a39-1041-87da-db2f0576570b');
  });

  it('round-trips any 16 octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (octets) => {
        const uuid = Buffer.from(octets);
        const text = syncUUIDToString(uuid);
        expect(text).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(syncUUIDFromString(text.toUpperCase()).equals(uuid)).to.equal(true);
      }),
    );
  });

  it('refuses other lengths and other text', () => {
    expect(() => syncUUIDToString(Buffer.alloc(15))).to.throw(RangeError, /16 octets, not 15/);
    expect(() => syncUUIDFromString('9ca38496-7a39-1041-87da-db2f0576570')).to.throw(TypeError, /not a UUID/);
    expect(() => syncUUIDFromString('9ca38496a7a39-1041-87da-db2f0576570b')).to.throw(TypeError, /not a UUID/);
  });
});
