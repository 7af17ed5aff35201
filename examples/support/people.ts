/**
 * Deterministic directory data for the examples and the real-server tests (spec/support/data.ts
 * re-exports it): an application would load its own LDIF instead. The same call gives the same LDIF
 * on every machine and run (a seeded PRNG, no Math.random, no clock), so a test can name an
 * entry and know its attributes. Entries are shaped like ../shared/servers/gen-ldif.py's
 * (inetOrgPerson with uid, cn, sn, givenName, mail, telephoneNumber, employeeNumber,
 * description) plus a userPassword, and groupOfNames groups over them.
 */
import { createHash } from 'node:crypto';

export const BASE_DN = 'dc=example,dc=com';
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
export const GROUPS_DN = `ou=groups,${BASE_DN}`;

/**
 * What the default instance holds: more than the frontend size limit of 500, so size limits
 * and paging have something to bite on, and still loaded in well under a second.
 */
export const DEFAULT_PEOPLE = 1000;
export const DEFAULT_GROUP_SIZE = 100;

const FIRST = ('James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara ' +
  'Richard Susan Joseph Jessica Thomas Sarah Charles Karen Chiara Luca Sofia Matteo Aiko ' +
  'Hiro Amara Kwame Ingrid Lars Priya Arjun Mei Wei Olga Ivan Zoe Noah Emma Liam').split(' ');
const LAST = ('Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez ' +
  'Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Rossi Bianchi Tanaka ' +
  'Suzuki Okafor Mensah Larsen Nilsson Sharma Patel Chen Wang Petrov Ivanova Dubois Muller').split(' ');
const WORDS = ('engineering platform team member responsible for directory services identity access ' +
  'management integration testing release operations monitoring backup recovery network ' +
  'security compliance audit reporting customer support billing analytics data pipeline').split(' ');

/** mulberry32: tiny, fast, and good enough to pick names; returns floats in [0, 1). */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export type PasswordScheme = 'plain' | 'ssha' | 'none';

export interface PeopleOptions {
  /** PRNG seed (default 4533, gen-ldif.py's). */
  seed?: number;
  /** Members per group; 0 for no groups (default 100). */
  groupSize?: number;
  /** Emit the suffix, ou=people and ou=groups entries first (default true). */
  includeTree?: boolean;
  /** How userPassword is stored (default 'ssha', salted from the seed so still deterministic). */
  passwords?: PasswordScheme;
  /** Digits in the uid (default max(4, digits of n)): user0001 … */
  width?: number;
  /**
   * Number of the first person (default 1), to add people beside an existing tree. Groups are
   * always numbered from group00000: pass groupSize 0 (and includeTree false) when adding.
   */
  first?: number;
}

const widthFor = (n: number): number => Math.max(4, String(n).length);

/** uid of person i: personUid(1) === 'user0001'. */
export const personUid = (i: number, width = 4): string => `user${String(i).padStart(width, '0')}`;
/** The password of a generated person: 'user0001' → 'pass0001'. */
export const personPassword = (uid: string): string => uid.replace(/^user/, 'pass');
export const personDN = (uid: string): string => `uid=${uid},${PEOPLE_DN}`;
export const groupCN = (g: number): string => `group${String(g).padStart(5, '0')}`;
export const groupDN = (g: number): string => `cn=${groupCN(g)},${GROUPS_DN}`;

/** RFC 2307 {SSHA}: base64(SHA-1(password + salt) + salt). */
export const sshaHash = (password: string, salt: Buffer): string =>
  '{SSHA}' + Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64');

/** The suffix entry and the two organizational units everything else lives in. */
export const baseTreeLdif = (): string =>
  `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n` +
  `dn: ${PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n` +
  `dn: ${GROUPS_DN}\nobjectClass: organizationalUnit\nou: groups\n\n`;

const description = (random: () => number): string => {
  let text = '';
  while (text.length < 95) text += pick(random, WORDS) + ' ';
  return text.trim().slice(0, 100);
};

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** n people (and their groups) as LDIF, ready for slapadd or ldapadd. */
export const generatePeople = (n: number, options: PeopleOptions = {}): string => {
  const { seed = 4533, groupSize = DEFAULT_GROUP_SIZE, includeTree = true, passwords = 'ssha', first = 1 } = options;
  const width = options.width ?? widthFor(first + n - 1);
  const random = seededRandom(seed);
  // A separate stream for salts, so the choice of scheme does not change anyone's name.
  const saltRandom = seededRandom(seed ^ 0x5a17);
  const out: string[] = includeTree ? [baseTreeLdif()] : [];
  const uids: string[] = [];
  for (let i = first; i < first + n; i++) {
    const givenName = pick(random, FIRST);
    const sn = pick(random, LAST);
    const uid = personUid(i, width);
    uids.push(uid);
    const phone = String(Math.floor(random() * 10_000_000)).padStart(7, '0');
    const lines = [
      `dn: ${personDN(uid)}`,
      'objectClass: top', 'objectClass: person', 'objectClass: organizationalPerson', 'objectClass: inetOrgPerson',
      `uid: ${uid}`, `cn: ${givenName} ${sn}`, `sn: ${sn}`, `givenName: ${givenName}`,
      `mail: ${givenName.toLowerCase()}.${sn.toLowerCase()}.${i}@example.com`,
      `telephoneNumber: +1 555 ${phone}`,
      `employeeNumber: ${100000 + i}`,
      `description: ${description(random)}`,
    ];
    if (passwords === 'plain') lines.push(`userPassword: ${personPassword(uid)}`);
    if (passwords === 'ssha') {
      const salt = Buffer.from(Array.from({ length: 8 }, () => Math.floor(saltRandom() * 256)));
      lines.push(`userPassword: ${sshaHash(personPassword(uid), salt)}`);
    }
    out.push(lines.join('\n') + '\n\n');
  }
  if (groupSize > 0) {
    for (let g = 0; g * groupSize < uids.length; g++) {
      const members = uids.slice(g * groupSize, (g + 1) * groupSize).map((uid) => `member: ${personDN(uid)}`);
      out.push([`dn: ${groupDN(g)}`, 'objectClass: groupOfNames', `cn: ${groupCN(g)}`, ...members].join('\n') + '\n\n');
    }
  }
  return out.join('');
};

/** How many groups generatePeople(n, { groupSize }) makes. */
export const groupCount = (n: number, groupSize = DEFAULT_GROUP_SIZE): number => (groupSize > 0 ? Math.ceil(n / groupSize) : 0);
