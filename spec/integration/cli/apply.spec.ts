import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entriesFromLdif, ndjson, runCli } from '../../support/cli';
import { BASE_DN } from '../../support/data';
import { requireSuccess, sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

type ResultLine = { line: number; dn: string; changetype: string; ok: boolean; code?: number; error?: string };

describe('rxldap apply / modify (an LDIF change stream, a result per record, against slapd)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let work: string;
  let asAdmin: Record<string, string>;
  let base: string;
  let runs = 0;

  before(async () => {
    slapd = await sharedSlapd();
    work = mkdtempSync(join(tmpdir(), 'rxldap-apply-'));
    writeFileSync(join(work, 'password'), slapd.adminPassword);
    asAdmin = { RXLDAP_URL: slapd.url, RXLDAP_BINDDN: slapd.adminDN, RXLDAP_PASSWORD_FILE: join(work, 'password') };
  });
  beforeEach(() => {
    base = `ou=cli-apply-${process.pid}-${++runs},${BASE_DN}`;
  });
  afterEach(async () => {
    await slapd.run('ldapdelete', ['-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-r', base]);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const changes = (): string =>
    [
      `dn: ${base}\nobjectClass: organizationalUnit\nou: ${base.slice(3, base.indexOf(','))}\n`, // no changetype: an add
      `dn: cn=ann,${base}\nchangetype: add\nobjectClass: person\ncn: ann\nsn: Smith\ndescription:: ${Buffer.from('café ☕').toString('base64')}\n`,
      `dn: cn=ann,${base}\nchangetype: modify\nreplace: sn\nsn: Jones\n-\nadd: telephoneNumber\ntelephoneNumber: +1 555 0100\n-\n`,
      `dn: cn=ann,${base}\nchangetype: modrdn\nnewrdn: cn=anna\ndeleteoldrdn: 1\n`,
      `dn: cn=bob,${base}\nchangetype: add\nobjectClass: person\ncn: bob\nsn: Brown\n`,
      `dn: cn=bob,${base}\nchangetype: delete\n`,
    ].join('\n');

  it('applies every kind of change record from stdin, one JSON line each, and the directory ends as ldapmodify would leave it', async () => {
    const result = await runCli(['apply'], { env: asAdmin, input: changes() });
    expect(result.code, result.stderr).to.equal(0);
    expect(ndjson<ResultLine>(result.stdout)).to.deep.equal([
      { line: 1, dn: base, changetype: 'add', ok: true },
      { line: 5, dn: `cn=ann,${base}`, changetype: 'add', ok: true },
      { line: 12, dn: `cn=ann,${base}`, changetype: 'modify', ok: true },
      { line: 21, dn: `cn=ann,${base}`, changetype: 'modrdn', ok: true },
      { line: 26, dn: `cn=bob,${base}`, changetype: 'add', ok: true },
      { line: 32, dn: `cn=bob,${base}`, changetype: 'delete', ok: true },
    ]);
    const ours = entriesFromLdif(await slapd.ldapsearch(['-LLL', '-b', base]));
    // the same file through OpenLDAP's own tool, on a second subtree, for the reference
    const reference = `ou=cli-apply-ref-${process.pid}-${runs},${BASE_DN}`;
    requireSuccess(await slapd.run('ldapmodify', ['-x', '-a', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword], { input: changes().replaceAll(base, reference).replace(`ou: ${base.slice(3, base.indexOf(','))}`, `ou: ${reference.slice(3, reference.indexOf(','))}`) }));
    const theirs = entriesFromLdif((await slapd.ldapsearch(['-LLL', '-b', reference])).replaceAll(reference, base).replace(`ou: ${reference.slice(3, reference.indexOf(','))}`, `ou: ${base.slice(3, base.indexOf(','))}`));
    await slapd.run('ldapdelete', ['-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-r', reference]);
    expect(ours).to.deep.equal(theirs);
    expect(ours.get(`cn=anna,${base}`)?.description).to.deep.equal([Buffer.from('café ☕').toString('base64')]);
  });

  it('stops at the first failure with its result code as the exit code; -c goes on and exits with the last failure\'s', async () => {
    const file = join(work, `changes-${runs}.ldif`);
    const failing = [changes(), `dn: cn=nobody,${base}\nchangetype: delete\n`, `dn: cn=carol,${base}\nchangetype: add\nobjectClass: person\ncn: carol\nsn: White\n`].join('\n');
    writeFileSync(file, failing);
    const stopped = await runCli(['modify', '-f', file], { env: asAdmin });
    expect(stopped.code).to.equal(32);
    const stoppedLines = ndjson<ResultLine>(stopped.stdout);
    expect(stoppedLines).to.have.length(7);
    expect(stoppedLines[6]).to.deep.include({ dn: `cn=nobody,${base}`, changetype: 'delete', ok: false, code: 32 });
    expect(stoppedLines[6]!.error).to.match(/^noSuchObject \(32\)/);

    const again = await runCli(['apply', '-c', file], { env: asAdmin }); // the file as the argument, as -f
    const lines = ndjson<ResultLine>(again.stdout);
    // the base exists now (68, entryAlreadyExists); cn=ann is free again (renamed to anna), so
    // its add and modify go through and its rename to anna is refused (68); bob comes and goes
    // again, nobody is missing (32), carol is added
    expect(lines.map((line) => [line.changetype, line.ok, line.code ?? 0])).to.deep.equal([
      ['add', false, 68], ['add', true, 0], ['modify', true, 0], ['modrdn', false, 68], ['add', true, 0], ['delete', true, 0], ['delete', false, 32], ['add', true, 0],
    ]);
    expect(again.code).to.equal(32);
  });

  it('LDIF it cannot read: exit 1 with the line, and no record after it applied; a missing file: exit 1', async () => {
    const bad = `dn: ${base}\nobjectClass: organizationalUnit\nou: x\n\ndn: cn=x,${base}\nchangetype: frobnicate\n`;
    const result = await runCli(['apply'], { env: asAdmin, input: bad });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^rxldap: LdifSyntaxError: invalid LDIF at line 6, column \d+: /);
    // streamed: the record before the bad one was applied, nothing after it
    expect(ndjson<ResultLine>(result.stdout)).to.deep.equal([{ line: 1, dn: base, changetype: 'add', ok: true }]);
    const missing = await runCli(['apply', '-f', join(work, 'no-such.ldif')], { env: asAdmin });
    expect([missing.code, missing.stderr]).to.deep.equal([1, `rxldap: cannot read ${join(work, 'no-such.ldif')}: ENOENT\n(see rxldap apply --help)\n`]);
  });
});
