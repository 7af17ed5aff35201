import { expect } from 'chai';
import { Client, NoSuchOperationError, ReferralError, SearchReference, manageDsaITControl } from '../../support/all-of-lib';
import type { LdapMessage, SearchEntry } from '../../support/all-of-lib';
import { startFakeServer } from '../../support/fake-server';
import { sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { PEOPLE_DN, personDN, personUid } from '../../support/data';

describe('Client options and the rarer operations against slapd', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let admin: Client;
  before(async () => {
    slapd = await sharedSlapd();
    admin = new Client({ url: slapd.url, timeout: 10_000 });
    await admin.bind(slapd.adminDN, slapd.adminPassword);
  });
  after(async () => {
    await admin.unbind();
  });

  it('delivers continuation references as SearchReference, and a referral result as ReferralError', async () => {
    const referralDN = `ou=elsewhere,${slapd.baseDN}`;
    const target = `ldap://other.example.com/ou=elsewhere,${slapd.baseDN}`;
    await admin.add(referralDN, { objectClass: ['referral', 'extensibleObject'], ou: 'elsewhere', ref: target }, { controls: [manageDsaITControl()] });
    try {
      const events = await admin.search(slapd.baseDN, { scope: 'one', references: true });
      const references = events.filter((e): e is SearchReference => e instanceof SearchReference);
      expect(references).to.have.length(1);
      expect(references[0]!.uris[0]).to.match(/^ldap:\/\/other\.example\.com\/ou=elsewhere,dc=example,dc=com/);
      // Without references: true, only entries come through.
      expect((await admin.search(slapd.baseDN, { scope: 'one' })).every((e) => e.type === 'entry')).to.equal(true);
      const outcome = await admin.search(referralDN, { scope: 'base' }).then(() => 'entries', (e: unknown) => e);
      expect(outcome).to.be.instanceOf(ReferralError);
      expect((outcome as ReferralError).referral?.[0]).to.match(/^ldap:\/\/other\.example\.com\//);
    } finally {
      await admin.delete(referralDN, { controls: [manageDsaITControl()] });
    }
  });

  it('derefAliases: never returns the alias itself, always follows it', async () => {
    const aliasDN = `cn=alias-of-user1,${slapd.baseDN}`;
    await admin.add(aliasDN, { objectClass: ['alias', 'extensibleObject'], cn: 'alias-of-user1', aliasedObjectName: personDN(personUid(1)) });
    try {
      const [asIs] = await admin.search(aliasDN, { scope: 'base', derefAliases: 'never' });
      expect(asIs!.dn).to.equal(aliasDN);
      const [followed] = await admin.search(aliasDN, { scope: 'base', derefAliases: 'always' });
      expect(followed!.dn).to.equal(personDN(personUid(1)));
      const [found] = await admin.search(aliasDN, { scope: 'base', derefAliases: 'find' });
      expect(found!.dn).to.equal(personDN(personUid(1)));
    } finally {
      await admin.delete(aliasDN);
    }
  });

  it('cancel of an operation that is not in progress is NoSuchOperationError (119)', async () => {
    const outcome = await admin.cancel(987_654).then(() => 'canceled', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(NoSuchOperationError);
    expect((outcome as NoSuchOperationError).code).to.equal(119);
  });

  it('extended() sends any extended request and resolves with the response', async () => {
    const response = await admin.extended('1.3.6.1.4.1.4203.1.11.3');
    expect(response.responseValue?.toString()).to.equal(`dn:${slapd.adminDN}`);
  });

  it('the attribute list * returns user attributes only; * and + return both', async () => {
    const [users] = await admin.search(personDN(personUid(2)), { scope: 'base', attributes: ['*'] });
    expect(users!.has('uid')).to.equal(true);
    expect(users!.has('entryUUID')).to.equal(false);
    const [both] = await admin.search(personDN(personUid(2)), { scope: 'base', attributes: ['*', '+'] });
    expect(both!.has('uid') && both!.has('entryUUID') && both!.has('modifyTimestamp')).to.equal(true);
  });

  it('a non-admin search is capped by the server size limit and says so with code 4', async () => {
    const user = new Client({ url: slapd.url });
    await user.bind(personDN(personUid(3)), 'pass0003');
    const seen: SearchEntry[] = [];
    let code: number | undefined;
    try {
      for await (const entry of user.search(PEOPLE_DN, { scope: 'one', attributes: ['1.1'] })) seen.push(entry);
    } catch (error) {
      code = (error as { code: number }).code;
    }
    expect(code).to.equal(4);
    expect(seen).to.have.length(500); // the entries before the limit are delivered, not lost
    await user.unbind();
  });
});

describe('Client: search parameters as sent on the wire', () => {
  it('carries scope, derefAliases, sizeLimit, timeLimit, typesOnly, filter and attributes', async () => {
    let request: LdapMessage | undefined;
    const server = await startFakeServer((message, session) => {
      request = message;
      session.send({ messageId: message.messageId, protocolOp: { type: 'searchResDone', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });
    });
    const client = new Client({ url: server.url });
    await client.search('dc=x', { scope: 'one', derefAliases: 'search', sizeLimit: 7, timeLimit: 3, typesOnly: true, filter: '(cn=a*)', attributes: ['cn', '+'] });
    expect(request?.protocolOp).to.deep.include({ type: 'searchRequest', baseObject: 'dc=x', scope: 'singleLevel', derefAliases: 'derefInSearching', sizeLimit: 7, timeLimit: 3, typesOnly: true, attributes: ['cn', '+'] });
    await client.unbind();
    await server.close();
  });
});
