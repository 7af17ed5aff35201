import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entriesFromLdif, ndjson, runCli, spawnCli } from '../../support/cli';
import { BASE_DN, PEOPLE_DN, generatePeople, personDN, personUid } from '../../support/data';
import { runTool } from '../../support/slapd/tools';

/** A running `rxldap serve`: its URLs (stdout), what it said (stderr), its end. */
const serve = async (args: readonly string[]): Promise<{ urls: string[]; stderr: () => string; stop: (signal: NodeJS.Signals) => Promise<number | null> }> => {
  const child = spawnCli(['serve', ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const expected = args.includes('--ldapi') ? 2 : 1;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rxldap serve printed no URL within 10 s; stderr: ${stderr}`)), 10_000);
    // ready once the URLs are on stdout and the summary line on stderr (two pipes: either may come first)
    const check = (): void => {
      if (stdout.split('\n').length > expected && stderr.endsWith('\n')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      check();
    });
    child.stderr.on('data', check);
    void exited.then((code) => reject(new Error(`rxldap serve ended (${code}) before printing its URL; stderr: ${stderr}`)));
  });
  return {
    urls: stdout.split('\n').filter((line) => line !== ''),
    stderr: () => stderr,
    stop: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
};

/** OpenLDAP's ldapsearch against `url`, as `bind` (a DN and password) or anonymously. */
const ldapsearch = async (url: string, bind: [string, string] | undefined, args: readonly string[]): Promise<string> => {
  const env: Record<string, string | undefined> = { ...process.env, LDAPCONF: '/dev/null', LDAPRC: '/dev/null' };
  const result = await runTool('ldapsearch', ['-x', '-H', url, ...(bind === undefined ? [] : ['-D', bind[0], '-w', bind[1]]), '-LLL', '-o', 'ldif-wrap=no', ...args], { env });
  expect(result.code, result.stderr).to.equal(0);
  return result.stdout;
};

describe('rxldap serve (the in-memory directory from the command line)', function () {
  this.timeout(60_000);
  let work: string;
  let ldif: string;
  let passwordFile: string;
  const ADMIN = `cn=admin,${BASE_DN}`;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'rxldap-serve-'));
    ldif = join(work, 'people.ldif');
    writeFileSync(ldif, generatePeople(200, { groupSize: 50 }));
    passwordFile = join(work, 'root-password');
    writeFileSync(passwordFile, 'dev-secret\n');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('serves the LDIF at the URL it prints, to OpenLDAP\'s tools and to rxldap; SIGTERM saves it (--save) and ends with 0; served again, the change is there', async () => {
    const saved = join(work, 'saved.ldif');
    const server = await serve(['-f', ldif, '--root-password-file', passwordFile, '--save', saved, '--ldapi', join(work, 'ldapi')]);
    const [url, ldapiUrl] = server.urls;
    expect(url).to.match(/^ldap:\/\/127\.0\.0\.1:\d+$/);
    expect(ldapiUrl).to.match(/^ldapi:\/\//);
    const count = readFileSync(ldif, 'utf8').match(/^dn: /gm)?.length ?? 0;
    expect(count).to.equal(207); // 200 people, 4 groups, the suffix and two OUs
    expect(server.stderr()).to.equal(`rxldap serve: ${count} entries under ${BASE_DN}; root DN ${ADMIN}; Ctrl-C stops\n`);

    const served = entriesFromLdif(await ldapsearch(url!, [ADMIN, 'dev-secret'], ['-b', BASE_DN]));
    const loaded = entriesFromLdif(readFileSync(ldif, 'utf8'));
    expect(served).to.deep.equal(loaded);
    expect(entriesFromLdif(await ldapsearch(ldapiUrl!, [ADMIN, 'dev-secret'], ['-b', PEOPLE_DN, '(uid=user0042)'])).size).to.equal(1);

    const change = `dn: ${personDN(personUid(42))}\nchangetype: modify\nreplace: description\ndescription: changed while served\n`;
    const applied = await runCli(['apply'], { env: { RXLDAP_URL: url, RXLDAP_BINDDN: ADMIN, RXLDAP_PASSWORD_FILE: passwordFile }, input: change });
    expect([applied.code, ndjson(applied.stdout)]).to.deep.equal([0, [{ line: 1, dn: personDN(personUid(42)), changetype: 'modify', ok: true }]]);
    const [entryUUID] = (await ldapsearch(url!, [ADMIN, 'dev-secret'], ['-b', personDN(personUid(42)), '-s', 'base', 'entryUUID'])).match(/(?<=entryUUID: ).*/) ?? [];

    expect(await server.stop('SIGTERM')).to.equal(0);
    const savedText = readFileSync(saved, 'utf8');
    expect(savedText).to.include('description: changed while served').and.include(`entryUUID: ${entryUUID}`);

    const again = await serve(['-f', saved, '--root-password-file', passwordFile]);
    try {
      const entry = await ldapsearch(again.urls[0]!, [ADMIN, 'dev-secret'], ['-b', personDN(personUid(42)), '-s', 'base', 'description', 'entryUUID']);
      expect(entry).to.include('description: changed while served').and.include(`entryUUID: ${entryUUID}`);
    } finally {
      expect(await again.stop('SIGINT')).to.equal(0);
    }
  });

  it('without a root password the root DN cannot bind (and says so); anonymous reads work', async () => {
    const server = await serve(['-f', ldif, '--port', '0']);
    try {
      expect(server.stderr()).to.include('(no password: it cannot bind)');
      expect(entriesFromLdif(await ldapsearch(server.urls[0]!, undefined, ['-b', PEOPLE_DN, '(uid=user0001)', 'uid'])).size).to.equal(1);
      const refused = await runCli(['whoami', '-H', server.urls[0]!, '-D', ADMIN, '-y', passwordFile]);
      expect(refused.code).to.equal(49);
    } finally {
      await server.stop('SIGTERM');
    }
  });

  it('usage errors are exit 1: a connection option, a missing file, LDIF it cannot read; an entry the schema refuses is its result code (as slapd)', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['serve', '-H', 'ldap://x'], 1, /Unknown option '-H'/],
      [['serve', '-f', join(work, 'missing.ldif')], 1, /cannot read the LDIF file .*missing\.ldif: ENOENT/],
      [['serve', '--port', '70000'], 1, /--port wants 0 to 65535/],
    ];
    writeFileSync(join(work, 'broken.ldif'), 'dn: dc=example,dc=com\nobjectClass: dcObject\n this: is not LDIF\n:\n');
    cases.push([['serve', '-f', join(work, 'broken.ldif')], 1, /LdifSyntaxError: invalid LDIF at line/]);
    writeFileSync(join(work, 'unschematic.ldif'), 'dn: dc=example,dc=com\nobjectClass: noSuchClass\ndc: example\n');
    cases.push([['serve', '-f', join(work, 'unschematic.ldif')], 21, /invalidAttributeSyntax \(21\): objectClass: value #0 invalid per syntax/]);
    for (const [args, code, message] of cases) {
      const result = await runCli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).to.equal(code);
      expect(result.stderr, args.join(' ')).to.match(message);
    }
  });
});
