/**
 * The in-memory directory judged by OpenLDAP's ldapadd, ldapmodify, ldapmodrdn, ldapdelete,
 * ldapcompare, ldapwhoami and ldappasswd: the same commands, in the same order, against slapd
 * and against the directory, loaded alike, must print the same and exit with the same code;
 * at the end both hold the same entries.
 */
import { expect } from 'chai';
import type { DirectoryServer } from '../../../lib/server';
import { BASE_DN, generatePeople, PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';
import { startRealSlapd as startSlapd } from '../../support/slapd';
import type { LdapTool, SlapdInstance } from '../../support/slapd';
import { onBoth, records } from '../../support/memory/compare';
import { RIG_ADMIN_DN, RIG_ADMIN_PASSWORD, startRigDirectory } from '../../support/memory/rig';

const LDIF = generatePeople(30, { groupSize: 10 });
const ADMIN = ['-x', '-D', RIG_ADMIN_DN, '-w', RIG_ADMIN_PASSWORD];
const asUser = (i: number): string[] => ['-x', '-D', personDN(personUid(i)), '-w', personPassword(personUid(i))];
const P = PEOPLE_DN;

const record = (dn: string, ...lines: string[]): string => [`dn: ${dn}`, ...lines].join('\n') + '\n\n';
const modify = (dn: string, ...lines: string[]): string => record(dn, 'changetype: modify', ...lines);

describe('in-memory directory vs slapd: updates, compare, whoami, passwords', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let memory: DirectoryServer;

  before(async () => {
    [slapd, memory] = await Promise.all([startSlapd({ ldif: LDIF }), startRigDirectory(LDIF)]);
  });
  after(async () => {
    await Promise.all([slapd?.stop(), memory?.close()]);
  });

  const same = async (tool: LdapTool, args: readonly string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const { slapd: expected, memory: actual } = await onBoth({ slapd, memory }, tool, args, input);
    expect(actual, `${tool} ${args.join(' ')}`).to.deep.equal(expected);
    return expected;
  };
  /** The same entries, in whatever order (see records()). */
  const sameEntries = async (args: readonly string[]): Promise<string[]> => {
    const { slapd: expected, memory: actual } = await onBoth({ slapd, memory }, 'ldapsearch', args);
    expect({ ...actual, stdout: records(actual.stdout) }, `ldapsearch ${args.join(' ')}`).to.deep.equal({ ...expected, stdout: records(expected.stdout) });
    return records(expected.stdout);
  };

  it('ldapadd -c: each refusal with slapd result code and message, the good entries added', async () => {
    const ldif =
      record(`uid=a1,${P}`, 'objectClass: inetOrgPerson', 'uid: a1', 'cn: A') +
      record(`uid=a2,${P}`, 'objectClass: bogusClass', 'uid: a2', 'cn: A', 'sn: A') +
      record(`uid=a3,${P}`, 'uid: a3', 'cn: A', 'sn: A') +
      record(`uid=a4,${P}`, 'objectClass: inetOrgPerson', 'cn: A', 'sn: A') +
      record(`uid=a5,${P}`, 'objectClass: inetOrgPerson', 'uid: a5', 'cn: A', 'sn: A', 'bogusAttr: x') +
      record(`uid=a6,${P}`, 'objectClass: person', 'uid: a6', 'cn: A', 'sn: A') +
      record(`uid=a7,${P}`, 'objectClass: inetOrgPerson', 'uid: a7', 'cn: A', 'cn: A', 'sn: A') +
      record(`uid=a8,${P}`, 'objectClass: inetOrgPerson', 'uid: a8', 'cn: A', 'sn: A', 'displayName: x', 'displayName: y') +
      record(`uid=a9,ou=nowhere,${P}`, 'objectClass: inetOrgPerson', 'uid: a9', 'cn: A', 'sn: A') +
      record(personDN(personUid(1)), 'objectClass: inetOrgPerson', `uid: ${personUid(1)}`, 'cn: A', 'sn: A') +
      record(`uid=a10,${P}`, 'objectClass: inetOrgPerson', 'objectClass: organizationalUnit', 'uid: a10', 'cn: A', 'sn: A', 'ou: x') +
      record(`uid=a11,${P}`, 'objectClass: inetOrgPerson', 'uid: a11', 'cn: A', 'sn: A', 'entryUUID: f6233ba2-8587-1041-950f-0b1850f4e34c') +
      record('dc=other,dc=org', 'objectClass: dcObject', 'objectClass: organization', 'dc: other', 'o: x') +
      record(`uid=a12,${P}`, 'objectClass: top', 'uid: a12') +
      record(`uid=a13,${P}`, 'objectClass: inetOrgPerson', 'uid: a13', 'cn: A', 'sn: A', 'mail: not valid ä') +
      record(`uid=a14,${P}`, 'objectClass: inetOrgPerson', 'uid: a14', 'cn: A', 'sn: A', 'uidNumber: 12') +
      record(`cn=al,${P}`, 'objectClass: alias', 'objectClass: extensibleObject', 'cn: al', `aliasedObjectName: ${personDN(personUid(3))}`) +
      record(`uid=a15,${P}`, 'objectClass: inetOrgPerson', 'objectClass: posixAccount', 'uid: a15', 'cn: A', 'sn: A', 'uidNumber: 15', 'gidNumber: 15', 'homeDirectory: /home/a15');
    const result = await same('ldapadd', ['-c', ...ADMIN], ldif);
    expect(result.code).to.equal(65);
    expect(result.stderr).to.include('Object class violation (65)').and.include('Undefined attribute type (17)').and.include('Already exists (68)');
    expect(await sameEntries([...ADMIN, '-LLL', '-b', P, '(|(uid=a*)(cn=al))'])).to.have.length(3);
  });

  it('ldapadd by a user and by an anonymous client is refused as slapd refuses it', async () => {
    const entry = record(`uid=new1,${P}`, 'objectClass: inetOrgPerson', 'uid: new1', 'cn: x', 'sn: x');
    expect((await same('ldapadd', asUser(7), entry)).code).to.equal(50);
    expect((await same('ldapadd', ['-x'], entry)).code).to.equal(8);
  });

  it('ldapmodify -c: all four kinds of change and slapd refusals', async () => {
    const dn = personDN(personUid(3));
    const ldif =
      modify(dn, 'add: cn', 'cn: Alpha', 'cn: alpha') +
      modify(dn, 'add: sn', 'sn: ROSSI') +
      modify(dn, 'delete: title') +
      modify(dn, 'delete: cn', 'cn: nothere') +
      modify(dn, 'delete: sn') +
      modify(dn, 'delete: uid') +
      modify(dn, 'replace: employeeNumber', 'employeeNumber: 1', 'employeeNumber: 2') +
      modify(dn, 'increment: employeeNumber', 'employeeNumber: 5') +
      modify(dn, 'increment: title', 'title: 5') +
      modify(dn, 'add: objectClass', 'objectClass: organizationalUnit') +
      modify(dn, 'replace: objectClass', 'objectClass: person') +
      modify(dn, 'add: bogus', 'bogus: 1') +
      modify(dn, 'replace: entryUUID', 'entryUUID: f6233ba2-8587-1041-950f-0b1850f4e34c') +
      modify(`uid=nobody,${P}`, 'replace: cn', 'cn: x') +
      modify(dn, 'add: uidNumber', 'uidNumber: 5') +
      modify(dn, 'replace: displayName', 'displayName: a', 'displayName: b') +
      modify(dn, 'replace: title', '-', 'add: employeeNumber', 'employeeNumber: 100003') +
      modify(dn, 'replace: title', 'title: Boss', '-', 'add: description', 'description: second', '-', 'delete: telephoneNumber') +
      modify(`uid=a15,${P}`, 'increment: uidNumber', 'uidNumber: 5') +
      modify(`uid=a15,${P}`, 'increment: uidNumber', 'uidNumber: -2') +
      modify(dn, 'add: objectClass', 'objectClass: posixAccount', '-', 'add: uidNumber', 'uidNumber: 3', '-', 'add: gidNumber', 'gidNumber: 3', '-', 'add: homeDirectory', 'homeDirectory: /h');
    await same('ldapmodify', ['-c', ...ADMIN], ldif);
    expect(await sameEntries([...ADMIN, '-LLL', '-b', P, '(|(uid=user0003)(uid=a15))'])).to.have.length(2);
  });

  it('ldapmodify: a user may change their own entry, not another', async () => {
    const change = (i: number): string => modify(personDN(personUid(i)), 'replace: title', 'title: mine');
    expect((await same('ldapmodify', asUser(8), change(8))).code).to.equal(0);
    expect((await same('ldapmodify', asUser(8), change(9))).code).to.equal(50);
  });

  it('ldapmodrdn: renames, moves, and the refusals', async () => {
    await same('ldapmodrdn', [...ADMIN, personDN(personUid(4)), `uid=${personUid(5)}`]);
    await same('ldapmodrdn', [...ADMIN, `uid=nobody,${P}`, 'uid=x']);
    await same('ldapmodrdn', [...ADMIN, '-s', `ou=nowhere,${BASE_DN}`, personDN(personUid(4)), 'uid=x']);
    await same('ldapmodrdn', [...ADMIN, '-r', personDN(personUid(4)), 'cn=Renamed']);
    await same('ldapmodrdn', [...ADMIN, `cn=Renamed,${P}`, `uid=${personUid(4)}`]);
    await same('ldapmodrdn', [...ADMIN, '-r', personDN(personUid(4)), 'employeeNumber=9']);
    await same('ldapmodrdn', [...ADMIN, P, 'ou=persons']);
    await sameEntries([...ADMIN, '-LLL', '-b', `ou=persons,${BASE_DN}`, '-s', 'one', '(uid=user000*)', 'uid']);
    await same('ldapmodrdn', [...ADMIN, `ou=persons,${BASE_DN}`, 'ou=people']);
    await same('ldapmodrdn', [...ADMIN, '-s', personDN(personUid(1)), personDN(personUid(6)), `uid=${personUid(6)}`]);
    await same('ldapmodrdn', [...ADMIN, '-s', P, P, 'ou=people']);
    await same('ldapmodrdn', [...ADMIN, '-r', personDN(personUid(4)), 'bogus=9']);
    await same('ldapmodrdn', [...ADMIN, '-s', P, `uid=${personUid(6)},${personDN(personUid(1))}`, `uid=${personUid(6)}`]);
    await same('ldapmodrdn', asUser(10).concat([personDN(personUid(10)), 'uid=self-renamed']));
    await sameEntries([...ADMIN, '-LLL', '-b', P, '(|(uid=user000*)(cn=Renamed))', 'uid', 'cn']);
  });

  it('ldapdelete: a leaf, a non-leaf (66), a missing entry (32), a user (50), recursively (-r)', async () => {
    await same('ldapdelete', [...ADMIN, personDN(personUid(11))]);
    await same('ldapdelete', [...ADMIN, `ou=groups,${BASE_DN}`]);
    await same('ldapdelete', [...ADMIN, `uid=nobody,${P}`]);
    await same('ldapdelete', [...asUser(12), personDN(personUid(13))]);
    await same('ldapdelete', ['-x', personDN(personUid(13))]);
    await same('ldapdelete', [...ADMIN, '-r', `ou=groups,${BASE_DN}`]);
    await sameEntries([...ADMIN, '-LLL', '-b', BASE_DN, '-s', 'one', '1.1']);
  });

  it('ldapcompare: TRUE, FALSE and the errors', async () => {
    const dn = personDN(personUid(1));
    for (const assertion of [`uid:${personUid(1)}`, `uid:${personUid(1).toUpperCase()}`, 'uid:nope', 'title:x', 'bogus:x', `userPassword:${personPassword(personUid(1))}`, 'objectClass:person', 'objectClass:inetorgperson']) {
      await same('ldapcompare', [...ADMIN, dn, assertion]);
    }
    await same('ldapcompare', [...ADMIN, `uid=nobody,${P}`, 'uid:x']);
    await same('ldapcompare', [...asUser(7), dn, `userPassword:${personPassword(personUid(1))}`]);
    await same('ldapcompare', [...asUser(7), dn, `uid:${personUid(1)}`]);
    await same('ldapcompare', ['-x', dn, `uid:${personUid(1)}`]);
  });

  it('ldapwhoami: root, anonymous, a user, and failed binds', async () => {
    await same('ldapwhoami', ADMIN);
    await same('ldapwhoami', ['-x']);
    await same('ldapwhoami', asUser(7));
    await same('ldapwhoami', ['-x', '-D', personDN(personUid(7)), '-w', 'wrong']);
    await same('ldapwhoami', ['-x', '-D', `uid=nobody,${P}`, '-w', 'x']);
    await same('ldapwhoami', ['-x', '-D', personDN(personUid(7)), '-w', '']);
    await same('ldapwhoami', ['-x', '-D', P, '-w', 'x']);
    await same('ldapwhoami', ['-x', '-D', 'not a dn', '-w', 'x']);
    await same('ldapwhoami', ['-x', '-D', 'CN=Admin,DC=Example,DC=COM', '-w', RIG_ADMIN_PASSWORD]);
  });

  it('ldappasswd: set, generate, change one own with the old password, and the refusals', async () => {
    await same('ldappasswd', [...ADMIN, '-s', 'newpw', personDN(personUid(14))]);
    await same('ldapwhoami', ['-x', '-D', personDN(personUid(14)), '-w', 'newpw']);
    await same('ldapwhoami', ['-x', '-D', personDN(personUid(14)), '-w', personPassword(personUid(14))]);
    await same('ldappasswd', [...ADMIN, personDN(personUid(15))]);
    await same('ldappasswd', [...asUser(16), '-a', personPassword(personUid(16)), '-s', 'other']);
    await same('ldapwhoami', ['-x', '-D', personDN(personUid(16)), '-w', 'other']);
    await same('ldappasswd', [...asUser(17), '-a', 'wrong', '-s', 'other']);
    await same('ldappasswd', [...asUser(17), '-s', 'other', personDN(personUid(18))]);
    await same('ldappasswd', ['-x', '-s', 'other']);
    await same('ldappasswd', [...ADMIN, '-s', 'x', `uid=nobody,${P}`]);
    await same('ldappasswd', [...ADMIN, '-s', 'x', 'u:user0001']);
  });

  it('both hold the same entries at the end', async () => {
    const dump = await sameEntries([...ADMIN, '-LLL', '-o', 'ldif-wrap=no', '-b', BASE_DN, '*', 'entryDN', 'hasSubordinates', 'structuralObjectClass', 'creatorsName', 'modifiersName']);
    expect(dump.length).to.be.greaterThan(30);
  });
});
