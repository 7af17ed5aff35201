/**
 * ldapjs 3 as its documentation drives it, one job per process (see job.ts). ldapjs ships no
 * types, so the little of its API used here is described by local interfaces.
 */
import { dnOf, fatal, finish, readJob, runPipelined, uidOf } from './job';
import type { Job, JobResult } from './job';

interface LdapjsAttribute {
  /** The raw values (ldapjs also offers `values`, decoded to strings on access). */
  readonly buffers: Buffer[];
}
interface LdapjsEntry {
  readonly attributes: LdapjsAttribute[];
}
interface LdapjsSearchResponse {
  on(event: 'searchEntry', listener: (entry: LdapjsEntry) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: (result: { status: number } | null) => void): this;
}
interface LdapjsSearchOptions {
  scope: 'base' | 'one' | 'sub';
  filter?: string;
  paged?: { pageSize: number; pagePause: boolean };
}
interface LdapjsClient {
  bind(dn: string, password: string, callback: (error: Error | null) => void): void;
  search(base: string, options: LdapjsSearchOptions, callback: (error: Error | null, response: LdapjsSearchResponse) => void): void;
  compare(dn: string, attribute: string, value: string, callback: (error: Error | null, matched: boolean) => void): void;
  unbind(callback: (error?: Error | null) => void): void;
  on(event: 'error', listener: (error: Error) => void): this;
}
interface Ldapjs {
  createClient(options: { url: string }): LdapjsClient;
}

const ldap = require('ldapjs') as Ldapjs;

/** Runs one search to its end, handing each entry to `onEntry` as it arrives. */
const search = (client: LdapjsClient, base: string, options: LdapjsSearchOptions, onEntry: (entry: LdapjsEntry) => void): Promise<void> =>
  new Promise((resolve, reject) => {
    client.search(base, options, (error, response) => {
      if (error !== null) {
        reject(error);
        return;
      }
      response.on('searchEntry', onEntry);
      response.on('error', reject);
      response.on('end', (result) => (result === null || result.status === 0 ? resolve() : reject(new Error(`search ended with status ${result.status}`))));
    });
  });

const countValues = (entry: LdapjsEntry): number => {
  let values = 0;
  for (const attribute of entry.attributes) values += attribute.buffers.length;
  return values;
};

/** Subtree search with entries arriving as events (optionally with ldapjs's own pager). */
const subtree = async (client: LdapjsClient, job: Job, pageSize?: number): Promise<JobResult> => {
  let entries = 0;
  let values = 0;
  const options: LdapjsSearchOptions = { scope: 'sub', filter: job.filter };
  if (pageSize !== undefined) options.paged = { pageSize, pagePause: false };
  await search(client, job.base, options, (entry) => {
    entries++;
    values += countValues(entry);
  });
  return { entries, values };
};

const baseSearches = async (client: LdapjsClient, job: Job): Promise<JobResult> => {
  let values = 0;
  const { total, ms } = await runPipelined(job, async (i) => {
    let found = 0;
    await search(client, dnOf(job, i), { scope: 'base' }, (entry) => {
      found++;
      values += countValues(entry);
    });
    return found;
  });
  return { entries: total, values, operationsMs: ms };
};

const compares = async (client: LdapjsClient, job: Job): Promise<JobResult> => {
  const compare = (i: number): Promise<number> =>
    new Promise((resolve, reject) => client.compare(dnOf(job, i), 'uid', uidOf(job, i), (error, matched) => (error !== null ? reject(error) : resolve(matched ? 1 : 0))));
  const { total, ms } = await runPipelined(job, compare);
  return { entries: total, values: 0, operationsMs: ms };
};

const run = (client: LdapjsClient, job: Job): Promise<JobResult> => {
  switch (job.scenario) {
    case 'stream':
      return subtree(client, job);
    case 'paged':
      return subtree(client, job, job.pageSize);
    case 'base-searches':
      return baseSearches(client, job);
    case 'compares':
      return compares(client, job);
    case 'pool':
    case 'ldif':
      throw new Error(`ldapjs takes no part in the ${job.scenario} scenario`);
  }
};

const main = async (): Promise<void> => {
  const job = readJob();
  const client = ldap.createClient({ url: job.url });
  client.on('error', fatal);
  await new Promise<void>((resolve, reject) => client.bind(job.bindDN, job.password, (error) => (error !== null ? reject(error) : resolve())));
  const result = await run(client, job);
  await new Promise<void>((resolve) => client.unbind(() => resolve()));
  finish(job, result, job.scenario === 'stream' || job.scenario === 'paged' ? job.entries : job.operations);
};

main().catch(fatal);
