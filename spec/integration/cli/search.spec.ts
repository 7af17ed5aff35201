import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entriesFromJson, entriesFromLdif, ndjson, runCli, spawnCli } from '../../support/cli';
import { DEFAULT_PEOPLE, generatePeople, PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';
import { specialEntriesLdif } from '../../support/ldif-entries';
import { sharedSlapd, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

type JsonEntry = { dn: string; attributes: Record<string, string[]> };

describe('rxldap search, whoami, compare (the built command, in real processes, against slapd)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let work: string;
  let adminPasswordFile: string;
  /** The admin's connection, as environment variables: what a script would set. */
  let asAdmin: Record<string, string>;

  before(async () => {
    slapd = await sharedSlapd();
    work = mkdtempSync(join(tmpdir(), 'rxldap-cli-'));
    adminPasswordFile = join(work, 'admin-password');
    writeFileSync(adminPasswordFile, `${slapd.adminPassword}\n`, { mode: 0o600 });
    asAdmin = { RXLDAP_URL: slapd.url, RXLDAP_BINDDN: slapd.adminDN, RXLDAP_PASSWORD_FILE: adminPasswordFile };
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** ldapsearch's view, as the rootdn, of the same search. */
  const ldapsearch = async (args: readonly string[]): Promise<ReturnType<typeof entriesFromLdif>> => entriesFromLdif(await slapd.ldapsearch(['-LLL', ...args]));

  describe('gives the entries and values OpenLDAP\'s ldapsearch gives', () => {
    it('the whole directory, every user attribute (binary-safe: values compared as bytes)', async () => {
      const result = await runCli(['search', '-b', slapd.baseDN], { env: asAdmin });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.equal(''); // no progress line: stderr is not a terminal
      const ours = entriesFromJson(ndjson<JsonEntry>(result.stdout));
      const theirs = await ldapsearch(['-b', slapd.baseDN]);
      expect(ours.size).to.be.greaterThan(1000);
      expect([...ours.keys()].sort()).to.deep.equal([...theirs.keys()].sort());
      expect(ours).to.deep.equal(theirs);
    });

    it('a filter with attributes chosen, operational ones too, one level down', async () => {
      const args = ['-s', 'one', '-b', PEOPLE_DN, '(&(objectClass=inetOrgPerson)(|(sn=S*)(givenName=Mar*)))', 'cn', 'mail', 'entryUUID', 'createTimestamp'];
      const result = await runCli(['search', ...args], { env: asAdmin });
      expect(result.code, result.stderr).to.equal(0);
      const ours = entriesFromJson(ndjson<JsonEntry>(result.stdout));
      expect(ours.size).to.be.greaterThan(10);
      expect(ours).to.deep.equal(await ldapsearch(args));
      expect(Object.keys(ours.values().next().value ?? {}).sort()).to.deep.equal(['cn', 'createtimestamp', 'entryuuid', 'mail']);
    });

    it('--json: one JSON array of the same entries; --page-size 0 and small pages change nothing', async () => {
      const base = ['search', '-b', PEOPLE_DN, '(uid=user09*)', 'uid', 'description'];
      const lines = await runCli(base, { env: asAdmin });
      const array = await runCli([...base, '--json'], { env: asAdmin });
      const unpaged = await runCli([...base, '--page-size', '0'], { env: asAdmin });
      const small = await runCli([...base, '--page-size', '7'], { env: asAdmin });
      for (const result of [lines, array, unpaged, small]) expect(result.code, result.stderr).to.equal(0);
      const expected = entriesFromJson(ndjson<JsonEntry>(lines.stdout));
      expect(expected.size).to.equal(100);
      expect(entriesFromJson(JSON.parse(array.stdout) as JsonEntry[])).to.deep.equal(expected);
      expect(entriesFromJson(ndjson<JsonEntry>(unpaged.stdout))).to.deep.equal(expected);
      expect(entriesFromJson(ndjson<JsonEntry>(small.stdout))).to.deep.equal(expected);
      expect(await ldapsearch(['-b', PEOPLE_DN, '(uid=user09*)', 'uid', 'description'])).to.deep.equal(expected);
    });

    it('--ldif: byte for byte what ldapsearch -LLL -o ldif-wrap=76 writes (userPassword in base64, long lines folded)', async () => {
      const args = ['-b', slapd.baseDN, '(|(uid=user00*)(objectClass=groupOfNames)(objectClass=organizationalUnit))'];
      const ours = await runCli(['search', '--ldif', ...args], { env: asAdmin });
      expect(ours.code, ours.stderr).to.equal(0);
      // paged as rxldap pages (slapd may order a paged search unlike an unpaged one); -LLL still
      // prints the cookie of each page as a comment, which is not LDIF content
      const paged = async (extra: readonly string[]): Promise<string> =>
        (await slapd.ldapsearch(['-LLL', '-E', 'pr=500/noprompt', ...extra, ...args])).replace(/^# pagedresults: cookie=.*\n/gm, '');
      const theirs = await paged(['-o', 'ldif-wrap=76']);
      expect(ours.stdout.length).to.be.greaterThan(50_000); // 100 people, 10 groups of 100 members, the OUs
      expect(ours.stdout).to.equal(theirs);
      const unfolded = await runCli(['search', '--ldif', '--wrap', '0', ...args], { env: asAdmin });
      expect(unfolded.stdout).to.equal(await paged(['-o', 'ldif-wrap=no']));
      const both = await runCli(['search', '--ldif', '--json', ...args], { env: asAdmin });
      expect([both.code, both.stderr]).to.deep.equal([1, 'rxldap: --json and --ldif: choose one\n(see rxldap search --help)\n']);
    });

    it('an empty result: no lines, or an empty JSON array, exit 0', async () => {
      const none = await runCli(['search', '-b', PEOPLE_DN, '(uid=nobody-at-all)'], { env: asAdmin });
      const noneJson = await runCli(['search', '-b', PEOPLE_DN, '--json', '(uid=nobody-at-all)'], { env: asAdmin });
      expect([none.code, none.stdout, noneJson.code, JSON.parse(noneJson.stdout)]).to.deep.equal([0, '', 0, []]);
    });
  });

  describe('exit codes and messages scripts can use', () => {
    it('noSuchObject: 32, as ldapsearch, with the matched DN on stderr and nothing on stdout', async () => {
      const result = await runCli(['search', '-b', `ou=missing,${slapd.baseDN}`], { env: asAdmin });
      const theirs = await slapd.run('ldapsearch', ['-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-b', `ou=missing,${slapd.baseDN}`]);
      expect([result.code, theirs.code]).to.deep.equal([32, 32]);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal(`rxldap: NoSuchObjectError: noSuchObject (32) [matched: ${slapd.baseDN}]\n`);
    });

    it('invalidCredentials: 49, as ldapwhoami', async () => {
      const wrong = join(work, 'wrong-password');
      writeFileSync(wrong, 'not the password');
      const result = await runCli(['whoami', '-H', slapd.url, '-D', slapd.adminDN, '-y', wrong]);
      const theirs = await slapd.run('ldapwhoami', ['-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', 'not the password']);
      expect([result.code, theirs.code]).to.deep.equal([49, 49]);
      expect(result.stderr).to.equal('rxldap: InvalidCredentialsError: invalidCredentials (49)\n');
      expect(result.stderr + result.stdout).to.not.include('not the password');
    });

    it('usage: 1, with what is wrong and where the help is', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['search', '--no-such-option'], /Unknown option '--no-such-option'[\s\S]*\(see rxldap search --help\)/],
        [['search', '-b', slapd.baseDN, '(cn=unclosed'], /invalid filter at position/],
        [['search', '-b', 'not a dn'], /invalid DN at position/],
        [['search', '-s', 'deep'], /-s wants base, one, sub or children, not "deep"/],
        [['search', '-z', 'many'], /-z wants a whole number/],
        [['whoami', '-w', 'x', '-y', adminPasswordFile, '-D', slapd.adminDN], /give the password one way only/],
        [['whoami', '-D', slapd.adminDN], /needs a password: -y FILE, RXLDAP_PASSWORD_FILE or -W/],
        [['compare', slapd.adminDN], /compare takes a DN and an assertion/],
        [['compare', slapd.adminDN, 'cn', 'admin', 'extra'], /compare takes a DN and an assertion/],
        [['frobnicate'], /unknown command "frobnicate"; the commands are search, watch, apply, modify, whoami, compare, rootdse, schema, serve\n\(see rxldap --help\)/],
        [[], /^Usage: rxldap <command>/],
      ];
      for (const [args, message] of cases) {
        const result = await runCli(args, { env: { RXLDAP_URL: slapd.url } });
        expect(result.code, args.join(' ')).to.equal(1);
        expect(result.stderr, args.join(' ')).to.match(message);
        expect(result.stdout, args.join(' ')).to.equal('');
      }
    });

    it('--help per command, exit 0, with the exit codes table', async () => {
      for (const command of ['search', 'watch', 'apply', 'whoami', 'compare', 'rootdse', 'schema', 'serve']) {
        const result = await runCli([command, '--help']);
        expect(result.code, command).to.equal(0);
        expect(result.stdout, command).to.match(new RegExp(`^Usage: rxldap ${command} `));
        expect(result.stdout, command).to.include('Exit codes:').and.include(command === 'serve' ? 'RXLDAP_ROOT_PASSWORD_FILE' : 'RXLDAP_URL');
      }
      const top = await runCli(['--help']);
      expect([top.code, top.stdout.startsWith('Usage: rxldap <command>')]).to.deep.equal([0, true]);
    });

    it('Ctrl-C (SIGINT) mid-search: exit 130, and no more entries written than were on their way', async () => {
      const child = spawnCli(['search', '-b', slapd.baseDN], asAdmin);
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => (stderr += chunk));
      // Read one chunk, then stop reading: the command blocks on the full pipe, mid-search.
      const first = await new Promise<Buffer>((resolve) => child.stdout.once('data', resolve));
      child.stdout.pause();
      await new Promise((resolve) => setTimeout(resolve, 200));
      child.kill('SIGINT');
      // Go on reading slowly: whatever the command still writes now meets a full pipe again.
      const rest: Buffer[] = [first];
      child.stdout.on('data', (chunk: Buffer) => {
        rest.push(chunk);
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 20);
      });
      child.stdout.resume();
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).to.equal(130);
      expect(stderr).to.equal('');
      const written = Buffer.concat(rest).toString('utf8').split('\n').filter((line) => line !== '').length;
      expect(written).to.be.lessThan(1000); // of 1,013: the rest of the search was not written out
    });

    it('no server there: 81', async () => {
      const result = await runCli(['search', '-H', 'ldap://127.0.0.1:1', '-b', slapd.baseDN]);
      expect(result.code).to.equal(81);
      expect(result.stderr).to.match(/^rxldap: ConnectionError: cannot connect to ldap:\/\/127\.0\.0\.1:1/);
      expect(result.stdout).to.equal('');
    });

    it('compare: TRUE and 0, FALSE and 5, a binary value by base64, as ldapcompare', async () => {
      const dn = personDN(personUid(1));
      const holds = await runCli(['compare', dn, `uid:${personUid(1)}`], { env: asAdmin });
      const lacks = await runCli(['compare', dn, 'uid:someone-else'], { env: asAdmin });
      const base64 = await runCli(['compare', '-q', dn, `uid::${Buffer.from(personUid(1)).toString('base64')}`], { env: asAdmin });
      const apart = await runCli(['compare', dn, 'uid', personUid(1)], { env: asAdmin }); // attribute and value as two arguments
      expect([holds.code, holds.stdout, lacks.code, lacks.stdout, base64.code, base64.stdout, apart.code, apart.stdout]).to.deep.equal([0, 'TRUE\n', 5, 'FALSE\n', 0, '', 0, 'TRUE\n']);
      const theirs = await slapd.run('ldapcompare', ['-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, dn, 'uid:someone-else']);
      expect(theirs.code).to.equal(5);
    });
  });

  describe('who it binds as', () => {
    it('whoami prints what ldapwhoami prints: as a user, anonymously, with SASL EXTERNAL over ldapi', async () => {
      const userFile = join(work, 'user-password');
      writeFileSync(userFile, personPassword(personUid(7)));
      const cases: Array<[string[], string[]]> = [
        [['-H', slapd.url, '-D', personDN(personUid(7)), '-y', userFile], ['-x', '-H', slapd.url, '-D', personDN(personUid(7)), '-w', personPassword(personUid(7))]],
        [['-H', slapd.url], ['-x', '-H', slapd.url]],
        [['-Y', 'EXTERNAL', '-H', slapd.ldapiUrl], ['-Q', '-Y', 'EXTERNAL', '-H', slapd.ldapiUrl]],
      ];
      const seen: string[] = [];
      for (const [ours, theirs] of cases) {
        const result = await runCli(['whoami', ...ours]);
        const reference = await slapd.run('ldapwhoami', theirs);
        expect([result.code, reference.code], result.stderr + reference.stderr).to.deep.equal([0, 0]);
        expect(result.stdout, ours.join(' ')).to.equal(reference.stdout);
        seen.push(result.stdout);
      }
      expect(seen).to.deep.equal([`dn:${personDN(personUid(7))}\n`, 'anonymous\n', `dn:${slapd.externalDN}\n`]);
    });

    it('-ZZ: StartTLS, the certificate verified against --cacert; without the CA it fails (81) before any password is sent', async () => {
      const secured = await runCli(['whoami', '-ZZ', '--cacert', slapd.caCertPath], { env: asAdmin });
      expect(secured.code, secured.stderr).to.equal(0);
      expect(secured.stdout).to.equal(`dn:${slapd.adminDN}\n`);
      const unverified = await runCli(['whoami', '-ZZ'], { env: asAdmin });
      expect(unverified.code).to.equal(81);
      expect(unverified.stderr).to.match(/certificate/i);
      // -Z alone goes on in clear when StartTLS fails, and says so (loopback: the bind is allowed)
      const lenient = await runCli(['whoami', '-Z'], { env: asAdmin });
      expect(lenient.code, lenient.stderr).to.equal(0);
      expect(lenient.stderr).to.match(/^rxldap whoami: StartTLS failed, going on without it: .*certificate/i);
      const ldaps = await runCli(['whoami', '-H', slapd.ldapsUrl, '--cacert', slapd.caCertPath], { env: { ...asAdmin, RXLDAP_URL: undefined } });
      expect(ldaps.stdout).to.equal(`dn:${slapd.adminDN}\n`);
    });

    it('rootdse: one JSON line, the same root DSE ldapsearch reads', async () => {
      const result = await runCli(['rootdse'], { env: { RXLDAP_URL: slapd.url } });
      expect(result.code, result.stderr).to.equal(0);
      const theirs = entriesFromLdif(await slapd.ldapsearch(['-LLL', '-s', 'base', '-b', '', '*', '+']));
      expect(entriesFromJson(ndjson<JsonEntry>(result.stdout))).to.deep.equal(theirs);
      expect(ndjson<JsonEntry>(result.stdout)[0]!.attributes.supportedControl).to.include('1.3.6.1.4.1.4203.1.9.1.1');
    });
  });

  describe('schema', () => {
    it('the whole schema as one JSON document, every definition slapd publishes', async () => {
      const result = await runCli(['schema'], { env: { RXLDAP_URL: slapd.url } });
      expect(result.code, result.stderr).to.equal(0);
      const document = JSON.parse(result.stdout) as { format: string; definitions: Record<string, unknown[]> };
      expect(document.format).to.equal('rxldap-schema');
      const subschema = entriesFromLdif(await slapd.ldapsearch(['-LLL', '-s', 'base', '-b', 'cn=Subschema', 'attributeTypes', 'objectClasses', 'matchingRules', 'ldapSyntaxes']));
      const published = subschema.get('cn=Subschema')!;
      for (const kind of ['attributeTypes', 'objectClasses', 'matchingRules', 'ldapSyntaxes']) {
        expect(document.definitions[kind], kind).to.have.length(published[kind.toLowerCase()]!.length);
      }
    });

    it('an object class with what it inherits, an attribute type with its rules; an unknown name is exit 1 with the nearest one', async () => {
      const result = await runCli(['schema', 'inetOrgPerson', 'mail'], { env: { RXLDAP_URL: slapd.url } });
      expect(result.code, result.stderr).to.equal(0);
      const [inetOrgPerson, mail] = ndjson<Record<string, unknown>>(result.stdout);
      expect(inetOrgPerson).to.deep.include({ kind: 'objectClass', name: 'inetOrgPerson', type: 'STRUCTURAL', superiors: ['organizationalPerson', 'person', 'top'] });
      expect(inetOrgPerson!.must).to.have.members(['sn', 'cn', 'objectClass']);
      expect(inetOrgPerson!.may).to.include.members(['mail', 'uid', 'telephoneNumber', 'userPassword', 'description']);
      expect(mail).to.deep.include({ kind: 'attributeType', name: 'mail', equality: 'caseIgnoreIA5Match', substr: 'caseIgnoreIA5SubstringsMatch', singleValue: false });
      const unknown = await runCli(['schema', 'inetOrgPersn'], { env: { RXLDAP_URL: slapd.url } });
      expect([unknown.code, unknown.stdout]).to.deep.equal([1, '']);
      expect(unknown.stderr).to.include('no object class or attribute type named "inetOrgPersn" (did you mean inetOrgPerson?)');
    });
  });

  describe('large results, paged automatically; binary and UTF-8 values', () => {
    let limited: SlapdInstance;
    before(async () => {
      // users may page past the size limit of 500 (size.prtotal), but not search past it in one go
      // and entries with LDIF's corners: a JPEG, bytes that are not UTF-8, UTF-8 DNs, long values
      limited = await startSlapd({ extraLimits: ['users size.prtotal=unlimited'], ldif: generatePeople(DEFAULT_PEOPLE) + specialEntriesLdif() });
    });
    after(async () => {
      await limited?.stop();
    });

    it('a user gets all 1,000 people in pages of 500 where one unpaged search stops at 500 with sizeLimitExceeded (4), as ldapsearch', async () => {
      const uid = personUid(3);
      const passwordFile = join(work, 'user3-password');
      writeFileSync(passwordFile, personPassword(uid));
      const user = { RXLDAP_URL: limited.url, RXLDAP_BINDDN: personDN(uid), RXLDAP_PASSWORD_FILE: passwordFile };
      const paged = await runCli(['search', '-s', 'one', '-b', PEOPLE_DN, '(uid=user*)', 'uid'], { env: user });
      expect(paged.code, paged.stderr).to.equal(0);
      expect(ndjson(paged.stdout)).to.have.length(1000);
      const unpaged = await runCli(['search', '--page-size', '0', '-s', 'one', '-b', PEOPLE_DN, '(uid=user*)', 'uid'], { env: user });
      const theirs = await limited.run('ldapsearch', ['-x', '-LLL', '-H', limited.url, '-D', personDN(uid), '-w', personPassword(uid), '-s', 'one', '-b', PEOPLE_DN, '(uid=user*)', 'uid']);
      expect([unpaged.code, theirs.code]).to.deep.equal([4, 4]);
      expect(entriesFromJson(ndjson<JsonEntry>(unpaged.stdout)).size).to.equal(entriesFromLdif(theirs.stdout).size);
      expect(unpaged.stderr).to.equal('rxldap: SizeLimitExceededError: sizeLimitExceeded (4)\n');
    });

    it('a JPEG, bytes that are not UTF-8, UTF-8 DNs and values: the same bytes in NDJSON (base64 where not UTF-8) and in LDIF as ldapsearch', async () => {
      const env = { RXLDAP_URL: limited.url, RXLDAP_BINDDN: limited.adminDN, RXLDAP_PASSWORD_FILE: adminPasswordFile };
      const args = ['-s', 'one', '-b', PEOPLE_DN, '(|(uid=binary)(uid=jos*)(uid=longlong*))'];
      const json = await runCli(['search', ...args], { env });
      const ldif = await runCli(['search', '--ldif', ...args], { env });
      expect([json.code, ldif.code], json.stderr + ldif.stderr).to.deep.equal([0, 0]);
      const theirs = (await limited.ldapsearch(['-LLL', '-o', 'ldif-wrap=76', '-E', 'pr=500/noprompt', ...args])).replace(/^# pagedresults: cookie=.*\n/gm, '');
      expect(ldif.stdout).to.equal(theirs);
      const entries = entriesFromJson(ndjson<JsonEntry>(json.stdout));
      expect(entries.size).to.equal(3);
      expect(entries).to.deep.equal(entriesFromLdif(theirs));
      const binary = ndjson<JsonEntry>(json.stdout).find((entry) => entry.dn.startsWith('uid=binary'));
      expect(Object.keys(binary?.attributes ?? {})).to.include.members(['jpegPhoto;base64', 'audio;base64', 'cn']);
    });
  });
});
