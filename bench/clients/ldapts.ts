/** ldapts 9 as its README drives it, one job per process (see job.ts). */
import { Client } from 'ldapts';
import type { Entry } from 'ldapts';
import { dnOf, fatal, finish, readJob, runPipelined, uidOf } from './job';
import type { Job, JobResult } from './job';

const countValues = (entry: Entry): number => {
  let values = 0;
  for (const [name, value] of Object.entries(entry)) {
    if (name !== 'dn') values += Array.isArray(value) ? value.length : 1;
  }
  return values;
};

/** ldapts has no entry stream: search() resolves with every entry at once. */
const stream = async (client: Client, job: Job): Promise<JobResult> => {
  const { searchEntries } = await client.search(job.base, { scope: 'sub', filter: job.filter });
  let values = 0;
  for (const entry of searchEntries) values += countValues(entry);
  return { entries: searchEntries.length, values };
};

/** searchPaginated yields one page at a time. */
const paged = async (client: Client, job: Job): Promise<JobResult> => {
  let entries = 0;
  let values = 0;
  for await (const page of client.searchPaginated(job.base, { scope: 'sub', filter: job.filter, paged: { pageSize: job.pageSize } })) {
    entries += page.searchEntries.length;
    for (const entry of page.searchEntries) values += countValues(entry);
  }
  return { entries, values, via: 'searchPaginated' };
};

const baseSearches = async (client: Client, job: Job): Promise<JobResult> => {
  let values = 0;
  const { total, ms } = await runPipelined(job, async (i) => {
    const { searchEntries } = await client.search(dnOf(job, i), { scope: 'base' });
    for (const entry of searchEntries) values += countValues(entry);
    return searchEntries.length;
  });
  return { entries: total, values, operationsMs: ms };
};

const compares = async (client: Client, job: Job): Promise<JobResult> => {
  const { total, ms } = await runPipelined(job, async (i) => ((await client.compare(dnOf(job, i), 'uid', uidOf(job, i))) ? 1 : 0));
  return { entries: total, values: 0, operationsMs: ms };
};

/** ldapts has no pool: `connections` clients, each bound, taking the compares in turn. */
const pooled = async (job: Job): Promise<JobResult> => {
  const clients = Array.from({ length: job.connections }, () => new Client({ url: job.url }));
  await Promise.all(clients.map((client) => client.bind(job.bindDN, job.password)));
  const { total, ms } = await runPipelined(job, async (i) => ((await clients[i % clients.length]!.compare(dnOf(job, i), 'uid', uidOf(job, i))) ? 1 : 0));
  await Promise.all(clients.map((client) => client.unbind()));
  return { entries: total, values: 0, operationsMs: ms };
};

const SCENARIOS = { stream, paged, 'base-searches': baseSearches, compares };

const main = async (): Promise<void> => {
  const job = readJob();
  if (job.scenario === 'pool') return finish(job, await pooled(job), job.operations);
  if (job.scenario === 'ldif') throw new Error('ldapts writes no LDIF');
  const client = new Client({ url: job.url });
  await client.bind(job.bindDN, job.password);
  const result = await SCENARIOS[job.scenario](client, job);
  await client.unbind();
  finish(job, result, job.scenario === 'stream' || job.scenario === 'paged' ? job.entries : job.operations);
};

main().catch(fatal);
