import { expect } from 'chai';
import { DN, dn, parseDN } from '../../../lib/dn';

describe('dn/dn template', () => {
  const base = parseDN('dc=example,dc=com');

  it('escapes interpolated values and returns a parsed DN', () => {
    const user = 'jsmith';
    const d = dn`uid=${user},ou=people,dc=example,dc=com`;
    expect(d).to.be.instanceOf(DN);
    expect(d.toString()).to.equal('uid=jsmith,ou=people,dc=example,dc=com');
  });

  it('an injection attempt stays one value', () => {
    const user = 'a,b+c=d';
    const d = dn`uid=${user},ou=people,dc=example,dc=com`;
    expect(d.length).to.equal(4);
    expect(d.rdn).to.deep.equal([{ type: 'uid', value: 'a,b+c=d' }]);
    expect(d.toString()).to.equal('uid=a\\,b\\+c=d,ou=people,dc=example,dc=com');

    const sneaky = 'x,ou=admins';
    expect(dn`uid=${sneaky},${base}`.isChildOf(base)).to.equal(true);
    for (const evil of ['\\', '\\2c', ' #00', '"', 'a\0b', '<>', ';cn=root', '\\,']) {
      const d2 = dn`uid=${evil},${base}`;
      expect(d2.length, evil).to.equal(3);
      expect(d2.rdn![0]!.value, evil).to.equal(evil);
    }
  });

  it('inserts a DN instance as DN text, unescaped', () => {
    expect(dn`cn=x,${base}`.toString()).to.equal('cn=x,dc=example,dc=com');
    expect(dn`${parseDN('cn=x')},ou=y,${base}`.toString()).to.equal('cn=x,ou=y,dc=example,dc=com');
  });

  it('an empty DN takes its joining separator with it', () => {
    const root = new DN();
    expect(dn`cn=x,${root}`.toString()).to.equal('cn=x');
    expect(dn`${root},cn=x`.toString()).to.equal('cn=x');
    expect(dn`cn=x, ${root}`.toString()).to.equal('cn=x');
  });

  it('escapes values inside a larger value, and numbers', () => {
    const first = ' Jim';
    const last = 'Smith, III ';
    expect(dn`cn=${first} ${last}`.rdn![0]!.value).to.equal(' Jim Smith, III ');
    expect(dn`uidNumber=${1001}+gidNumber=${100n}`.toString()).to.equal('uidNumber=1001+gidNumber=100');
  });

  it('a Buffer becomes a #hex value', () => {
    const d = dn`1.2.3=${Buffer.from([4, 1, 0xff])},${base}`;
    expect(d.rdn![0]!.value).to.deep.equal(Buffer.from([4, 1, 0xff]));
  });

  it('literal parts are raw RFC 4514 text', () => {
    expect(dn`cn=Smith\, John,${base}`.rdn![0]!.value).to.equal('Smith, John');
    expect(dn`cn=Lu\C4\8Di\C4\87`.rdn![0]!.value).to.equal('Lučić');
  });

  it('refuses interpolations where escaping cannot protect the structure', () => {
    const attr = 'cn=x,dc=evil,cn';
    expect(() => dn`${attr}=foo`).to.throw(TypeError, /not attribute types/);
    expect(() => dn`cn=a,${'ou'}=b`).to.throw(TypeError, /not attribute types/);
    expect(() => dn`cn=${base}`).to.throw(TypeError, /between RDN separators/);
    expect(() => dn`cn=x${base}`).to.throw(TypeError, /between RDN separators/);
    expect(() => dn`${base}x`).to.throw(TypeError, /between RDN separators/);
    expect(() => dn`cn=a${Buffer.from([1])}`).to.throw(TypeError, /whole attribute value/);
    expect(() => dn`cn=${undefined as unknown as string}`).to.throw(TypeError, /undefined/);
  });

  it('after an escaped separator in the literal, the position is still a value', () => {
    expect(dn`cn=a\,${'b,c'}`.rdn![0]!.value).to.equal('a,b,c');
  });
});
