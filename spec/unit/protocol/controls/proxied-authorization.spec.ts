import { expect } from 'chai';
import { ControlOid, decodeControl, proxiedAuthorizationControl } from '../../../../lib/protocol/controls';
import type { ProxiedAuthorizationControl } from '../../../../lib/protocol/controls';
import { assertRoundTrips, expectEncoding, expectMalformed, textArb } from './helpers';

const proxied = (authzId: string): ProxiedAuthorizationControl => ({
  type: 'proxiedAuthorization',
  oid: ControlOid.proxiedAuthorization,
  criticality: true,
  value: { authzId },
});

describe('proxied authorization v2 control (RFC 4370)', () => {
  it('sends the authzId itself, UTF-8, not BER-wrapped', () => {
    expectEncoding(proxied('dn:cn=a'), '64 6e 3a 63 6e 3d 61');
    expectEncoding(proxied('u:jürgen'), '75 3a 6a c3 bc 72 67 65 6e');
  });

  it('sends an empty value (present, zero octets) for the anonymous identity', () => {
    expectEncoding(proxied(''), '');
    expect(decodeControl(ControlOid.proxiedAuthorization, true, Buffer.alloc(0), 'request')).to.deep.equal(proxied(''));
  });

  it('requires a value', () => {
    expectMalformed(ControlOid.proxiedAuthorization, undefined, 'request', /proxiedAuthorization control has no value/);
  });

  it('is critical by default and checks the authzId form in its builder', () => {
    expect(proxiedAuthorizationControl('dn:cn=a')).to.deep.equal(proxied('dn:cn=a'));
    expect(proxiedAuthorizationControl('u:bob', { critical: false }).criticality).to.equal(false);
    expect(proxiedAuthorizationControl('')).to.deep.equal(proxied(''));
    expect(() => proxiedAuthorizationControl('cn=a,dc=example')).to.throw(TypeError, /'dn:' or 'u:'/);
  });

  it('round-trips any authzId text', () => {
    assertRoundTrips(textArb(40).map((text) => proxied(`dn:${text}`)));
  });
});
