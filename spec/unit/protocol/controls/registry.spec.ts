import { expect } from 'chai';
import fc from 'fast-check';
import { ProtocolError } from '../../../../lib/errors';
import {
  ControlOid,
  builtinControlCodecs,
  controlCodecFor,
  controlOid,
  decodeControl,
  encodeControlValue,
  rawControl,
} from '../../../../lib/protocol/controls';
import type { ControlType } from '../../../../lib/protocol/controls';
import { bytesArb, hex } from './helpers';

// Every member of the Control union except 'raw'; the compiler checks this list is complete.
const TYPES = {
  pagedResults: true,
  syncRequest: true,
  syncState: true,
  syncDone: true,
  persistentSearch: true,
  entryChangeNotification: true,
  sortRequest: true,
  sortResponse: true,
  vlvRequest: true,
  vlvResponse: true,
  preReadRequest: true,
  postReadRequest: true,
  preReadResponse: true,
  postReadResponse: true,
  assertion: true,
  proxiedAuthorization: true,
  manageDsaIT: true,
  passwordPolicyRequest: true,
  passwordPolicyResponse: true,
  subtreeDelete: true,
  permissiveModify: true,
  transactionSpecification: true,
  dirSyncRequest: true,
  dirSyncResponse: true,
  adChangeNotification: true,
} satisfies Record<Exclude<ControlType, 'raw'>, true>;

const UNKNOWN_OID = '1.3.6.1.4.1.99999.1';

describe('control registry', () => {
  it('has a codec for every typed control, with the OID from ControlOid', () => {
    const oids = new Set<string>(Object.values(ControlOid));
    for (const type of Object.keys(TYPES) as Array<keyof typeof TYPES>) {
      const codec = controlCodecFor(type);
      expect(codec, type).to.not.equal(undefined);
      expect(oids.has(codec!.oid), `${type} OID`).to.equal(true);
    }
    expect(builtinControlCodecs).to.have.length(Object.keys(TYPES).length);
  });

  it('answers each (OID, direction) pair with at most one codec', () => {
    const seen = new Map<string, string>();
    for (const codec of builtinControlCodecs) {
      const directions = codec.direction === 'both' ? ['request', 'response'] : [codec.direction];
      for (const direction of directions) {
        const key = `${codec.oid} ${direction}`;
        expect(seen.get(key), key).to.equal(undefined);
        seen.set(key, codec.type);
      }
    }
  });

  it('keeps an unknown OID as a RawControl with its bytes', () => {
    const value = hex('30 03 02 01 07');
    const control = decodeControl(UNKNOWN_OID, true, value, 'response');
    expect(control).to.deep.equal({ type: 'raw', oid: UNKNOWN_OID, criticality: true, value });
    expect(control.type === 'raw' && control.value).to.equal(value); // the same bytes, not a copy
    expect(decodeControl(UNKNOWN_OID, false, undefined, 'request')).to.deep.equal({ type: 'raw', oid: UNKNOWN_OID, criticality: false });
    expect('value' in decodeControl(UNKNOWN_OID, false, undefined, 'request')).to.equal(false);
  });

  it('keeps a known OID raw when it arrives from the side that never sends it', () => {
    const value = hex('30 03 0a 01 01');
    expect(decodeControl(ControlOid.syncRequest, false, value, 'response')).to.deep.equal({
      type: 'raw',
      oid: ControlOid.syncRequest,
      criticality: false,
      value,
    });
  });

  it('passes raw controls through when encoding', () => {
    const raw = rawControl(UNKNOWN_OID, hex('01 02 03'), true);
    expect(raw).to.deep.equal({ type: 'raw', oid: UNKNOWN_OID, criticality: true, value: hex('01 02 03') });
    expect(encodeControlValue(raw)).to.equal(raw.value);
    expect(controlOid(raw)).to.equal(UNKNOWN_OID);
    expect(encodeControlValue(rawControl(UNKNOWN_OID))).to.equal(undefined);
    expect(rawControl(UNKNOWN_OID, 'text').value).to.deep.equal(Buffer.from('text'));
  });

  it('puts the codec OID on the wire for typed controls', () => {
    expect(controlOid({ type: 'manageDsaIT', oid: 'ignored', criticality: false })).to.equal(ControlOid.manageDsaIT);
  });

  it('names the control and keeps the cause in a decoding error', () => {
    let caught: unknown;
    try {
      decodeControl(ControlOid.syncState, false, hex('30 03 0a 01 09'), 'response');
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ProtocolError);
    const error = caught as ProtocolError;
    expect(error.message).to.equal(`malformed syncState control value (${ControlOid.syncState}): unknown sync state 9`);
    expect(error.cause).to.be.instanceOf(ProtocolError);
    expect((error.cause as ProtocolError).offset).to.equal(2);
  });

  it('round-trips any unknown control untouched', () => {
    const knownOids = new Set<string>(Object.values(ControlOid));
    const oid = fc
      .array(fc.integer({ min: 0, max: 99999 }), { minLength: 2, maxLength: 8 })
      .map((arcs) => `1.3.6.1.4.1.${arcs.join('.')}`)
      .filter((candidate) => !knownOids.has(candidate));
    fc.assert(
      fc.property(oid, fc.option(bytesArb(), { nil: undefined }), fc.boolean(), fc.constantFrom('request' as const, 'response' as const), (o, value, critical, direction) => {
        const raw = rawControl(o, value, critical);
        expect(decodeControl(o, critical, encodeControlValue(raw), direction)).to.deep.equal(raw);
      }),
    );
  });
});
