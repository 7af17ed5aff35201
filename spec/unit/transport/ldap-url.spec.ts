import { expect } from 'chai';
import { Client, InvalidUrlError, RxLdapError, UnsupportedCriticalExtensionError, parseLdapUrl } from '../../../lib';

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

  it('refuses what RFC 4516 §2 forbids: a DN that is not a DN, empty attribute names, a filter that is not a filter, malformed extensions, ldap://[]', () => {
    const cases: Array<[string, string]> = [
      ['ldap:///invalid', 'dn'],
      ['ldap:///?givenName,,sn', 'attributes'],
      ['ldap:///?,', 'attributes'],
      ['ldap:///???invalid', 'filter'],
      ['ldap:///????0=0', 'extensions'],
      ['ldap:///????!!a=0', 'extensions'],
      ['ldap:///????a,,b', 'extensions'],
      ['ldap://[]:389', 'host'],
      ['ldap:///????bindname=?', 'extensions'],
    ];
    for (const [bad, component] of cases) {
      const error = refusal(() => parseLdapUrl(bad));
      expect(error, bad).to.be.instanceOf(InvalidUrlError);
      expect(error.component, bad).to.equal(component);
    }
  });

  describe('critical extensions (RFC 4516 §2: a client must not process a URL with one it does not implement)', () => {
    it('refuses every critical extension by default with UnsupportedCriticalExtensionError, naming the type only', () => {
      const url = 'ldap://ldap.example.com/dc=example,dc=com????e-bindname=cn=x,!x-bindpw=S3cr3t-Pw';
      const error = refusal(() => parseLdapUrl(url));
      expect(error).to.be.instanceOf(UnsupportedCriticalExtensionError).and.instanceOf(InvalidUrlError).and.instanceOf(RxLdapError);
      expect((error as UnsupportedCriticalExtensionError).extension).to.equal('x-bindpw');
      expect(error.position).to.equal(url.indexOf('!x-bindpw'));
      expect(error.message).to.match(/critical extension "x-bindpw" is not supported/);
      expect(error.message).not.to.include('S3cr3t');
    });

    it('a Client refuses such a URL when it is made, before anything is sent', () => {
      expect(() => new Client({ url: 'ldap://127.0.0.1:1/????!bindname=cn=root' })).to.throw(UnsupportedCriticalExtensionError);
    });

    it('non-critical extensions are accepted; criticalExtensions: "return" hands critical ones to a caller that processes them', () => {
      expect(parseLdapUrl('ldap:///????bindname=cn=root,1.2.3.4=x').extensions).to.deep.equal(['bindname=cn=root', '1.2.3.4=x']);
      expect(parseLdapUrl('ldap:///????!bindname=cn=root%2cdc=x', { criticalExtensions: 'return' }).extensions).to.deep.equal(['!bindname=cn=root,dc=x']);
    });
  });

  it('errors name the faulty component and its position, never the whole URL (an extension may hold a password)', () => {
    const secret = 'S3cr3t-Pw';
    const bad: Array<[string, string, string]> = [
      [`ldap://host:99999/??sub??x-bindpw=${secret}`, 'port', '99999'],
      [`ldap://host/%zz??sub??x-bindpw=${secret}`, 'dn', '%zz'],
      [`ldap://host/dc=x??bogus??x-bindpw=${secret}`, 'scope', 'bogus'],
      [`ldap://host/dc=x??sub?(cn=?x-bindpw=${secret}`, 'filter', '(cn='],
      [`ldap://host/dc=x?a,,b???x-bindpw=${secret}`, 'attributes', ','],
      [`ldap://host/dc=x????x-bindpw=${secret}%zz`, 'extensions', 'x-bindpw='],
      [`ldap://host/dc=x????x_bindpw=${secret}`, 'extensions', 'x_bindpw='],
      [`http://host/dc=x????x-bindpw=${secret}`, 'scheme', 'http'],
    ];
    for (const [url, component, faulty] of bad) {
      const error = refusal(() => parseLdapUrl(url));
      expect(error.component, url).to.equal(component);
      const start = url.indexOf(faulty);
      expect(error.position, url).to.be.within(start - 1, start + faulty.length);
      expect(error.message, url).to.match(new RegExp(`^invalid LDAP URL: ${component} at position ${error.position}: `));
      expect(error.message, url).not.to.include(secret);
      expect(error.message, url).not.to.include('host/dc=x');
    }
  });
});

/** What `attempt` threw, as an InvalidUrlError; fails if it threw nothing or something else. */
function refusal(attempt: () => unknown): InvalidUrlError {
  try {
    attempt();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidUrlError);
    return error as InvalidUrlError;
  }
  return expect.fail('accepted');
}
