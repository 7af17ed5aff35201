import { expect } from 'chai';
import { lookupAttributeType, stringPrepOf } from '../../../lib/matching';

describe('matching/attribute-types', () => {
  it('finds a type by any name, any case, or its OID', () => {
    for (const key of ['cn', 'CN', 'commonName', '2.5.4.3']) expect(lookupAttributeType(key)?.name, key).to.equal('cn');
    expect(lookupAttributeType('rfc822Mailbox')?.oid).to.equal('0.9.2342.19200300.100.1.3');
    expect(lookupAttributeType('memberOf')?.oid).to.equal(undefined);
    expect(lookupAttributeType('x-unknown')).to.equal(undefined);
  });

  it('knows the union of what DN comparison and filter evaluation need', () => {
    expect(lookupAttributeType('x121Address')?.equality).to.equal('numericStringMatch');
    expect(lookupAttributeType('postalAddress')?.equality).to.equal('caseIgnoreListMatch');
    expect(lookupAttributeType('uidNumber')?.ordering).to.equal('integerOrderingMatch');
    expect(lookupAttributeType('modifyTimestamp')?.equality).to.equal('generalizedTimeMatch');
    expect(lookupAttributeType('seeAlso')?.equality).to.equal('distinguishedNameMatch');
    expect(lookupAttributeType('homeTelephoneNumber')?.substrings).to.equal('telephoneNumberSubstringsMatch');
  });

  it('follows RFC 4519 / 4524 / 2798 where the old tables disagreed or were silent', () => {
    // RFC 4524: mail and dc are IA5 strings.
    expect(lookupAttributeType('mail')?.equality).to.equal('caseIgnoreIA5Match');
    expect(lookupAttributeType('dc')?.substrings).to.equal('caseIgnoreIA5SubstringsMatch');
    // RFC 4519 declares an ORDERING rule for dnQualifier only among the directory strings.
    expect(lookupAttributeType('dnQualifier')?.ordering).to.equal('caseIgnoreOrderingMatch');
    expect(lookupAttributeType('cn')?.ordering).to.equal(undefined);
    expect(lookupAttributeType('displayName')?.equality).to.equal('caseIgnoreMatch');
  });

  it('says which RFC 4518 preparation an equality rule uses', () => {
    expect(stringPrepOf('caseIgnoreIA5Match')).to.equal('caseIgnore');
    expect(stringPrepOf('caseExactMatch')).to.equal('caseExact');
    expect(stringPrepOf('telephoneNumberMatch')).to.equal('telephoneNumber');
    expect(stringPrepOf('numericStringMatch')).to.equal('numericString');
    expect(stringPrepOf('distinguishedNameMatch')).to.equal(undefined);
    expect(stringPrepOf(undefined)).to.equal(undefined);
  });
});
