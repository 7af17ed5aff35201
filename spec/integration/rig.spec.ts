/**
 * The slapd test rig itself, checked with OpenLDAP's own CLI tools so that a failure here
 * points at the rig (config, TLS, data) and never at rxldap.
 */
import { expect } from 'chai';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect as connectTls } from 'node:tls';
import {
  BASE_DN, DEFAULT_PEOPLE, GROUPS_DN, PEOPLE_DN, generatePeople, groupCount, personDN, personPassword, personUid,
} from '../support/data';
import { isAlive, sharedSlapd, startSlapd, type SlapdInstance } from '../support/slapd';

const dns = (ldif: string): string[] => ldif.split('\n').filter((line) => line.startsWith('dn: ')).map((line) => line.slice(4));
const values = (ldif: string, attribute: string): string[] =>
  ldif.split('\n').filter((line) => line.startsWith(`${attribute}: `)).map((line) => line.slice(attribute.length + 2));

describe('slapd test rig', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;

  before(async () => {
    slapd = await sharedSlapd();
  });

  describe('data', () => {
    it('the rootdn finds every generated person and group', async () => {
      const people = await slapd.ldapsearch(['-LLL', '-b', PEOPLE_DN, '-s', 'one', '(objectClass=inetOrgPerson)', '1.1']);
      expect(dns(people)).to.have.length(DEFAULT_PEOPLE);
      const groups = await slapd.ldapsearch(['-LLL', '-b', GROUPS_DN, '-s', 'one', '(objectClass=groupOfNames)', '1.1']);
      expect(dns(groups)).to.have.length(groupCount(DEFAULT_PEOPLE));
    });

    it('generatePeople is deterministic and seeded', () => {
      expect(generatePeople(20)).to.equal(generatePeople(20));
      expect(generatePeople(20, { seed: 1 })).not.to.equal(generatePeople(20));
      expect(dns(generatePeople(3, { groupSize: 2 }))).to.deep.equal([
        BASE_DN, PEOPLE_DN, GROUPS_DN, personDN('user0001'), personDN('user0002'), personDN('user0003'),
        `cn=group00000,${GROUPS_DN}`, `cn=group00001,${GROUPS_DN}`,
      ]);
    });

    it('ordinary users are held to the frontend size limit of 500', async () => {
      const uid = personUid(7);
      const result = await slapd.run('ldapsearch', ['-x', '-LLL', '-H', slapd.url, '-D', personDN(uid), '-w', personPassword(uid), '-b', PEOPLE_DN, '(uid=*)', '1.1']);
      expect(result.code, result.stderr).to.equal(4); // sizeLimitExceeded
      expect(dns(result.stdout)).to.have.length(500);
    });
  });

  describe('authentication', () => {
    it('a generated user binds with its password and is told its own DN', async () => {
      for (const uid of [personUid(1), personUid(42), personUid(DEFAULT_PEOPLE)]) {
        const result = await slapd.run('ldapwhoami', ['-x', '-H', slapd.url, '-D', personDN(uid), '-w', personPassword(uid)]);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout.trim()).to.equal(`dn:${personDN(uid)}`);
      }
    });

    it('a wrong password answers invalidCredentials (49)', async () => {
      const result = await slapd.run('ldapwhoami', ['-x', '-H', slapd.url, '-D', personDN(personUid(1)), '-w', 'wrong']);
      expect(result.code).to.equal(49);
    });

    it('SASL EXTERNAL over ldapi is the peercred identity, which manages cn=config', async () => {
      const whoami = await slapd.run('ldapwhoami', ['-Q', '-Y', 'EXTERNAL', '-H', slapd.ldapiUrl]);
      expect(whoami.code, whoami.stderr).to.equal(0);
      expect(whoami.stdout.trim()).to.equal(`dn:${slapd.externalDN}`);
      expect(slapd.externalDN).to.contain(`uidNumber=${process.getuid?.() ?? 0},`);
      const config = await slapd.run('ldapsearch', ['-Q', '-LLL', '-Y', 'EXTERNAL', '-H', slapd.ldapiUrl, '-b', 'cn=config', '-s', 'base', 'olcConnMaxPending', 'olcConnMaxPendingAuth']);
      expect(config.code, config.stderr).to.equal(0);
      expect(values(config.stdout, 'olcConnMaxPending')).to.deep.equal(['20000']);
      expect(values(config.stdout, 'olcConnMaxPendingAuth')).to.deep.equal(['20000']);
    });
  });

  describe('TLS', () => {
    const asAdmin = (): string[] => ['-x', '-D', slapd.adminDN, '-w', slapd.adminPassword];
    const withoutCa = (): Record<string, string | undefined> => slapd.toolEnv({ LDAPTLS_CACERT: undefined, LDAPTLS_REQCERT: 'demand' });

    it('ldaps works when the run CA is trusted, by address and by name', async () => {
      const byName = slapd.ldapsUrl.replace('127.0.0.1', 'localhost');
      for (const url of [slapd.ldapsUrl, byName]) {
        const result = await slapd.run('ldapwhoami', [...asAdmin(), '-H', url]);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout.trim()).to.equal(`dn:${slapd.adminDN}`);
      }
    });

    it('ldaps fails when the run CA is not trusted', async () => {
      const result = await slapd.run('ldapwhoami', [...asAdmin(), '-H', slapd.ldapsUrl], { env: withoutCa() });
      expect(result.code).not.to.equal(0);
      expect(result.stderr).to.match(/Can't contact LDAP server/);
    });

    it('StartTLS (-ZZ) works with the CA and fails without it', async () => {
      const ok = await slapd.run('ldapwhoami', [...asAdmin(), '-ZZ', '-H', slapd.url]);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout.trim()).to.equal(`dn:${slapd.adminDN}`);
      const refused = await slapd.run('ldapwhoami', [...asAdmin(), '-ZZ', '-H', slapd.url], { env: withoutCa() });
      expect(refused.code).not.to.equal(0);
      expect(refused.stderr).to.match(/ldap_start_tls/);
    });

    it('Node verifies the server certificate against caCert, by name and by address', async () => {
      for (const servername of ['localhost', undefined]) {
        const socket = connectTls({ host: '127.0.0.1', port: slapd.ldapsPort, ca: slapd.caCert, ...(servername ? { servername } : {}) });
        try {
          await once(socket, 'secureConnect');
          expect(socket.authorized, String(socket.authorizationError)).to.equal(true);
        } finally {
          socket.destroy();
        }
      }
    });
  });

  describe('overlays', () => {
    it('syncprov answers a refreshOnly sync search with a cookie', async () => {
      const out = await slapd.ldapsearch(['-b', GROUPS_DN, '-s', 'one', '-E', '!sync=ro', '(objectClass=groupOfNames)', '1.1']);
      expect(dns(out)).to.have.length(groupCount(DEFAULT_PEOPLE));
      expect(out).to.match(/SyncState control/);
      expect(out).to.match(/# cookie: rid=\d+,csn=\d{14}\.\d+Z#/);
    });

    it('sssvlv sorts on the server (cn needs an ordering rule named)', async () => {
      const uids = Array.from({ length: 30 }, (_, i) => `(uid=${personUid(i + 1)})`).join('');
      const out = await slapd.ldapsearch(['-LLL', '-b', PEOPLE_DN, '-E', '!sss=cn:caseIgnoreOrderingMatch', `(|${uids})`, 'cn']);
      const cns = values(out, 'cn');
      expect(cns).to.have.length(30);
      const folded = cns.map((cn) => cn.toUpperCase());
      expect(folded).to.deep.equal([...folded].sort());
    });
  });

  describe('a second instance', () => {
    it('runs beside the shared one, and stop() kills it and removes its dir', async () => {
      const second = await startSlapd({ ldif: generatePeople(5, { groupSize: 0 }) });
      try {
        expect(second.dir).not.to.equal(slapd.dir);
        expect([second.port, second.ldapsPort]).not.to.include.members([slapd.port]);
        expect([second.port, second.ldapsPort]).not.to.include.members([slapd.ldapsPort]);
        expect(isAlive(second.pid)).to.equal(true);
        const people = await second.ldapsearch(['-LLL', '-b', PEOPLE_DN, '-s', 'one', '1.1']);
        expect(dns(people)).to.have.length(5);
        // The ldapmodify helper, against an instance nobody else reads.
        await second.ldapmodify(`dn: ${personDN('user0003')}\nchangetype: modify\nreplace: description\ndescription: changed\n`);
        const changed = await second.ldapsearch(['-LLL', '-b', personDN('user0003'), '-s', 'base', 'description']);
        expect(values(changed, 'description')).to.deep.equal(['changed']);
        // The shared instance is untouched by all this.
        expect(dns(await slapd.ldapsearch(['-LLL', '-b', PEOPLE_DN, '-s', 'one', '1.1']))).to.have.length(DEFAULT_PEOPLE);
      } finally {
        await second.stop();
      }
      expect(isAlive(second.pid), `slapd ${second.pid} still running`).to.equal(false);
      expect(existsSync(second.dir), `${second.dir} still exists`).to.equal(false);
      await second.stop(); // idempotent
    });
  });
});
