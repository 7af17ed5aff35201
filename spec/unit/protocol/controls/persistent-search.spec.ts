import { expect } from 'chai';
import fc from 'fast-check';
import { ControlOid, encodeControlValue } from '../../../../lib/protocol/controls';
import type { EntryChangeNotificationControl, PersistentSearchControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, expectEncoding, expectMalformed, textArb } from './helpers';

const psearch = (value: PersistentSearchControl['value'], criticality = true): PersistentSearchControl => ({
  type: 'persistentSearch',
  oid: ControlOid.persistentSearch,
  criticality,
  value,
});
const ecn = (value: EntryChangeNotificationControl['value']): EntryChangeNotificationControl => ({
  type: 'entryChangeNotification',
  oid: ControlOid.entryChangeNotification,
  criticality: false,
  value,
});

describe('persistent search control (draft-ietf-ldapext-psearch-03)', () => {
  it('encodes SEQUENCE { changeTypes INTEGER, changesOnly BOOLEAN, returnECs BOOLEAN }', () => {
    expectEncoding(psearch({ changeTypes: 15, changesOnly: true, returnECs: true }), '30 09 02 01 0f 01 01 ff 01 01 ff');
    expectEncoding(psearch({ changeTypes: 5, changesOnly: false, returnECs: true }), '30 09 02 01 05 01 01 00 01 01 ff');
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.persistentSearch;
    expectMalformed(oid, undefined, 'request', /no value/);
    expectMalformed(oid, '30 09 02 01 00 01 01 ff 01 01 ff', 'request', /INTEGER 0 out of range \[1, 15\]/);
    expectMalformed(oid, '30 09 02 01 10 01 01 ff 01 01 ff', 'request', /INTEGER 16 out of range/);
    expectMalformed(oid, '30 09 0a 01 0f 01 01 ff 01 01 ff', 'request', /expected tag 0x02 but found 0x0a/);
    expectMalformed(oid, '30 06 02 01 0f 01 01 ff', 'request', /expected tag 0x01 but the data ended/); // no returnECs
    expectMalformed(oid, '30 09 02 01 0f 01 01 ff 01 01', 'request', /runs past the end/);
    expectMalformed(oid, '30 09 02 01 0f 01 01 ff 01 01 ff 05 00', 'request', /unexpected octets after the end/);
  });

  it('rejects changeTypes outside 1..15 when encoding', () => {
    expect(() => encodeControlValue(psearch({ changeTypes: 0, changesOnly: true, returnECs: true }))).to.throw(RangeError);
    expect(() => encodeControlValue(psearch({ changeTypes: 16, changesOnly: true, returnECs: true }))).to.throw(RangeError);
  });

  it('round-trips any change mask and flags', () => {
    assertRoundTrips(
      fc
        .record({ changeTypes: fc.integer({ min: 1, max: 15 }), changesOnly: fc.boolean(), returnECs: fc.boolean() })
        .chain((value) => fc.boolean().map((criticality) => psearch(value, criticality))),
    );
  });
});

describe('Entry Change Notification control', () => {
  it('encodes changeType, previousDN (modDN only) and changeNumber', () => {
    expectEncoding(ecn({ changeType: 'modDN', previousDN: 'cn=a', changeNumber: 42 }), '30 0c 0a 01 08 04 04 63 6e 3d 61 02 01 2a');
    expectEncoding(ecn({ changeType: 'add' }), '30 03 0a 01 01');
    expectEncoding(ecn({ changeType: 'delete' }), '30 03 0a 01 02');
    expectEncoding(ecn({ changeType: 'modify', changeNumber: 300 }), '30 07 0a 01 04 02 02 01 2c');
    expectEncoding(ecn({ changeType: 'modDN', previousDN: 'cn=a' }), '30 09 0a 01 08 04 04 63 6e 3d 61');
  });

  it('allows previousDN only with changeType modDN', () => {
    expectMalformed(
      ControlOid.entryChangeNotification,
      '30 09 0a 01 02 04 04 63 6e 3d 61',
      'response',
      /previousDN is only allowed with changeType modDN, not delete/,
    );
    expect(() => encodeControlValue(ecn({ changeType: 'add', previousDN: 'cn=a' }))).to.throw(TypeError, /only allowed with changeType modDN/);
  });

  it('rejects other malformed values', () => {
    const oid = ControlOid.entryChangeNotification;
    expectMalformed(oid, undefined, 'response', /no value/);
    expectMalformed(oid, '30 03 0a 01 03', 'response', /unknown change type 3/);
    expectMalformed(oid, '30 03 0a 01 10', 'response', /unknown change type 16/);
    expectMalformed(oid, '30 03 02 01 01', 'response', /expected tag 0x0a but found 0x02/);
    expectMalformed(oid, '30 0c 0a 01 08 02 01 2a 04 04 63 6e 3d 61', 'response', /unexpected octets at the end of a constructed/); // out of order
    expectMalformed(oid, '30 0c 0a 01 08 04 04 63 6e 3d', 'response', /runs past the end/);
    expectMalformed(oid, '30 03 0a 01 01 ff', 'response', /unexpected octets after the end/);
  });

  it('round-trips any change type, DN and change number', () => {
    const arbitrary = fc.oneof(
      fc
        .record({ previousDN: textArb(40), changeNumber: fc.integer({ min: 0, max: 2 ** 40 }) }, { requiredKeys: [] })
        .map((value) => ecn({ changeType: 'modDN', ...value })),
      fc
        .record(
          { changeType: fc.constantFrom('add', 'delete', 'modify' as const), changeNumber: fc.integer({ min: -(2 ** 31), max: 2 ** 40 }) },
          { requiredKeys: ['changeType'] },
        )
        .map(ecn),
    );
    assertRoundTrips(arbitrary);
  });
});
