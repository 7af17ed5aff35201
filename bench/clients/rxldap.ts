/**
 * rxldap as a user would drive it, one job per process (see job.ts). Loads what
 * `require('rxldap')` loads, from the outDir this file was compiled to: the bundle
 * (dist/rxldap.cjs, package.json's main; rxldap.js in older builds), or dist/lib for a build that has none.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client, SearchEntry } from '../../lib/index';
import { packageEntry } from '../support/package-entry';
import { dnOf, fatal, finish, readJob, runPipelined, uidOf } from './job';
import type { Job, JobResult } from './job';

const rxldap = require(packageEntry(join(__dirname, '..', '..'))) as typeof import('../../lib/index');

const countValues = (entry: SearchEntry): number => {
  let values = 0;
  for (const attribute of entry.attributes) values += attribute.vals.length;
  return values;
};

/** One subtree search consumed as a stream (for await, with backpressure). */
const stream = async (client: Client, job: Job): Promise<JobResult> => {
  let entries = 0;
  let values = 0;
  for await (const entry of client.search(job.base, { scope: 'sub', filter: job.filter })) {
    entries++;
    values += countValues(entry);
  }
  return { entries, values };
};

const pagedViaPagedSearch = async (client: Client, job: Job): Promise<JobResult> => {
  let entries = 0;
  let values = 0;
  for await (const entry of client.pagedSearch(job.base, { scope: 'sub', filter: job.filter, pageSize: job.pageSize })) {
    entries++;
    values += countValues(entry);
  }
  return { entries, values, via: 'pagedSearch' };
};

/**
 * The same RFC 2696 loop written out with search() and the paged results control, for a build
 * whose pagedSearch is not there yet; the report says which path ran.
 */
const pagedViaControl = async (client: Client, job: Job): Promise<JobResult> => {
  let entries = 0;
  let values = 0;
  let cookie: Buffer = Buffer.alloc(0);
  do {
    let next: Buffer = Buffer.alloc(0);
    const search = client.search(job.base, {
      scope: 'sub',
      filter: job.filter,
      controls: [rxldap.pagedResultsControl({ size: job.pageSize, cookie })],
      onDone: (_result, controls) => {
        for (const control of controls) if (control.type === 'pagedResults') next = control.value.cookie;
      },
    });
    for await (const entry of search) {
      entries++;
      values += countValues(entry);
    }
    cookie = next;
  } while (cookie.length > 0);
  return { entries, values, via: 'search + pagedResultsControl (pagedSearch not implemented)' };
};

const paged = async (client: Client, job: Job): Promise<JobResult> => {
  try {
    client.pagedSearch(job.base, { pageSize: job.pageSize });
  } catch (error) {
    if (error instanceof Error && /not implemented/.test(error.message)) return pagedViaControl(client, job);
    throw error;
  }
  return pagedViaPagedSearch(client, job);
};

const baseSearches = async (client: Client, job: Job): Promise<JobResult> => {
  let values = 0;
  const { total, ms } = await runPipelined(job, async (i) => {
    const found = await client.search(dnOf(job, i), { scope: 'base' });
    for (const entry of found) values += countValues(entry);
    return found.length;
  });
  return { entries: total, values, operationsMs: ms };
};

const compares = async (client: Client, job: Job): Promise<JobResult> => {
  const { total, ms } = await runPipelined(job, async (i) => ((await client.compare(dnOf(job, i), 'uid', uidOf(job, i))) ? 1 : 0));
  return { entries: total, values: 0, operationsMs: ms };
};

/**
 * Compares through a ConnectionPool of `connections` members bound as the rootdn, opened
 * before the clock starts (as ldapts's clients are bound before it starts).
 */
const pooled = async (job: Job): Promise<JobResult> => {
  if (rxldap.ConnectionPool === undefined) throw new Error('this build has no ConnectionPool');
  const pool = new rxldap.ConnectionPool({
    client: { url: job.url },
    size: job.connections,
    bind: (client) => client.bind(job.bindDN, job.password),
  });
  const leases = await Promise.all(Array.from({ length: job.connections }, () => pool.acquire()));
  await Promise.all(leases.map((lease) => lease.release()));
  const { total, ms } = await runPipelined(job, async (i) => ((await pool.compare(dnOf(job, i), 'uid', uidOf(job, i))) ? 1 : 0));
  await pool.drain();
  return { entries: total, values: 0, operationsMs: ms };
};

/**
 * Counts records in LDIF bytes as they go by (each ends with a blank line), so the job can say how
 * many entries it wrote without a second look at them; the bench compares the file with
 * ldapsearch's. A 'data' listener beside the pipe, not a Transform between the stream and the
 * file: a stage of its own cost the job about 50 ms of stream machinery, which is the bench's and
 * not rxldap's.
 */
const countRecords = (source: NodeJS.ReadableStream): { readonly records: number } => {
  const counted = { records: 0 };
  let lastWasNewline = false;
  source.on('data', (chunk: Buffer) => {
    if (lastWasNewline && chunk[0] === 0x0a) counted.records++;
    for (let at = chunk.indexOf('\n\n'); at >= 0; at = chunk.indexOf('\n\n', at + 2)) counted.records++;
    lastWasNewline = chunk[chunk.length - 1] === 0x0a;
  });
  return counted;
};

/** The stream search written as LDIF to a file, as a user would: ldifStream piped to a file. */
const ldif = async (client: Client, job: Job): Promise<JobResult> => {
  if (rxldap.ldifStream === undefined) throw new Error('this build has no ldifStream');
  const source = rxldap.ldifStream(client.search(job.base, { scope: 'sub', filter: job.filter }), rxldap.LDAPSEARCH_LDIF);
  const counted = countRecords(source);
  await pipeline(source, createWriteStream(job.outFile!));
  return { entries: counted.records, values: 0 };
};

const SCENARIOS = { stream, paged, 'base-searches': baseSearches, compares, ldif };

const main = async (): Promise<void> => {
  const job = readJob();
  if (job.scenario === 'pool') return finish(job, await pooled(job), job.operations);
  const client = new rxldap.Client({ url: job.url });
  await client.bind(job.bindDN, job.password);
  const result = await SCENARIOS[job.scenario](client, job);
  // Client.unbind() unrefs its socket while it closes: with nothing else alive, the process
  // would exit before the await resolved, and never print its result.
  const hold = setInterval(() => undefined, 1000);
  await client.unbind();
  clearInterval(hold);
  finish(job, result, job.scenario === 'stream' || job.scenario === 'paged' || job.scenario === 'ldif' ? job.entries : job.operations);
};

main().catch(fatal);
