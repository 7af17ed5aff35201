/**
 * The in-memory directory judged by LDAP clients nobody here wrote: ldapts and ldapjs, each doing
 * its basic operations (bind, search, add, modify, compare, modify DN, delete, a refused bind)
 * against it, and the results checked in the directory itself.
 */
import { expect } from 'chai';
import { Attribute, Change, Client as LdaptsClient, InvalidCredentialsError as LdaptsInvalidCredentials } from 'ldapts';
import { startDirectory } from '../../../lib/server';
import type { DirectoryServer } from '../../../lib/server';
import { generatePeople, PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';

/** ldapjs ships no types: the little of its API used here (as bench/clients/ldapjs.ts does). */
type Done<T> = (error: Error | null, value?: T) => void;
interface LdapjsEntry {
  readonly pojo: { attributes: Array<{ type: string; values: string[] }> };
}
interface LdapjsSearchResponse {
  on(event: 'searchEntry', listener: (entry: LdapjsEntry) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
}
interface LdapjsClient {
  bind(dn: string, password: string, callback: (error: Error | null) => void): void;
  search(base: string, options: { scope: 'one'; filter: string; attributes: string[] }, callback: (error: Error | null, response: LdapjsSearchResponse) => void): void;
  add(dn: string, entry: Record<string, string | string[]>, callback: (error: Error | null) => void): void;
  modify(dn: string, change: unknown, callback: (error: Error | null) => void): void;
  compare(dn: string, attribute: string, value: string, callback: (error: Error | null, matched: boolean) => void): void;
  modifyDN(dn: string, newDN: string, callback: (error: Error | null) => void): void;
  del(dn: string, callback: (error: Error | null) => void): void;
  unbind(callback: () => void): void;
}
interface Ldapjs {
  createClient(options: { url: string }): LdapjsClient;
  Change: new (options: { operation: string; modification: unknown }) => unknown;
  Attribute: new (options: { type: string; values: string[] }) => unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ldapjs = require('ldapjs') as Ldapjs;

const ADMIN_DN = 'cn=admin,dc=example,dc=com';
const PASSWORD = 'secret';

describe('in-memory directory: ldapts and ldapjs clients', function () {
  this.timeout(20_000);
  let server: DirectoryServer;

  before(async () => {
    server = await startDirectory({ ldif: generatePeople(20, { groupSize: 0 }), rootDN: ADMIN_DN, rootPassword: PASSWORD });
  });
  after(async () => {
    await server.close();
  });

  it('ldapts: bind, search, add, modify, compare, modifyDN, delete, and a refused bind', async () => {
    const client = new LdaptsClient({ url: server.url });
    try {
      await client.bind(personDN(personUid(3)), personPassword(personUid(3)));
      await client.unbind();
      await client.bind(ADMIN_DN, PASSWORD);
      const { searchEntries } = await client.search(PEOPLE_DN, { scope: 'one', filter: '(uid=user000*)', attributes: ['uid', 'mail'] });
      expect(searchEntries.map((entry) => entry['uid']).sort()).to.deep.equal(['user0001', 'user0002', 'user0003', 'user0004', 'user0005', 'user0006', 'user0007', 'user0008', 'user0009']);
      const dn = `uid=ldapts,${PEOPLE_DN}`;
      await client.add(dn, { objectClass: ['inetOrgPerson'], uid: 'ldapts', cn: 'Ldapts', sn: 'Client' });
      await client.modify(dn, [new Change({ operation: 'replace', modification: new Attribute({ type: 'mail', values: ['ldapts@example.com'] }) })]);
      expect(server.directory.get(dn)?.get('mail')).to.equal('ldapts@example.com');
      expect(await client.compare(dn, 'mail', 'ldapts@example.com')).to.equal(true);
      expect(await client.compare(dn, 'mail', 'other@example.com')).to.equal(false);
      await client.modifyDN(dn, 'uid=ldapts2');
      expect(server.directory.get(`uid=ldapts2,${PEOPLE_DN}`)?.getAll('uid').sort()).to.deep.equal(['ldapts2']);
      await client.del(`uid=ldapts2,${PEOPLE_DN}`);
      expect(server.directory.get(`uid=ldapts2,${PEOPLE_DN}`)).to.equal(undefined);
      const refused = await client.bind(ADMIN_DN, 'wrong').then(() => 'bound', (error: unknown) => error);
      expect(refused).to.be.instanceOf(LdaptsInvalidCredentials);
    } finally {
      await client.unbind();
    }
  });

  it('ldapjs: bind, search, add, modify, compare, modifyDN, delete, and a refused bind', async () => {
    const client = ldapjs.createClient({ url: server.url });
    const call = <T>(run: (done: Done<T>) => void): Promise<T> =>
      new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));
    try {
      await call<void>((done) => client.bind(ADMIN_DN, PASSWORD, (error) => done(error)));
      const uids = await call<string[]>((done) =>
        client.search(PEOPLE_DN, { scope: 'one', filter: '(uid=user001*)', attributes: ['uid'] }, (error, response) => {
          if (error) return done(error);
          const found: string[] = [];
          response.on('searchEntry', (entry) => found.push(String(entry.pojo.attributes.find((a) => a.type === 'uid')?.values[0])));
          response.on('error', (failure) => done(failure));
          response.on('end', () => done(null, found));
        }),
      );
      expect(uids.sort()).to.deep.equal(['user0010', 'user0011', 'user0012', 'user0013', 'user0014', 'user0015', 'user0016', 'user0017', 'user0018', 'user0019']);
      const dn = `uid=ldapjs,${PEOPLE_DN}`;
      await call<void>((done) => client.add(dn, { objectClass: ['inetOrgPerson'], uid: 'ldapjs', cn: 'Ldapjs', sn: 'Client' }, (error) => done(error)));
      const change = new ldapjs.Change({ operation: 'replace', modification: new ldapjs.Attribute({ type: 'mail', values: ['ldapjs@example.com'] }) });
      await call<void>((done) => client.modify(dn, change, (error) => done(error)));
      expect(server.directory.get(dn)?.get('mail')).to.equal('ldapjs@example.com');
      expect(await call<boolean>((done) => client.compare(dn, 'mail', 'ldapjs@example.com', (error, matched) => done(error, matched)))).to.equal(true);
      await call<void>((done) => client.modifyDN(dn, `uid=ldapjs2,${PEOPLE_DN}`, (error) => done(error)));
      expect(server.directory.get(`uid=ldapjs2,${PEOPLE_DN}`)).to.not.equal(undefined);
      await call<void>((done) => client.del(`uid=ldapjs2,${PEOPLE_DN}`, (error) => done(error)));
      expect(server.directory.get(`uid=ldapjs2,${PEOPLE_DN}`)).to.equal(undefined);
      const refused = await call<void>((done) => client.bind(ADMIN_DN, 'wrong', (error) => done(error))).then(() => 'bound', (error: unknown) => error);
      expect((refused as { code?: number }).code).to.equal(49);
    } finally {
      await new Promise<void>((resolve) => client.unbind(() => resolve()));
    }
  });
});
