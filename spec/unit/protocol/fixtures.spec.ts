import { expect } from 'chai';
import { decodeMessage, encodeMessage } from '../../../lib/protocol';
import type { LdapMessage, ProtocolOp } from '../../../lib/protocol';
import { MessageParser } from '../../../lib/transport/message-parser';
import { loadWireFixture, loadWireFixtures } from '../../support/fixtures';

const parseAll = (bytes: Buffer): LdapMessage[] => {
  const messages: LdapMessage[] = [];
  const parser = new MessageParser();
  parser.feed(bytes, (message) => messages.push(message));
  parser.end();
  return messages;
};
const ops = (name: string): ProtocolOp[] => parseAll(loadWireFixture(name)).map((m) => m.protocolOp);
const messages = (name: string): LdapMessage[] => parseAll(loadWireFixture(name));
const ofType = <T extends ProtocolOp['type']>(list: ProtocolOp[], type: T): Array<Extract<ProtocolOp, { type: T }>> =>
  list.filter((op): op is Extract<ProtocolOp, { type: T }> => op.type === type);

describe('real traffic between OpenLDAP tools and slapd (spec/fixtures/wire)', () => {
  const fixtures = loadWireFixtures();

  it('has the captured streams', () => {
    expect(fixtures.length).to.be.greaterThan(40);
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: every PDU decodes, and re-encodes to a message that decodes the same`, () => {
      const decoded = parseAll(fixture.bytes);
      expect(decoded.length, 'messages').to.be.greaterThan(0);
      for (const message of decoded) expect(decodeMessage(encodeMessage(message))).to.deep.equal(message);
    });
  }

  it('search-subtree: a simple bind, every entry of the tree, success, unbind', () => {
    const [bind, search, unbind] = ops('search-subtree.0.client');
    expect(bind).to.deep.include({ type: 'bindRequest', version: 3, name: 'cn=admin,dc=example,dc=com' });
    expect(search).to.deep.include({ type: 'searchRequest', baseObject: 'dc=example,dc=com', scope: 'wholeSubtree' });
    expect(unbind).to.deep.equal({ type: 'unbindRequest' });
    const responses = ops('search-subtree.0.server');
    // gen-ldif.py 20 5: the suffix, ou=people, ou=groups, 20 people, 4 groups
    expect(ofType(responses, 'searchResEntry')).to.have.length(27);
    const person = ofType(responses, 'searchResEntry').find((e) => e.objectName === 'uid=user0000001,ou=people,dc=example,dc=com');
    expect(person?.attributes.find((a) => a.type === 'objectClass')?.vals.map(String)).to.deep.equal(['top', 'person', 'organizationalPerson', 'inetOrgPerson']);
    expect(responses.at(-1)).to.deep.equal({ type: 'searchResDone', resultCode: 0, matchedDN: '', diagnosticMessage: '' });
  });

  it('search-options: a filter of every kind survives the trip to canonical form', () => {
    const search = ofType(ops('search-options.0.client'), 'searchRequest')[0]!;
    expect(search).to.deep.include({ scope: 'singleLevel', derefAliases: 'derefAlways', sizeLimit: 7, timeLimit: 30, typesOnly: true });
    expect(search.attributes).to.deep.equal(['cn', 'mail', '+']);
    const kinds = search.filter.type === 'and' ? search.filter.filters.map((f) => f.type) : [];
    expect(kinds).to.include.members(['equalityMatch', 'or', 'greaterOrEqual', 'lessOrEqual', 'present', 'approxMatch', 'extensibleMatch']);
    const escaped = search.filter.type === 'and' ? search.filter.filters.at(-1) : undefined;
    expect(escaped).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'sn', assertionValue: Buffer.from('(x)*') });
  });

  it('bind-sasl: DIGEST-MD5 answers saslBindInProgress with a challenge, then invalidCredentials', () => {
    const requests = ofType(ops('bind-sasl.0.client'), 'bindRequest');
    expect(requests[0]!.authentication).to.deep.equal({ type: 'sasl', mechanism: 'DIGEST-MD5' });
    const [challenge, failure] = ofType(ops('bind-sasl.0.server'), 'bindResponse');
    expect(challenge!.resultCode).to.equal(14);
    expect(challenge!.serverSaslCreds?.toString()).to.match(/nonce="/);
    expect(failure!.resultCode).to.equal(49);
  });

  it('errors, referrals and references carry their fields', () => {
    expect(ofType(ops('search-errors.0.server'), 'searchResDone')[0]).to.deep.include({ resultCode: 32, matchedDN: 'ou=people,dc=example,dc=com' });
    expect(ofType(ops('bind-invalid.0.server'), 'bindResponse')[0]!.resultCode).to.equal(49);
    expect(ofType(ops('search-references.0.server'), 'searchResRef')[0]!.uris).to.deep.equal(['ldap://other.example.com/ou=remote,dc=example,dc=com??sub']);
    const referral = ofType(ops('search-referral-result.0.server'), 'searchResDone')[0]!;
    expect(referral.resultCode).to.equal(10);
    expect(referral.referral).to.deep.equal(['ldap://other.example.com/ou=remote,dc=example,dc=com??base']);
    const added = ofType(ops('modify.0.server'), 'addResponse');
    expect(added.map((r) => r.resultCode)).to.deep.equal([0, 0, 68]);
  });

  it('modify: add, modify with every change kind, modDN with newSuperior, delete', () => {
    const requests = ops('modify.0.client');
    const modify = ofType(requests, 'modifyRequest')[0]!;
    expect(modify.changes.map((c) => c.operation)).to.deep.equal(['add', 'replace', 'delete', 'add']);
    expect(modify.changes[3]!.modification.vals[0]!.toString('utf8')).to.equal('éàü € 😀');
    expect(ofType(requests, 'modDNRequest')[0]).to.deep.equal({ type: 'modDNRequest', entry: 'cn=fixture,ou=people,dc=example,dc=com', newrdn: 'cn=fixture2', deleteoldrdn: true, newSuperior: 'ou=groups,dc=example,dc=com' });
    expect(ofType(requests, 'delRequest')[0]).to.deep.equal({ type: 'delRequest', entry: 'cn=fixture2,ou=groups,dc=example,dc=com' });
    expect(ofType(ops('modify-increment.0.client'), 'modifyRequest')[0]!.changes[0]!.operation).to.equal('increment');
  });

  it('compare answers compareTrue (6) and compareFalse (5)', () => {
    expect(ofType(ops('compare-true.0.server'), 'compareResponse')[0]!.resultCode).to.equal(6);
    expect(ofType(ops('compare-false.0.server'), 'compareResponse')[0]!.resultCode).to.equal(5);
  });

  it('extended operations: StartTLS, Who am I, Password Modify, Cancel', () => {
    expect(ofType(ops('starttls.0.client'), 'extendedReq')[0]).to.deep.equal({ type: 'extendedReq', requestName: '1.3.6.1.4.1.1466.20037' });
    expect(ofType(ops('starttls.0.server'), 'extendedResp')[0]!.resultCode).to.equal(0);
    expect(ofType(ops('whoami.0.server'), 'extendedResp')[0]!.responseValue?.toString()).to.equal('dn:cn=admin,dc=example,dc=com');
    expect(ofType(ops('whoami-anon.0.server'), 'extendedResp')[0]!.responseValue ?? Buffer.alloc(0)).to.have.length(0);
    expect(ofType(ops('passwd-generate.0.server'), 'extendedResp')[0]!.responseValue?.[0]).to.equal(0x30);
    expect(ofType(ops('exop-cancel.0.server'), 'extendedResp')[0]!.resultCode).to.equal(119);
  });

  it('syncrepl refreshAndPersist: entries with sync state, then a sync info message, then the persisted change', () => {
    const server = messages('search-sync-rp.0.server');
    const intermediate = ofType(server.map((m) => m.protocolOp), 'intermediateResponse');
    expect(intermediate.map((i) => i.responseName)).to.include('1.3.6.1.4.1.4203.1.9.1.4');
    const changed = server.filter((m) => m.protocolOp.type === 'searchResEntry' && m.protocolOp.objectName.startsWith('uid=user0000002'));
    expect(changed.length, 'user2 in refresh and again in persist').to.equal(2);
  });
});
