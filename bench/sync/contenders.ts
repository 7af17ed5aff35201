/**
 * The processes bench/sync.ts measures: rxldap's consumer (one store each), OpenLDAP's
 * `ldapsearch -E sync=ro` and python-ldap's SyncreplConsumer, and the writer that changes the
 * directory between runs (in the bench's own process: it is not measured).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '../../lib';
import { personDN, personUid, generatePeople } from '../../spec/support/data';
import type { BenchDirectory } from '../support/directory';
import type { RunSpec } from '../support/measure';
import type { StoreKind, SyncJob } from './job';

export const consumerRun = (directory: BenchDirectory, store: StoreKind, storePath: string, mode: SyncJob['mode'], liveChanges = 0): RunSpec => {
  const job: SyncJob = {
    url: directory.slapd.url, bindDN: directory.slapd.adminDN, password: directory.slapd.adminPassword,
    base: directory.base, filter: directory.filter, store, storePath, mode, liveChanges,
  };
  return { command: process.execPath, args: [join(__dirname, 'consumer-child.js'), JSON.stringify(job)], timeoutMs: 1_800_000 };
};

export const ldapsearchRun = (directory: BenchDirectory): RunSpec => ({
  command: 'ldapsearch',
  args: ['-x', '-H', directory.slapd.url, '-D', directory.slapd.adminDN, '-w', directory.slapd.adminPassword, '-LLL', '-o', 'ldif-wrap=no', '-b', directory.base, '-s', 'sub', '-E', 'sync=ro', directory.filter],
  discardStdout: true,
  timeoutMs: 1_800_000,
});

/** A python3 that has python-ldap (Debian's python3-ldap is in /usr/bin's), or undefined. */
export const pythonWithLdap = (): string | undefined => {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import ldap.syncrepl'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
};

export const pythonRun = (directory: BenchDirectory, python: string): RunSpec => ({
  command: python,
  // The .py file is not compiled: it lives beside this file's source, in bench/sync/.
  args: [join(__dirname, '..', '..', '..', 'bench', 'sync', 'python_syncrepl.py'), JSON.stringify({ url: directory.slapd.url, bindDN: directory.slapd.adminDN, password: directory.slapd.adminPassword, base: directory.base, filter: directory.filter })],
  timeoutMs: 1_800_000,
});

/** Runs `count` operations, `inFlight` at a time. */
export const pipelined = async (count: number, inFlight: number, operation: (k: number) => PromiseLike<unknown>): Promise<number> => {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) await operation(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return performance.now() - started;
};

/** Distinct people (1-based indexes), picked by a seeded shuffle of the first `entries`. */
export const pickPeople = (entries: number, count: number, random: () => number): number[] => {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, entries)) picked.add(1 + Math.floor(random() * entries));
  return [...picked];
};

/** The writes of "resume after changes": `modifies` modifies then `deletes` deletes of distinct people. */
export const changeDirectory = async (writer: Client, directory: BenchDirectory, people: readonly number[], modifies: number, tag: string): Promise<void> => {
  const dn = (i: number): string => personDN(personUid(i, directory.uidWidth));
  await pipelined(people.length, 32, async (k) => {
    const i = people[k]!;
    if (k < modifies) await writer.modify(dn(i), [{ operation: 'replace', attribute: 'description', values: `changed by the sync bench (${tag}) ${k}` }]);
    else await writer.delete(dn(i));
  });
};

/** Puts the deleted people back (new entryUUIDs, same DNs and attributes), so every store meets the same size. */
export const restorePeople = async (directory: BenchDirectory, deleted: readonly number[]): Promise<void> => {
  const ldif = deleted.map((i) => generatePeople(1, { first: i, includeTree: false, groupSize: 0, width: directory.uidWidth })).join('');
  await directory.slapd.ldapmodify(ldif, ['-a']);
};
