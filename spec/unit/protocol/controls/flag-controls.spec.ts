import { expect } from 'chai';
import fc from 'fast-check';
import {
  ControlOid,
  adChangeNotificationControl,
  decodeControl,
  manageDsaITControl,
  passwordPolicyControl,
  permissiveModifyControl,
  subtreeDeleteControl,
} from '../../../../lib/protocol/controls';
import type { Control, FlagControlType } from '../../../../lib/protocol/controls';
import { assertRoundTrips, expectEncoding, expectMalformed, hex } from './helpers';

const FLAGS: ReadonlyArray<{ type: FlagControlType; oid: string; build: (options?: { critical?: boolean }) => Control }> = [
  { type: 'manageDsaIT', oid: ControlOid.manageDsaIT, build: manageDsaITControl },
  { type: 'passwordPolicyRequest', oid: ControlOid.passwordPolicy, build: passwordPolicyControl },
  { type: 'subtreeDelete', oid: ControlOid.subtreeDelete, build: subtreeDeleteControl },
  { type: 'permissiveModify', oid: ControlOid.permissiveModify, build: permissiveModifyControl },
  { type: 'adChangeNotification', oid: ControlOid.adChangeNotification, build: adChangeNotificationControl },
];

describe('value-less request controls', () => {
  for (const { type, oid, build } of FLAGS) {
    describe(`${type} (${oid})`, () => {
      it('has no value', () => {
        const control = { type, oid, criticality: true } as Control;
        expectEncoding(control, undefined);
        expect(build({ critical: true })).to.deep.equal(control);
        expect(build().criticality).to.equal(false);
      });

      it('tolerates an empty value', () => {
        expect(decodeControl(oid, false, Buffer.alloc(0), 'request')).to.deep.equal({ type, oid, criticality: false });
      });

      it('rejects a non-empty value', () => {
        expectMalformed(oid, '04 00', 'request', new RegExp(`${type} control must not have a value`));
        expectMalformed(oid, '30 00', 'request', /must not have a value/);
      });

      it('round-trips either criticality', () => {
        assertRoundTrips(fc.boolean().map((criticality) => ({ type, oid, criticality })), 10);
      });
    });
  }

  it('uses the OIDs their specifications give', () => {
    expect(ControlOid.manageDsaIT).to.equal('2.16.840.1.113730.3.4.2');
    expect(ControlOid.subtreeDelete).to.equal('1.2.840.113556.1.4.805');
    expect(ControlOid.permissiveModify).to.equal('1.2.840.113556.1.4.1413');
    expect(ControlOid.adChangeNotification).to.equal('1.2.840.113556.1.4.528');
    expect(ControlOid.passwordPolicy).to.equal('1.3.6.1.4.1.42.2.27.8.5.1');
  });

  it('keeps the Active Directory change notification OID raw on a response', () => {
    expect(decodeControl(ControlOid.adChangeNotification, false, hex('01 02'), 'response')).to.deep.equal({
      type: 'raw',
      oid: ControlOid.adChangeNotification,
      criticality: false,
      value: hex('01 02'),
    });
  });
});
