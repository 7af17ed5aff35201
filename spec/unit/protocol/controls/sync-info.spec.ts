import { expect } from 'chai';
import fc from 'fast-check';
import { ProtocolError } from '../../../../lib/errors';
import { SYNC_INFO_OID, decodeSyncInfoValue, encodeSyncInfoValue } from '../../../../lib/protocol/intermediate/sync-info';
import type { SyncInfo } from '../../../../lib/protocol/intermediate/sync-info';
import { bytesArb, hex, uuidArb } from './helpers';

// The Sync Info Message is an IntermediateResponse value, not a control; its spec lives here
// beside the Sync controls it works with.

const U1 = '00112233445566778899aabbccddeeff';
const U2 = 'ffeeddccbbaa99887766554433221100';

const expectSyncInfo = (info: SyncInfo, expected: string): void => {
  expect(encodeSyncInfoValue(info).toString('hex')).to.equal(hex(expected).toString('hex'));
  expect(decodeSyncInfoValue(hex(expected))).to.deep.equal(info);
};

const expectBad = (value: string, pattern: RegExp): void => {
  expect(() => decodeSyncInfoValue(hex(value))).to.throw(ProtocolError, pattern);
};

describe('Sync Info Message value (RFC 4533 §2.5)', () => {
  it('has the RFC 4533 OID', () => {
    expect(SYNC_INFO_OID).to.equal('1.3.6.1.4.1.4203.1.9.1.4');
  });

  it('encodes newcookie as a primitive [0]', () => {
    expectSyncInfo({ type: 'newcookie', cookie: Buffer.from('abc') }, '80 03 61 62 63');
    expectSyncInfo({ type: 'newcookie', cookie: Buffer.alloc(0) }, '80 00');
  });

  it('encodes refreshDelete [1] and refreshPresent [2], leaving out the DEFAULT TRUE refreshDone', () => {
    expectSyncInfo({ type: 'refreshDelete', refreshDone: true }, 'a1 00');
    expectSyncInfo({ type: 'refreshDelete', cookie: Buffer.from('c'), refreshDone: true }, 'a1 03 04 01 63');
    expectSyncInfo({ type: 'refreshPresent', cookie: Buffer.from('c'), refreshDone: false }, 'a2 06 04 01 63 01 01 00');
    expectSyncInfo({ type: 'refreshPresent', refreshDone: true }, 'a2 00');
  });

  it('accepts an explicit TRUE refreshDone', () => {
    expect(decodeSyncInfoValue(hex('a2 03 01 01 ff'))).to.deep.equal({ type: 'refreshPresent', refreshDone: true });
    expect(decodeSyncInfoValue(hex('a1 03 01 01 01'))).to.deep.equal({ type: 'refreshDelete', refreshDone: true });
  });

  it('encodes syncIdSet [3] with its SET OF syncUUID', () => {
    expectSyncInfo(
      { type: 'syncIdSet', cookie: Buffer.from('c'), refreshDeletes: true, syncUUIDs: [hex(U1), hex(U2)] },
      `a3 2c 04 01 63 01 01 ff 31 24 04 10 ${U1} 04 10 ${U2}`,
    );
    expectSyncInfo({ type: 'syncIdSet', refreshDeletes: false, syncUUIDs: [] }, 'a3 02 31 00');
    expectSyncInfo({ type: 'syncIdSet', refreshDeletes: false, syncUUIDs: [hex(U1)] }, `a3 14 31 12 04 10 ${U1}`);
  });

  it('rejects a syncUUID that is not 16 octets', () => {
    expectBad(`a3 13 31 11 04 0f ${U1.slice(0, 30)}`, /syncUUID must be 16 octets, not 15/);
    expect(() => encodeSyncInfoValue({ type: 'syncIdSet', refreshDeletes: false, syncUUIDs: [Buffer.alloc(15)] })).to.throw(
      RangeError,
      /16 octets/,
    );
  });

  it('rejects malformed values', () => {
    expectBad('', /empty Sync Info value/);
    expectBad('a4 00', /unknown Sync Info choice 0xa4/);
    expectBad('a0 03 04 01 63', /unknown Sync Info choice 0xa0/); // newcookie must be primitive
    expectBad('81 00', /unknown Sync Info choice 0x81/); // refreshDelete must be constructed
    expectBad('a3 00', /expected tag 0x31 but the data ended/); // syncUUIDs is not optional
    expectBad(`a3 14 30 12 04 10 ${U1}`, /expected tag 0x31 but found 0x30/);
    expectBad('a2 06 04 01 63 01 01', /runs past the end/); // truncated
    expectBad('80 00 00', /unexpected octets after the end/); // trailing
    expectBad('a1 05 01 01 00 04 00', /unexpected octets at the end of a constructed/); // refreshDone before cookie
    expectBad('a1 03 01 02 ff', /BOOLEAN must have one content octet|runs past the end/);
  });

  it('round-trips every alternative with random fields', () => {
    const withOptionalCookie = <T extends object>(arb: fc.Arbitrary<T>) =>
      fc.tuple(arb, fc.option(bytesArb(), { nil: undefined })).map(([info, cookie]) => (cookie === undefined ? info : { ...info, cookie }));
    const arbitrary: fc.Arbitrary<SyncInfo> = fc.oneof(
      bytesArb().map((cookie): SyncInfo => ({ type: 'newcookie', cookie })),
      withOptionalCookie(
        fc.record({ type: fc.constantFrom('refreshDelete' as const, 'refreshPresent' as const), refreshDone: fc.boolean() }),
      ),
      withOptionalCookie(
        fc.record({ type: fc.constant('syncIdSet' as const), refreshDeletes: fc.boolean(), syncUUIDs: fc.array(uuidArb(), { maxLength: 8 }) }),
      ),
    );
    fc.assert(
      fc.property(arbitrary, (info) => {
        expect(decodeSyncInfoValue(encodeSyncInfoValue(info))).to.deep.equal(info);
      }),
      { numRuns: 300 },
    );
  });
});
