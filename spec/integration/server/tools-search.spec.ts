/**
 * The in-memory directory judged by OpenLDAP's ldapsearch: every query here runs against slapd
 * (the test rig, loaded with the same LDIF and configured alike) and against the directory, and
 * the two outputs, exit codes and error messages must be the same once UUIDs, CSNs and times are
 * masked.
 */
import { expect } from 'chai';
import type { DirectoryServer } from '../../../lib/server';
import { BASE_DN, generatePeople, PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';
import { startRealSlapd as startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { onBoth } from '../../support/memory/compare';
import { RIG_ADMIN_DN, RIG_ADMIN_PASSWORD, startRigDirectory } from '../../support/memory/rig';

export const ALIASES_LDIF =
  `dn: cn=alias-to-user3,${PEOPLE_DN}\nobjectClass: alias\nobjectClass: extensibleObject\ncn: alias-to-user3\naliasedObjectName: ${personDN(personUid(3))}\n\n` +
  `dn: ou=shortcut,${BASE_DN}\nobjectClass: alias\nobjectClass: extensibleObject\nou: shortcut\naliasedObjectName: ou=groups,${BASE_DN}\n\n` +
  `dn: ou=elsewhere,${BASE_DN}\nobjectClass: referral\nobjectClass: extensibleObject\nou: elsewhere\nref: ldap://other.example.com/ou=elsewhere,${BASE_DN}\n\n`;

const LDIF = generatePeople(30, { groupSize: 10 }) + ALIASES_LDIF;
const ADMIN = ['-x', '-D', RIG_ADMIN_DN, '-w', RIG_ADMIN_PASSWORD, '-o', 'ldif-wrap=no'];

describe('in-memory directory vs slapd: ldapsearch', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let memory: DirectoryServer;

  before(async () => {
    [slapd, memory] = await Promise.all([startSlapd({ ldif: LDIF }), startRigDirectory(LDIF)]);
  });
  after(async () => {
    await Promise.all([slapd?.stop(), memory?.close()]);
  });

  const same = async (args: readonly string[], expectCode = 0): Promise<string> => {
    const { slapd: expected, memory: actual } = await onBoth({ slapd, memory }, 'ldapsearch', args);
    expect(actual, `ldapsearch ${args.join(' ')}`).to.deep.equal(expected);
    expect(expected.code, `slapd's exit code for ldapsearch ${args.join(' ')}: ${expected.stderr}`).to.equal(expectCode);
    return expected.stdout;
  };

  it('returns the same tree, entries and attributes in the same order (subtree, all user attributes)', async () => {
    const out = await same([...ADMIN, '-b', BASE_DN]);
    expect(out).to.match(/# numEntries: 3\d/);
  });

  for (const scope of ['base', 'one', 'sub', 'children']) {
    it(`honours scope ${scope}`, async () => {
      await same([...ADMIN, '-LLL', '-b', PEOPLE_DN, '-s', scope, '1.1']);
    });
  }

  const filters = [
    '(cn=J*)',
    '(&(objectClass=person)(|(sn=Rossi)(sn=Smith)))',
    '(objectClass=organizationalPerson)',
    '(!(uid=user0001))',
    '(employeeNumber=100007)',
    '(description=*audit*)',
    '(mail=*@EXAMPLE.COM)',
    `(member=${personDN(personUid(1))})`,
    '(uid:caseExactMatch:=user0001)',
    '(&)',
    '(|)',
    '(telephoneNumber=+1 555*)',
    '(cn~=thomas rossi)',
    '(createTimestamp>=20000101000000Z)',
  ];
  for (const filter of filters) {
    it(`evaluates ${filter} alike`, async () => {
      await same([...ADMIN, '-LLL', '-b', BASE_DN, filter, 'cn']);
    });
  }

  for (const attributes of [['cn', 'mail'], ['*'], ['+'], ['*', '+'], ['1.1'], ['name'], ['objectClass'], ['CN', 'commonName', '2.5.4.4']]) {
    it(`selects attributes ${attributes.join(' ')}`, async () => {
      await same([...ADMIN, '-LLL', '-b', personDN(personUid(2)), '-s', 'base', ...attributes]);
    });
  }

  it('sends types only with -A', async () => {
    await same([...ADMIN, '-LLL', '-A', '-b', PEOPLE_DN, '-s', 'one', '(uid=user000*)']);
  });

  it('stops at the size limit with sizeLimitExceeded (4)', async () => {
    await same([...ADMIN, '-LLL', '-z', '5', '-b', PEOPLE_DN, '-s', 'one', '1.1'], 4);
  });

  it('a missing base is noSuchObject (32) with the matched DN', async () => {
    await same([...ADMIN, '-b', `ou=nowhere,${PEOPLE_DN}`], 32);
  });

  it('a user sees every entry but only their own userPassword', async () => {
    const uid = personUid(4);
    await same(['-x', '-D', personDN(uid), '-w', personPassword(uid), '-LLL', '-b', PEOPLE_DN, '-s', 'one', '(uid=user000*)', 'uid', 'userPassword']);
  });

  it('a user cannot search by userPassword beyond their own entry', async () => {
    const uid = personUid(4);
    await same(['-x', '-D', personDN(uid), '-w', personPassword(uid), '-LLL', '-b', PEOPLE_DN, '(userPassword=*)', '1.1']);
  });

  it('anonymous users find nothing: noSuchObject (32) without a matched DN', async () => {
    await same(['-x', '-LLL', '-b', PEOPLE_DN], 32);
  });

  for (const deref of ['never', 'search', 'find', 'always']) {
    it(`dereferences aliases: -a ${deref}`, async () => {
      await same([...ADMIN, '-LLL', '-a', deref, '-b', PEOPLE_DN, '-s', 'one', '(|(uid=user0003)(cn=alias-to-user3))', 'uid', 'cn']);
      await same([...ADMIN, '-LLL', '-a', deref, '-b', `ou=shortcut,${BASE_DN}`, '-s', 'one', '1.1']);
    });
  }

  it('returns continuation references for referral objects, a referral for a base below one, and the objects themselves with -M', async () => {
    const out = await same([...ADMIN, '-b', BASE_DN, '-s', 'one', '(ou=*)', 'ou']);
    expect(out).to.include('ref: ldap://other.example.com/ou=elsewhere,dc=example,dc=com??base');
    await same([...ADMIN, '-b', BASE_DN, '(ou=*)', 'ou']);
    await same([...ADMIN, '-b', `ou=elsewhere,${BASE_DN}`, '-s', 'base'], 10);
    await same([...ADMIN, '-b', `ou=below,ou=elsewhere,${BASE_DN}`], 10);
    await same([...ADMIN, '-M', '-b', `ou=elsewhere,${BASE_DN}`, '-s', 'base']);
    await same([...ADMIN, '-M', '-b', BASE_DN, '-s', 'one', '(ou=*)', 'ou']);
  });

  it('a bad password is invalidCredentials (49)', async () => {
    await same(['-x', '-D', personDN(personUid(5)), '-w', 'wrong', '-b', BASE_DN], 49);
  });

  it('publishes the same cn=Subschema (slapd 2.5 with core, cosine, inetorgperson and nis): named, with +, and without', async () => {
    const named = await same(['-x', '-LLL', '-o', 'ldif-wrap=no', '-b', 'cn=Subschema', '-s', 'base', 'attributeTypes', 'objectClasses', 'ldapSyntaxes', 'matchingRules', 'matchingRuleUse']);
    expect(named.match(/^attributeTypes: /gm)?.length).to.be.greaterThan(250);
    await same(['-x', '-LLL', '-o', 'ldif-wrap=no', '-b', 'cn=Subschema', '-s', 'base', '+']);
    await same(['-x', '-LLL', '-b', 'cn=Subschema', '-s', 'base']);
  });

  it('reads the root DSE naming contexts and LDAP version alike', async () => {
    await same(['-x', '-LLL', '-b', '', '-s', 'base', 'namingContexts', 'supportedLDAPVersion', 'subschemaSubentry']);
  });
});
