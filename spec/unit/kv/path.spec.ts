import { expect } from 'chai';
import * as fc from 'fast-check';
import { DN, parseDN } from '../../../lib/dn';
import { InvalidDNError } from '../../../lib/errors';
import { parseStorePath, toStorePath } from '../../../lib/kv';

describe('kv/path: store paths and DNs', () => {
  it('maps path components to RDNs in reverse order (the seed: /dc=org/dc=test is dc=test,dc=org)', () => {
    expect(parseStorePath('/dc=org/dc=test').toString()).to.equal('dc=test,dc=org');
    expect(parseStorePath('/dc=org/dc=example/ou=people').toString()).to.equal('ou=people,dc=example,dc=org');
  });

  it('takes text without a leading / as a DN, and a component may hold several RDNs in DN order', () => {
    expect(parseStorePath('ou=people,dc=example,dc=org').equals('ou=people,dc=example,dc=org')).to.equal(true);
    // the seed's `/dc=test,dc=org`: one component, a DN
    expect(parseStorePath('/dc=test,dc=org').toString()).to.equal('dc=test,dc=org');
    expect(parseStorePath('/dc=example,dc=org/ou=people').toString()).to.equal('ou=people,dc=example,dc=org');
  });

  it('keeps a / , = + or \\ inside a value exactly: \\/ and \\2F both stand for /', () => {
    const dn = parseStorePath('/dc=org/ou=a\\/b/cn=x\\2Fy\\, z=1\\+2\\\\');
    expect(dn.rdns.map((rdn) => rdn[0]!.value)).to.deep.equal(['x/y, z=1+2\\', 'a/b', 'org']);
    expect(toStorePath(dn)).to.equal('/dc=org/ou=a\\2Fb/cn=x\\2Fy\\, z=1\\+2\\\\');
    expect(toStorePath('cn=a/b,dc=org')).to.equal('/dc=org/cn=a\\2Fb');
  });

  it('is the root DSE for / and the empty string, and allows one trailing /', () => {
    expect(parseStorePath('/').length).to.equal(0);
    expect(parseStorePath('').length).to.equal(0);
    expect(toStorePath(new DN())).to.equal('/');
    expect(parseStorePath('/dc=org/dc=test/').toString()).to.equal('dc=test,dc=org');
  });

  it('keeps multi-valued RDNs and passes a DN through', () => {
    expect(parseStorePath('/dc=org/cn=a+sn=b').toString()).to.equal('cn=a+sn=b,dc=org');
    const dn = parseDN('cn=x,dc=org');
    expect(parseStorePath(dn)).to.equal(dn);
  });

  it('refuses malformed paths with InvalidDNError at the position in the path', () => {
    const failure = (path: string): InvalidDNError => {
      try {
        parseStorePath(path);
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidDNError);
        return error as InvalidDNError;
      }
      throw new Error(`${path} was accepted`);
    };
    expect(failure('/dc=org//ou=x').position).to.equal(8); // the / that ends the empty component
    expect(failure('/dc=org/ou').input).to.equal('/dc=org/ou');
    // the character after the bad escape's backslash, counted in the path (after a \/ that grew to \2F)
    expect(failure('/dc=org/cn=a\\/b\\zz').position).to.equal(16);
    expect(failure('/dc=org/cn=a\\').input).to.equal('/dc=org/cn=a\\');
  });

  it('round-trips any DN: parseStorePath(toStorePath(dn)) names the same entry', () => {
    const value = fc.string({ unit: fc.constantFrom('a', 'Z', '/', ',', '=', '+', '\\', ' ', '#', '"', ';', '<', '>', 'é', '0'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('cn', 'ou', 'dc', 'uid'), value), { minLength: 1, maxLength: 5 }), (pairs) => {
        const dn = new DN(pairs.map(([type, v]) => [{ type, value: v }]));
        const back = parseStorePath(toStorePath(dn));
        expect(back.rdns).to.deep.equal(dn.rdns);
        expect(parseStorePath(dn.toString()).rdns).to.deep.equal(dn.rdns);
      }),
    );
  });
});
