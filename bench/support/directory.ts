import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEOPLE_DN, generatePeople, personDN, personUid } from '../../spec/support/data';
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
}

export const PEOPLE_FILTER = '(objectClass=inetOrgPerson)';

/** The same as data.ts's default width (at least four digits), spelled out for the children. */
export const uidWidthFor = (entries: number): number => Math.max(4, String(entries).length);

/**
 * The LDIF is cached under `<repo>/.tmp/bench-ldif`, keyed by the entry count and a digest of
 * what the generator makes for a few entries, so a changed generator is never served stale.
 */
const cachedLdif = (repoRoot: string, entries: number): string => {
  const generatorDigest = createHash('sha256').update(generatePeople(3, { groupSize: 0 })).digest('hex').slice(0, 12);
  const dir = join(repoRoot, '.tmp', 'bench-ldif');
  const path = join(dir, `people-${entries}-${generatorDigest}.ldif`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, generatePeople(entries, { groupSize: 0 }));
    renameSync(partial, path); // atomic: a run that dies halfway leaves no truncated cache
  }
  return path;
};

export const startBenchDirectory = async (repoRoot: string, entries: number): Promise<BenchDirectory> => {
  const ldifPath = cachedLdif(repoRoot, entries);
  const ldif = readFileSync(ldifPath, 'utf8');
  // Startup includes slapadd of the whole LDIF; give it time on a slow, busy machine.
  const slapd = await startSlapd({ ldif, startTimeoutMs: 120_000 });
  return { slapd, entries, base: PEOPLE_DN, filter: PEOPLE_FILTER, uidWidth: uidWidthFor(entries), ldifPath, ldifBytes: Buffer.byteLength(ldif), outDir: slapd.dir };
};

/** The DN and uid of person `i` (1-based), as the generator named them. */
export const person = (i: number, width: number): { dn: string; uid: string } => {
  const uid = personUid(i, width);
  return { dn: personDN(uid), uid };
};
