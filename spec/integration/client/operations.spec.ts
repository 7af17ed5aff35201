import { expect } from 'chai';
import { Client, filter, InvalidCredentialsError, NoSuchObjectError, EntryAlreadyExistsError, TimeoutError, AbandonedError, ConnectionError } from '../../../lib';
import { sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';

/** The DNs ldapsearch prints for a query, for comparing with what rxldap returns. */
const ldapsearchDNs = async (slapd: SlapdInstance, args: string[]): Promise<string[]> =>
  (await slapd.ldapsearch(['-LLL', ...args, '1.1'])).split('\n').filter((l) => l.startsWith('dn: ')).map((l) => l.slice(4)).sort();

describe('Client against a real slapd', function () {
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

  describe('bind and whoami', () => {
    it('a simple bind as a user makes whoami answer that user', async () => {
      const client = new Client({ url: slapd.url });
      const uid = personUid(7);
      await client.bind(personDN(uid), personPassword(uid));
      expect(await client.whoami()).to.equal(`dn:${personDN(uid)}`);
      await client.unbind();
    });

    it('an anonymous bind makes whoami answer the empty identity', async () => {
      const client = new Client({ url: slapd.url });
      await client.anonymousBind();
      expect(await client.whoami()).to.equal('');
      await client.unbind();
    });

    it('a wrong password is an InvalidCredentialsError with code 49 and the messageID', async () => {
      const client = new Client({ url: slapd.url });
      try {
        await client.bind(slapd.adminDN, 'wrong');
        expect.fail('bind succeeded');
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidCredentialsError);
        expect((error as InvalidCredentialsError).code).to.equal(49);
        expect((error as InvalidCredentialsError).messageId).to.be.a('number');
      }
      await client.unbind();
    });

    it('a DN with an empty password is refused before anything is sent, as a failed Operation', async () => {
      const client = new Client({ url: slapd.url });
      const refused = client.bind(slapd.adminDN, ''); // not thrown: the Operation fails, like a server refusal
      const failure = await refused.then(() => undefined, (error: unknown) => error);
      expect(failure).to.be.instanceOf(TypeError);
      expect((failure as Error).message).to.match(/non-empty password/);
    });

    it('SASL EXTERNAL over ldapi binds as the peer credentials', async () => {
      const client = new Client({ url: slapd.ldapiUrl });
      await client.saslBind('EXTERNAL');
      expect(await client.whoami()).to.equal(`dn:${slapd.externalDN}`);
      await client.unbind();
    });
  });

  describe('search', () => {
    it('returns what ldapsearch returns for the same query', async () => {
      const query = '(&(objectClass=inetOrgPerson)(|(uid=user00*)(cn=J*)))';
      const entries = await admin.search(PEOPLE_DN, { scope: 'one', filter: query, attributes: ['1.1'] });
      expect(entries.map((e) => e.dn).sort()).to.deep.equal(await ldapsearchDNs(slapd, ['-b', PEOPLE_DN, '-s', 'one', query]));
      expect(entries.length).to.be.greaterThan(50);
    });

    it('honours scope, attributes, typesOnly and sizeLimit', async () => {
      const uid = personUid(3);
      const [entry] = await admin.search(personDN(uid), { scope: 'base', attributes: ['mail', 'uid'] });
      expect(entry!.dn).to.equal(personDN(uid));
      expect(entry!.attributeNames.sort()).to.deep.equal(['mail', 'uid']);
      expect(entry!.get('UID')).to.equal(uid); // names are case-insensitive
      const [typesOnly] = await admin.search(personDN(uid), { scope: 'base', attributes: ['mail'], typesOnly: true });
      expect(typesOnly!.getBuffers('mail')).to.deep.equal([]);
      const operational = await admin.search(personDN(uid), { scope: 'base', attributes: ['+'] });
      expect(operational[0]!.get('entryUUID')).to.match(/^[0-9a-f-]{36}$/);
      try {
        await admin.search(PEOPLE_DN, { scope: 'one', sizeLimit: 5 });
        expect.fail('size limit not reported');
      } catch (error) {
        expect((error as { code: number }).code).to.equal(4);
      }
    });

    it('escapes user input in the filter template (an injection attempt matches nothing)', async () => {
      const hostile = '*)(uid=*';
      expect(await admin.search(PEOPLE_DN, { filter: filter`(uid=${hostile})` })).to.have.length(0);
      expect(await admin.search(PEOPLE_DN, { filter: filter`(uid=${personUid(1)})` })).to.have.length(1);
    });

    it('a missing base is a NoSuchObjectError carrying the matchedDN', async () => {
      try {
        await admin.search(`ou=nowhere,${PEOPLE_DN}`);
        expect.fail('search succeeded');
      } catch (error) {
        expect(error).to.be.instanceOf(NoSuchObjectError);
        expect((error as NoSuchObjectError).matchedDN).to.equal(PEOPLE_DN);
      }
    });

    it('is cold: nothing is sent until it is awaited, subscribed or iterated', async () => {
      const before = await admin.search(PEOPLE_DN, { scope: 'one', filter: '(uid=cold-test)' });
      expect(before).to.have.length(0);
      const dn = `uid=cold-test,${PEOPLE_DN}`;
      const lazyAdd = admin.add(dn, { objectClass: ['inetOrgPerson'], uid: 'cold-test', cn: 'Cold', sn: 'Test' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await ldapsearchDNs(slapd, ['-b', PEOPLE_DN, '(uid=cold-test)'])).to.deep.equal([]);
      await lazyAdd;
      expect(await ldapsearchDNs(slapd, ['-b', PEOPLE_DN, '(uid=cold-test)'])).to.deep.equal([dn]);
      await admin.delete(dn);
    });
  });

  describe('updates, checked on the server with ldapsearch', () => {
    const dn = `cn=integration,${PEOPLE_DN}`;

    it('add, modify (add, replace, delete, increment), modifyDN with newSuperior, compare, delete', async () => {
      await admin.add(dn, { objectClass: ['inetOrgPerson', 'extensibleObject'], cn: 'integration', sn: 'Before', uidNumber: '10', description: ['one', 'two'] });
      try {
        await admin.add(dn, { objectClass: ['inetOrgPerson'], cn: 'integration', sn: 'Again' });
        expect.fail('duplicate add succeeded');
      } catch (error) {
        expect(error).to.be.instanceOf(EntryAlreadyExistsError);
      }
      await admin.modify(dn, [
        { operation: 'replace', attribute: 'sn', values: 'After' },
        { operation: 'add', attribute: 'mail', values: ['a@example.com', 'b@example.com'] },
        { operation: 'delete', attribute: 'description', values: 'one' },
        { operation: 'increment', attribute: 'uidNumber', values: '5' },
      ]);
      const ldif = await slapd.ldapsearch(['-LLL', '-b', dn, '-s', 'base', '(objectClass=*)', 'sn', 'mail', 'description', 'uidNumber']);
      expect(ldif).to.match(/^sn: After$/m).and.match(/^mail: a@example.com$/m).and.match(/^mail: b@example.com$/m);
      expect(ldif).to.match(/^description: two$/m).and.not.match(/^description: one$/m);
      expect(ldif).to.match(/^uidNumber: 15$/m);
      expect(await admin.compare(dn, 'sn', 'After')).to.equal(true);
      expect(await admin.compare(dn, 'sn', 'Before')).to.equal(false);
      const moved = `cn=integration2,ou=groups,${slapd.baseDN}`;
      await admin.modifyDN(dn, 'cn=integration2', { newSuperior: `ou=groups,${slapd.baseDN}` });
      expect(await ldapsearchDNs(slapd, ['-b', slapd.baseDN, '(cn=integration*)'])).to.deep.equal([moved]);
      const [renamed] = await admin.search(moved, { scope: 'base', attributes: ['cn'] });
      expect(renamed!.getAll('cn')).to.deep.equal(['integration2']); // deleteOldRdn defaults to true
      await admin.delete(moved);
      expect(await ldapsearchDNs(slapd, ['-b', slapd.baseDN, '(cn=integration*)'])).to.deep.equal([]);
    });

    it('passwordModify sets a password that a bind then accepts, and generates one when asked', async () => {
      const uid = personUid(11);
      await admin.passwordModify({ userIdentity: personDN(uid), newPassword: 'changed-secret' });
      const user = new Client({ url: slapd.url });
      await user.bind(personDN(uid), 'changed-secret');
      const generated = await user.passwordModify({ oldPassword: 'changed-secret' });
      expect(generated).to.be.a('string').with.length.greaterThan(4);
      await user.unbind();
      const again = new Client({ url: slapd.url });
      await again.bind(personDN(uid), generated!);
      expect(await again.whoami()).to.equal(`dn:${personDN(uid)}`);
      await again.unbind();
      await admin.passwordModify({ userIdentity: personDN(uid), newPassword: personPassword(uid) });
    });
  });

  describe('timeouts, aborts and closing', () => {
    it('an operation past its deadline fails with TimeoutError and leaves its neighbours untouched', async () => {
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.adminDN, slapd.adminPassword);
      // A 1 ms deadline for a whole-subtree search of 1,000 entries cannot be met.
      const slow = client.search(slapd.baseDN, { deadline: 1 }).then(() => 'finished', (error: unknown) => error);
      const neighbour = client.whoami();
      expect(await slow).to.be.instanceOf(TimeoutError);
      expect(await neighbour).to.equal(`dn:${slapd.adminDN}`);
      expect(await client.search(slapd.baseDN, { scope: 'base' })).to.have.length(1);
      await client.unbind();
    });

    it('an AbortSignal abandons the operation with AbandonedError', async () => {
      const controller = new AbortController();
      const pending = admin.search(slapd.baseDN, { signal: controller.signal }).then(() => 'finished', (error: unknown) => error);
      controller.abort();
      expect(await pending).to.be.instanceOf(AbandonedError);
      expect(await admin.whoami()).to.equal(`dn:${slapd.adminDN}`);
    });

    it('breaking out of for-await abandons the search and the connection stays usable', async () => {
      let seen = 0;
      for await (const entry of admin.search(PEOPLE_DN, { scope: 'one' })) {
        expect(entry.dn).to.be.a('string');
        if (++seen === 10) break;
      }
      expect(seen).to.equal(10);
      expect(await admin.compare(personDN(personUid(1)), 'uid', personUid(1))).to.equal(true);
    });

    it('operations pending at unbind fail with ConnectionError; nothing hangs', async () => {
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.adminDN, slapd.adminPassword);
      const pending = client.search(slapd.baseDN).then(() => 'finished', (error: unknown) => error);
      await new Promise((resolve) => setImmediate(resolve));
      await client.unbind();
      const outcome = await pending;
      expect(outcome === 'finished' || outcome instanceof ConnectionError).to.equal(true);
    });
  });
});
