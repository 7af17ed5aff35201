import { expect } from 'chai';
import fc from 'fast-check';
import { ControlOid, decodeControl, encodeControlValue } from '../../../../lib/protocol/controls';
import type { SyncDoneControl, SyncRequestControl, SyncStateControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, bytesArb, expectEncoding, expectMalformed, hex, uuidArb } from './helpers';

const UUID = '00112233445566778899aabbccddeeff';

const syncRequest = (value: SyncRequestControl['value'], criticality = true): SyncRequestControl => ({
  type: 'syncRequest',
  oid: ControlOid.syncRequest,
  criticality,
  value,
});
const syncState = (value: SyncStateControl['value']): SyncStateControl => ({
  type: 'syncState',
  oid: ControlOid.syncState,
  criticality: false,
  value,
});
const syncDone = (value: SyncDoneControl['value']): SyncDoneControl => ({
  type: 'syncDone',
  oid: ControlOid.syncDone,
  criticality: false,
  value,
});

describe('Sync Request control (RFC 4533 §2.2)', () => {
  it('encodes mode, cookie and a TRUE reloadHint', () => {
    expectEncoding(
      syncRequest({ mode: 'refreshAndPersist', cookie: Buffer.from('rid=001'), reloadHint: true }),
      '30 0f 0a 01 03 04 07 72 69 64 3d 30 30 31 01 01 ff',
    );
  });

  it('leaves out an absent cookie and the DEFAULT FALSE reloadHint', () => {
    expectEncoding(syncRequest({ mode: 'refreshOnly', reloadHint: false }), '30 03 0a 01 01');
    expectEncoding(syncRequest({ mode: 'refreshOnly', cookie: Buffer.alloc(0), reloadHint: false }), '30 05 0a 01 01 04 00');
  });

  it('accepts an explicit FALSE reloadHint and any non-zero octet as TRUE', () => {
    const explicitFalse = syncRequest({ mode: 'refreshOnly', reloadHint: false });
    const decode = (value: string) => decodeControl(ControlOid.syncRequest, true, hex(value), 'request');
    expect(decode('30 06 0a 01 01 01 01 00')).to.deep.equal(explicitFalse);
    expect(decode('30 06 0a 01 01 01 01 01')).to.deep.equal(syncRequest({ mode: 'refreshOnly', reloadHint: true }));
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.syncRequest;
    expectMalformed(oid, undefined, 'request', /no value/);
    expectMalformed(oid, '30 03 0a 01 02', 'request', /unknown sync mode 2/); // 2 is reserved
    expectMalformed(oid, '30 03 0a 01 00', 'request', /unknown sync mode 0/);
    expectMalformed(oid, '30 03 02 01 01', 'request', /expected tag 0x0a but found 0x02/); // INTEGER, not ENUMERATED
    expectMalformed(oid, '30 05 0a 01 03 04 07', 'request', /runs past the end/); // truncated cookie
    expectMalformed(oid, '30 03 0a 01 01 00', 'request', /unexpected octets after the end/); // trailing
    expectMalformed(oid, '30 08 0a 01 01 01 01 ff 04 00', 'request', /unexpected octets at the end of a constructed/); // reloadHint before cookie
    expectMalformed(oid, '30 05 0a 01 01 01 00', 'request', /BOOLEAN must have one content octet/);
  });

  it('rejects a mode name it does not know when encoding', () => {
    expect(() => encodeControlValue(syncRequest({ mode: 'refreshSometimes' as never, reloadHint: false }))).to.throw(TypeError, /sync mode/);
  });

  it('round-trips any mode, cookie and reloadHint', () => {
    assertRoundTrips(
      fc
        .record(
          { mode: fc.constantFrom('refreshOnly', 'refreshAndPersist' as const), cookie: bytesArb(), reloadHint: fc.boolean() },
          { requiredKeys: ['mode', 'reloadHint'] },
        )
        .chain((value) => fc.boolean().map((criticality) => syncRequest(value, criticality))),
    );
  });
});

