import { join } from 'node:path';
import type { Job, Scenario } from '../clients/job';
import type { BenchDirectory } from './directory';
import type { RunSpec } from './measure';

/**
 * Who runs in each scenario, and the exact command line each one runs. The node clients run
 * the scripts in bench/clients (compiled next to this file); ldapsearch is OpenLDAP's C client,
 * the reference a user would reach for, writing its LDIF to /dev/null; the ceiling measures
 * what the server can answer at all.
 */

/** `ceiling` is no client: the server's capacity for small operations (bench/clients/ceiling.ts). */
export type ContenderName = 'rxldap' | 'ldapsearch' | 'ldapts' | 'ldapjs' | 'ceiling';

export interface Contender {
  /** A ContenderName, or the name of another rxldap build (see otherBuild). */
  name: string;
  spec: RunSpec;
  /** Node clients print a JobResult line; ldapsearch's output goes to /dev/null. */
  reportsResult: boolean;
}

export interface ScenarioSettings {
  pageSize: number;
  operations: number;
  inFlight: number;
  /** 'pool': connections the operations are spread over (1 elsewhere). */
  connections: number;
}

/** The clients taking part in `scenario`, in the order they take turns. */
export const SCENARIO_CONTENDERS: Record<Scenario, readonly ContenderName[]> = {
  stream: ['rxldap', 'ldapsearch', 'ldapts', 'ldapjs'],
  paged: ['rxldap', 'ldapsearch', 'ldapts', 'ldapjs'],
  'base-searches': ['rxldap', 'ldapts', 'ldapjs', 'ceiling'],
  compares: ['rxldap', 'ldapts', 'ldapjs', 'ceiling'],
  pool: ['rxldap', 'ldapts'],
  ldif: ['rxldap', 'ldapsearch'],
};

/** Where each contender of the 'ldif' scenario writes its LDIF (the bench compares the files). */
export const ldifOutFile = (directory: BenchDirectory, name: string): string => join(directory.outDir, `${name}.ldif`);

const jobFor = (scenario: Scenario, directory: BenchDirectory, settings: ScenarioSettings, name = 'rxldap'): Job => {
  const { slapd } = directory;
  return {
    scenario,
    url: slapd.url,
    bindDN: slapd.adminDN,
    password: slapd.adminPassword,
    base: directory.base,
    filter: directory.filter,
    entries: directory.entries,
    pageSize: settings.pageSize,
    operations: settings.operations,
    inFlight: settings.inFlight,
    connections: settings.connections,
    dnPrefix: 'uid=',
    dnSuffix: `,${directory.base}`,
    uidWidth: directory.uidWidth,
    ...(scenario === 'ldif' ? { outFile: ldifOutFile(directory, name) } : {}),
  };
};

const ldapsearch = (scenario: Scenario, directory: BenchDirectory, settings: ScenarioSettings): RunSpec => {
  const { slapd } = directory;
  const paging = scenario === 'paged' ? ['-E', `pr=${settings.pageSize}/noprompt`] : [];
  if (scenario === 'ldif') {
    // `ldapsearch -LLL -o ldif-wrap=76 > file` (76 asked for: its default folds 78-byte lines),
    // exec'd by sh, so no shell stays between.
    const args = ['-LLL', '-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-o', 'ldif-wrap=76', '-b', directory.base, directory.filter];
    return { command: 'sh', args: ['-c', 'out="$1"; shift; exec ldapsearch "$@" > "$out"', 'sh', ldifOutFile(directory, 'ldapsearch'), ...args], env: slapd.toolEnv() };
  }
  return {
    command: 'ldapsearch',
    args: ['-LLL', '-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-o', 'ldif-wrap=no', ...paging, '-b', directory.base, directory.filter],
    env: slapd.toolEnv(),
    discardStdout: true,
  };
};

/**
 * Another build of rxldap taking part under its own name (`--build NAME=OUTDIR`): the rxldap
 * client script compiled into OUTDIR, which loads packageEntry(OUTDIR). A/B-tests a change in one run.
 */
export interface OtherBuild {
  name: string;
  outDir: string;
}

export const otherBuild = (build: OtherBuild, scenario: Scenario, directory: BenchDirectory, settings: ScenarioSettings): Contender => ({
  name: build.name,
  spec: { command: process.execPath, args: [join(build.outDir, 'bench', 'clients', 'rxldap.js'), JSON.stringify(jobFor(scenario, directory, settings, build.name))] },
  reportsResult: true,
});

export const contender = (name: ContenderName, scenario: Scenario, directory: BenchDirectory, settings: ScenarioSettings): Contender => {
  if (name === 'ldapsearch') {
    if (scenario !== 'stream' && scenario !== 'paged' && scenario !== 'ldif') throw new Error(`ldapsearch takes no part in ${scenario}`);
    return { name, spec: ldapsearch(scenario, directory, settings), reportsResult: false };
  }
  const script = join(__dirname, '..', 'clients', `${name}.js`);
  return {
    name,
    spec: { command: process.execPath, args: [script, JSON.stringify(jobFor(scenario, directory, settings))] },
    reportsResult: true,
  };
};
