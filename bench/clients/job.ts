/**
 * What the bench asks a client process to do, and what the process answers. Every client
 * (rxldap, ldapts, ldapjs) runs one job per process, so each measurement is a whole process:
 * node start, module loading, connect, bind, the work, unbind and exit. Kept free of imports so
 * it adds nothing to a child's start-up.
 */

/**
 * 'pool': the compares of 'compares', spread over `connections` connections (a pool, or that many clients).
 * 'ldif': the search of 'stream' written as LDIF (as ldapsearch prints it) to `outFile`.
 */
export type Scenario = 'stream' | 'paged' | 'base-searches' | 'compares' | 'pool' | 'ldif';

export interface Job {
  scenario: Scenario;
  url: string;
  bindDN: string;
  password: string;
  /** Subtree searched by 'stream' and 'paged'. */
  base: string;
  filter: string;
  /** Entries the subtree holds: what 'stream' and 'paged' must return. */
  entries: number;
  pageSize: number;
  /** Operations of 'base-searches' and 'compares', and how many may be in flight at once. */
  operations: number;
  inFlight: number;
  /** 'pool': how many connections the operations are spread over. */
  connections: number;
  /** Entry i (1-based) is `${dnPrefix}${uid}${dnSuffix}` with uid `user` + i padded to uidWidth. */
  dnPrefix: string;
  dnSuffix: string;
  uidWidth: number;
  /** 'ldif': the file the LDIF is written to. */
  outFile?: string;
}

export interface JobResult {
  /** Entries received ('stream', 'paged', 'base-searches') or compares answered true. */
  entries: number;
  /** Attribute values seen in those entries: each client must have read every one. */
  values: number;
  /** 'base-searches' and 'compares': time from the first request to the last answer, after bind. */
  operationsMs?: number;
  /** How the client did it, when it had a choice (e.g. a paged-search fallback). */
  via?: string;
}

export const uidOf = (job: Job, i: number): string => `user${String(i).padStart(job.uidWidth, '0')}`;
export const dnOf = (job: Job, i: number): string => `${job.dnPrefix}${uidOf(job, i)}${job.dnSuffix}`;

/** The job is the process's only argument, as JSON. */
export const readJob = (): Job => {
  const text = process.argv[2];
  if (text === undefined) throw new Error('usage: node <client>.js <job as JSON>');
  return JSON.parse(text) as Job;
};

/**
 * Runs `operations` calls of `operation(i)` (i from 1) with at most `inFlight` unanswered at
 * any time: `inFlight` workers, each starting its next call when its last one is answered.
 */
export const runPipelined = async (job: Job, operation: (i: number) => Promise<number>): Promise<{ total: number; ms: number }> => {
  let next = 1;
  let total = 0;
  const worker = async (): Promise<void> => {
    while (next <= job.operations) {
      const i = next++;
      const counted = await operation(i); // not `total += await …`: that would read total before the await
      total += counted;
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(job.inFlight, job.operations) }, worker));
  return { total, ms: Number(process.hrtime.bigint() - start) / 1e6 };
};

/** Prints the result line the bench parses; a wrong count fails the process. */
export const finish = (job: Job, result: JobResult, expectedEntries: number): void => {
  if (result.entries !== expectedEntries) {
    process.stderr.write(`${job.scenario}: expected ${expectedEntries} entries, got ${result.entries}\n`);
    process.exitCode = 1;
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

/** Exits non-zero with the error: a failed client must fail the bench, not report a time. */
export const fatal = (error: unknown): void => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
};
