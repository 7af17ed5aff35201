/**
 * One SyncReplConsumer in a process of its own, as bench/sync.ts measures it (wall time and peak
 * RSS of the whole process): refreshOnly into the store the job names, then exit; or 'live':
 * refreshAndPersist, timing each live change from the writer's request (the time is in the
 * value the writer sets) to the commit that made it durable. Prints one JSON line.
 */
import { Client, MemorySyncStore, FileSyncStore, SyncReplConsumer } from '../../lib';
import type { SyncStore } from '../../lib';
import { SqliteSyncStore } from '../../lib/sqlite-store';
import { readSyncJob } from './job';
import type { SyncJob, SyncJobResult } from './job';

const storeFor = (job: SyncJob): SyncStore =>
  job.store === 'memory' ? new MemorySyncStore()
    : job.store === 'file' ? new FileSyncStore(job.storePath)
    : new SqliteSyncStore(job.storePath, job.store === 'sqlite-thread' ? { writer: 'thread' } : {});

/** Wall-clock ms with sub-ms precision, comparable between processes on one machine. */
const now = (): number => performance.timeOrigin + performance.now();

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

const main = async (): Promise<void> => {
  const job = readSyncJob();
  const client = new Client({ url: job.url, timeout: 600_000 });
  const consumer = new SyncReplConsumer({
    client, base: job.base, scope: 'sub', filter: job.filter, store: storeFor(job),
    mode: job.mode === 'live' ? 'refreshAndPersist' : 'refreshOnly',
    bind: (c, signal) => c.bind(job.bindDN, job.password, { signal }),
    ...(job.maxBatch === undefined ? {} : { maxBatch: job.maxBatch }),
  });
  const result: SyncJobResult = { entries: 0, adds: 0, changes: 0, deletes: 0, size: 0, progress: 0, syncMs: 0 };
  let started = 0;
  const pendingWrites: number[] = []; // request times of the changes not yet committed
  const lags: number[] = [];
  const commits: Array<[number, number]> = [];
  let liveStarted = 0;
  let refreshed = false;
  let finish: () => void = () => undefined;
  const liveDone = new Promise<void>((resolve) => (finish = resolve));
  consumer.events.subscribe((event) => {
    switch (event.type) {
      case 'bindComplete':
        started = performance.now();
        return;
      case 'add':
        result.adds++;
        return;
      case 'delete':
        result.deletes++;
        return;
      case 'change': {
        result.changes++;
        const stamp = /^t=(\d+(?:\.\d+)?)$/.exec(event.newAttributes.description?.[0] ?? '');
        if (refreshed && stamp !== null) pendingWrites.push(Number(stamp[1]));
        return;
      }
      case 'progress':
        result.progress++;
        if (event.phase === 'done') result.entries = event.entries;
        return;
      case 'refreshDone':
        refreshed = true;
        return;
      case 'commit': {
        result.syncMs = performance.now() - started;
        if (pendingWrites.length === 0) return;
        const at = now();
        if (liveStarted === 0) liveStarted = Math.min(...pendingWrites);
        for (const written of pendingWrites) {
          lags.push(at - written);
          commits.push([written, at]);
        }
        pendingWrites.length = 0;
        if (lags.length >= job.liveChanges) finish();
        return;
      }
      default:
    }
  });
  if (job.mode === 'refreshOnly') {
    await consumer.start();
  } else {
    const running = consumer.start();
    await new Promise<void>((resolve) => consumer.events.subscribe((event) => event.type === 'refreshDone' && resolve()));
    process.stdout.write('ready\n'); // the parent starts writing now
    await Promise.race([liveDone, running]);
    const end = now();
    lags.sort((a, b) => a - b);
    result.lag = { count: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags[lags.length - 1] ?? 0, ratePerSecond: (lags.length * 1000) / (end - liveStarted) };
    result.commits = commits;
  }
  result.size = consumer.size;
  await consumer.stop();
  await client.unbind();
  // Written before the process exits: to a pipe, a large write is asynchronous, and exit() would cut it.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(result)}\n`, () => resolve()));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sync consumer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
