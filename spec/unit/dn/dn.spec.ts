import { expect } from 'chai';
import { DN, parseDN } from '../../../lib/dn';
import { InvalidDNError } from '../../../lib/errors';

describe('dn/DN', () => {
  const base = parseDN('dc=example,dc=com');
  const people = parseDN('ou=people,dc=example,dc=com');
  const jsmith = parseDN('uid=jsmith,ou=people,dc=example,dc=com');

  describe('structure', () => {
    it('length and rdn (the leftmost RDN)', () => {
      expect(jsmith.length).to.equal(4);
      expect(jsmith.rdn).to.deep.equal([{ type: 'uid', value: 'jsmith' }]);
      expect(new DN().rdn).to.equal(undefined);
      expect(new DN().length).to.equal(0);
    });

    it('parent() drops the leftmost RDN, down to the empty DN, then undefined', () => {
      expect(jsmith.parent()!.toString()).to.equal('ou=people,dc=example,dc=com');
      const top = parseDN('dc=com');
      expect(top.parent()!.toString()).to.equal('');
      expect(top.parent()!.parent()).to.equal(undefined);
    });

    it('child() prepends an RDN given as text, an RDN or a single pair', () => {
      expect(people.child('uid=jsmith').equals(jsmith)).to.equal(true);
      expect(people.child('cn=a+sn=b').toString()).to.equal('cn=a+sn=b,ou=people,dc=example,dc=com');
      expect(people.child([{ type: 'cn', value: 'a,b' }]).toString()).to.equal('cn=a\\,b,ou=people,dc=example,dc=com');
      expect(people.child({ type: 'uid', value: '#x' }).toString()).to.equal('uid=\\#x,ou=people,dc=example,dc=com');
    });

    it('child() with text holding more than one RDN names the separator', () => {
      expect(() => people.child('cn=a,dc=b')).to.throw(InvalidDNError).with.property('position', 4);
      expect(() => people.child('')).to.throw(InvalidDNError);
    });

    it('append() puts the DN under the given suffixes', () => {
      expect(parseDN('uid=jsmith').append('ou=people', base).equals(jsmith)).to.equal(true);
      expect(new DN().append(base).toString()).to.equal('dc=example,dc=com');
    });

    it('is immutable and copies what it is built from', () => {
      const bytes = Buffer.from([1, 2]);
      const rdn = [{ type: 'cn', value: bytes }];
      const d = new DN([rdn]);
      bytes[0] = 9;
      rdn.push({ type: 'sn', value: Buffer.from([3]) });
      expect(d.toString()).to.equal('cn=#0102');
      expect(Object.isFrozen(d.rdns)).to.equal(true);
      expect(Object.isFrozen(d.rdns[0])).to.equal(true);
    });

    it('the constructor rejects what toString could not write', () => {
      expect(() => new DN([[]])).to.throw(InvalidDNError, /at least one/);
      expect(() => new DN([[{ type: 'c n', value: 'x' }]])).to.throw(InvalidDNError).with.property('position', 1);
      expect(() => new DN([[{ type: '1.02', value: 'x' }]])).to.throw(InvalidDNError);
      expect(() => new DN([[{ type: 'cn', value: Buffer.alloc(0) }]])).to.throw(InvalidDNError);
      expect(() => new DN([[{ type: 'cn', value: '\uDC00' }]])).to.throw(InvalidDNError);
      expect(() => new DN([[{ type: 'cn', value: 5 as unknown as string }]])).to.throw(TypeError);
    });

    it('toJSON gives the canonical text', () => {
      expect(JSON.stringify({ dn: parseDN('CN = x ; DC = y') })).to.equal('{"dn":"CN=x,DC=y"}');
    });
  });

  describe('hierarchy', () => {
    it('isChildOf: exactly one level below', () => {
      expect(jsmith.isChildOf(people)).to.equal(true);
      expect(jsmith.isChildOf('OU=People,DC=Example,DC=Com')).to.equal(true);
      expect(jsmith.isChildOf(base)).to.equal(false);
      expect(jsmith.isChildOf(jsmith)).to.equal(false);
      expect(parseDN('dc=com').isChildOf('')).to.equal(true);
    });

    it('isDescendantOf: strictly below, at any depth', () => {
      expect(jsmith.isDescendantOf(base)).to.equal(true);
      expect(jsmith.isDescendantOf(people)).to.equal(true);
      expect(jsmith.isDescendantOf('')).to.equal(true);
      expect(jsmith.isDescendantOf(jsmith)).to.equal(false);
      expect(people.isDescendantOf(jsmith)).to.equal(false);
      expect(jsmith.isDescendantOf('dc=other,dc=com')).to.equal(false);
      expect(new DN().isDescendantOf('')).to.equal(false);
    });

    it('isAncestorOf: the inverse of isDescendantOf', () => {
      expect(base.isAncestorOf(jsmith)).to.equal(true);
      expect(base.isAncestorOf('UID=x,DC=EXAMPLE,DC=COM')).to.equal(true);
      expect(base.isAncestorOf(base)).to.equal(false);
      expect(jsmith.isAncestorOf(base)).to.equal(false);
      expect(new DN().isAncestorOf(base)).to.equal(true);
    });

    it('compares RDNs by normalised form (case, OIDs, multi-valued order)', () => {
      const d = parseDN('cn=x,ou=B+cn=A,0.9.2342.19200300.100.1.25=Example,DC=com');
      expect(d.isDescendantOf('CN=a+OU=b,dc=example,dc=com')).to.equal(true);
      expect(d.isChildOf('cn=a+ou=b,dc=example,dc=com')).to.equal(true);
    });
  });
});
