import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEOPLE_DN, generatePeople, personDN, personUid, seededRandom } from '../../spec/support/data';
import { startSlapd } from '../../spec/support/slapd';
import type { SlapdInstance } from '../../spec/support/slapd';

/**
 * The directory the end-to-end benchmark searches: a throw-away slapd (the test rig's) loaded
 * with `entries` inetOrgPerson entries of ten attributes each (objectClass, uid, cn, sn,
 * givenName, mail, telephoneNumber, employeeNumber, description, userPassword) under
 * ou=people, from the tests' deterministic generator.
 */

export interface BenchDirectory {
  slapd: SlapdInstance;
  entries: number;
  /** Where the entries live (a subtree search of it returns exactly `entries` entries). */
  base: string;
  filter: string;
  /** uid width the generator used, so children can name entry i. */
  uidWidth: number;
  ldifPath: string;
  ldifBytes: number;
  /** A scratch folder that goes with the server (the 'ldif' scenario's output files). */
  outDir: string;
  /** How the entries' entryUUIDs were made (see UUIDOrder). */
  uuids: UUIDOrder;
}

/**
 * 'slapadd': slapadd makes them, time-based, so they come out in ascending byte order, which no
 * directory grown over time has. 'random': version 4 UUIDs in the LDIF (seeded, so every run
 * loads the same), as Active Directory's objectGUIDs and 389-ds's entryUUIDs are, and as an
 * OpenLDAP directory's look once time_low has wrapped (every ~7 minutes).
 */
export type UUIDOrder = 'slapadd' | 'random';

/** Adds a seeded random v4 entryUUID to each entry of the LDIF (slapadd keeps an entryUUID it is given). */
const withRandomUUIDs = (ldif: string): string => {
  const random = seededRandom(0x0babe);
  const hex = (digits: number): string => {
    let text = '';
    for (let i = 0; i < digits; i++) text += Math.floor(random() * 16).toString(16);
    return text;
  };
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
  return ldif.replace(/^dn: .*$/gm, (line) => `${line}\nentryUUID: ${uuid()}`);
};

export const PEOPLE_FILTER = '(objectClass=inetOrgPerson)';

/** The same as data.ts's default width (at least four digits), spelled out for the children. */
export const uidWidthFor = (entries: number): number => Math.max(4, String(entries).length);

/**
 * The LDIF is cached under `<repo>/.tmp/bench-ldif`, keyed by the entry count and a digest of
 * what the generator makes for a few entries, so a changed generator is never served stale.
 */
const cachedLdif = (repoRoot: string, entries: number, uuids: UUIDOrder): string => {
  const generatorDigest = createHash('sha256').update(generatePeople(3, { groupSize: 0 })).digest('hex').slice(0, 12);
  const dir = join(repoRoot, '.tmp', 'bench-ldif');
  const path = join(dir, `people-${entries}-${generatorDigest}${uuids === 'random' ? '-random-uuids' : ''}.ldif`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    const ldif = generatePeople(entries, { groupSize: 0 });
    writeFileSync(partial, uuids === 'random' ? withRandomUUIDs(ldif) : ldif);
    renameSync(partial, path); // atomic: a run that dies halfway leaves no truncated cache
  }
  return path;
};

export const startBenchDirectory = async (repoRoot: string, entries: number, uuids: UUIDOrder = 'slapadd'): Promise<BenchDirectory> => {
  const ldifPath = cachedLdif(repoRoot, entries, uuids);
  const ldif = readFileSync(ldifPath, 'utf8');
  // Startup includes slapadd of the whole LDIF; give it time on a slow, busy machine.
  const slapd = await startSlapd({ ldif, startTimeoutMs: 120_000 });
  return { slapd, entries, base: PEOPLE_DN, filter: PEOPLE_FILTER, uidWidth: uidWidthFor(entries), ldifPath, ldifBytes: Buffer.byteLength(ldif), outDir: slapd.dir, uuids };
};

/** The DN and uid of person `i` (1-based), as the generator named them. */
export const person = (i: number, width: number): { dn: string; uid: string } => {
  const uid = personUid(i, width);
  return { dn: personDN(uid), uid };
};
