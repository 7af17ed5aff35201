/** The sync benchmark's entry shape, for the steps that build a store without a server (scale-child.ts, uuid-order.ts). */
import type { SyncAttributes, SyncRecord } from '../../lib';

const FIRST = ['James', 'Mary', 'Chiara', 'Hiro', 'Amara', 'José', 'Ingrid', 'Priya'];
const LAST = ['Smith', 'Rossi', 'Tanaka', 'Okafor', 'Müller', 'Larsen', 'Sharma', 'Chen'];
const WORDS = 'engineering platform team member responsible for directory services identity access management'.split(' ');

/** An entry shaped like the benchmark's (exported for uuid-order.ts). */
export const benchRecord = (i: number, random: () => number): SyncRecord => {
  const uid = `user${String(i).padStart(7, '0')}`;
  const given = FIRST[Math.floor(random() * FIRST.length)]!;
  const sn = LAST[Math.floor(random() * LAST.length)]!;
  let description = '';
  while (description.length < 95) description += `${WORDS[Math.floor(random() * WORDS.length)]!} `;
  const attributes: SyncAttributes = {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    uid: [uid], cn: [`${given} ${sn}`], sn: [sn], givenName: [given],
    mail: [`${given.toLowerCase()}.${sn.toLowerCase()}.${i}@example.com`],
    telephoneNumber: [`+1 555 ${String(Math.floor(random() * 1e7)).padStart(7, '0')}`],
    employeeNumber: [String(100000 + i)],
    description: [description.trim().slice(0, 100)],
    userPassword: [`{SSHA}${Buffer.from(String(random())).toString('base64').padEnd(32, 'A')}`],
  };
  return { dn: `uid=${uid},ou=people,dc=example,dc=com`, attributes };
};