describe('Sync State control (RFC 4533 §2.3)', () => {
  it('encodes state, the 16-octet entryUUID and a cookie', () => {
    expectEncoding(
      syncState({ state: 'add', entryUUID: hex(UUID), cookie: Buffer.from('c') }),
      `30 18 0a 01 01 04 10 ${UUID} 04 01 63`,
    );
    expectEncoding(syncState({ state: 'delete', entryUUID: hex(UUID) }), `30 15 0a 01 03 04 10 ${UUID}`);
    expectEncoding(syncState({ state: 'present', entryUUID: hex(UUID) }), `30 15 0a 01 00 04 10 ${UUID}`);
    expectEncoding(syncState({ state: 'modify', entryUUID: hex(UUID) }), `30 15 0a 01 02 04 10 ${UUID}`);
  });

  it('rejects an entryUUID that is not 16 octets', () => {
    const oid = ControlOid.syncState;
    expectMalformed(oid, `30 14 0a 01 01 04 0f ${UUID.slice(0, 30)}`, 'response', /syncUUID must be 16 octets, not 15/);
    expectMalformed(oid, `30 16 0a 01 01 04 11 ${UUID}ff`, 'response', /not 17/);
    expectMalformed(oid, '30 05 0a 01 01 04 00', 'response', /not 0/);
    expect(() => encodeControlValue(syncState({ state: 'add', entryUUID: Buffer.alloc(15) }))).to.throw(RangeError, /16 octets/);
  });

  it('rejects other malformed values', () => {
    const oid = ControlOid.syncState;
    expectMalformed(oid, undefined, 'response', /no value/);
    expectMalformed(oid, `30 15 0a 01 04 04 10 ${UUID}`, 'response', /unknown sync state 4/);
    expectMalformed(oid, '30 03 0a 01 01', 'response', /expected tag 0x04 but the data ended/); // no entryUUID
    expectMalformed(oid, `30 15 0a 01 01 80 10 ${UUID}`, 'response', /expected tag 0x04 but found 0x80/);
    expectMalformed(oid, `30 15 0a 01 01 04 10 ${UUID.slice(0, 20)}`, 'response', /runs past the end/);
    expectMalformed(oid, `30 15 0a 01 01 04 10 ${UUID} 00 00`, 'response', /unexpected octets after the end/);
    expectMalformed(oid, `30 19 0a 01 01 04 10 ${UUID} 04 01 63 00`, 'response', /unexpected octets at the end of a constructed/);
  });

  it('round-trips any state, UUID and cookie', () => {
    assertRoundTrips(
      fc
        .record(
          { state: fc.constantFrom('present', 'add', 'modify', 'delete' as const), entryUUID: uuidArb(), cookie: bytesArb() },
          { requiredKeys: ['state', 'entryUUID'] },
        )
        .map(syncState),
    );
  });
});

describe('Sync Done control (RFC 4533 §2.4)', () => {
  it('encodes a cookie and a TRUE refreshDeletes', () => {
    expectEncoding(syncDone({ cookie: Buffer.from('x'), refreshDeletes: true }), '30 06 04 01 78 01 01 ff');
  });

  it('leaves out the DEFAULT FALSE refreshDeletes, down to an empty SEQUENCE', () => {
    expectEncoding(syncDone({ refreshDeletes: false }), '30 00');
    expectEncoding(syncDone({ cookie: Buffer.from('x'), refreshDeletes: false }), '30 03 04 01 78');
    expectEncoding(syncDone({ refreshDeletes: true }), '30 03 01 01 ff');
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.syncDone;
    expectMalformed(oid, undefined, 'response', /no value/);
    expectMalformed(oid, 'a0 00', 'response', /expected tag 0x30 but found 0xa0/);
    expectMalformed(oid, '30 05 01 01 ff 04 00', 'response', /unexpected octets at the end of a constructed/); // out of order
    expectMalformed(oid, '30 06 04 01 78 01 01', 'response', /runs past the end|data ended/);
    expectMalformed(oid, '30 00 30 00', 'response', /unexpected octets after the end/);
  });

  it('round-trips any cookie and refreshDeletes', () => {
    assertRoundTrips(
      fc.record({ cookie: bytesArb(), refreshDeletes: fc.boolean() }, { requiredKeys: ['refreshDeletes'] }).map(syncDone),
    );
  });
});
