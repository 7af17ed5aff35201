import { expect } from 'chai';
import { parseLdapUrl, InvalidUrlError } from '../../../lib';

describe('parseLdapUrl (RFC 4516)', () => {
  it('parses the RFC 4516 §6 examples', () => {
    expect(parseLdapUrl('ldap:///o=University%20of%20Michigan,c=US')).to.deep.include({ host: 'localhost', port: 389, dn: 'o=University of Michigan,c=US', scope: 'baseObject', filter: '(objectClass=*)' });
    expect(parseLdapUrl('ldap://ldap1.example.net/o=University%20of%20Michigan,c=US')).to.deep.include({ host: 'ldap1.example.net', dn: 'o=University of Michigan,c=US' });
    expect(parseLdapUrl('ldap://ldap1.example.net/o=University%20of%20Michigan,c=US?postalAddress')).to.deep.include({ attributes: ['postalAddress'] });
    expect(parseLdapUrl('ldap://ldap1.example.net:6666/o=University%20of%20Michigan,c=US??sub?(cn=Babs%20Jensen)')).to.deep.include({ port: 6666, scope: 'wholeSubtree', filter: '(cn=Babs Jensen)' });
    expect(parseLdapUrl('LDAP://ldap1.example.com/c=GB?objectClass?ONE')).to.deep.include({ scheme: 'ldap', attributes: ['objectClass'], scope: 'singleLevel' });
    expect(parseLdapUrl('ldap://ldap2.example.com/o=Question%3f,c=US?mail')).to.deep.include({ dn: 'o=Question?,c=US', attributes: ['mail'] });
    expect(parseLdapUrl('ldap://ldap3.example.com/o=Babsco,c=US???(four-octet=%5c00%5c00%5c00%5c04)')).to.deep.include({ filter: '(four-octet=\\00\\00\\00\\04)' });
    expect(parseLdapUrl('ldap://ldap.example.com/o=An%20Example%5C2C%20Inc.,c=US')).to.deep.include({ dn: 'o=An Example\\2C Inc.,c=US' });
    expect(parseLdapUrl('ldap:///??sub??e-bindname=cn=Manager%2cdc=example%2cdc=com')).to.deep.include({ scope: 'wholeSubtree', extensions: ['e-bindname=cn=Manager,dc=example,dc=com'] });
  });

  it('knows ldaps and ldapi, IPv6 literals and default ports', () => {
    expect(parseLdapUrl('ldaps://ldap.example.com')).to.deep.include({ scheme: 'ldaps', port: 636, dn: '' });
    expect(parseLdapUrl('ldap://[::1]:3890/')).to.deep.include({ host: '::1', port: 3890 });
    const ldapi = parseLdapUrl('ldapi://%2Fvar%2Frun%2Fslapd%2Fldapi/dc=example,dc=com');
    expect(ldapi).to.deep.include({ scheme: 'ldapi', socketPath: '/var/run/slapd/ldapi', dn: 'dc=example,dc=com' });
  });

  it('rejects what is not an LDAP URL with a typed error', () => {
    for (const bad of ['http://example.com/', 'ldap://host:0/', 'ldap://host:99999/', 'ldap://host/??bogus', 'ldapi:///', 'ldap://host/%zz']) {
      expect(() => parseLdapUrl(bad), bad).to.throw(InvalidUrlError);
    }
  });
});
