/**
 * A SyncReplConsumer in a process of its own, for the crash spec, which kills it with SIGKILL at
 * random points and starts it again over the same durable store (FileSyncStore or SqliteSyncStore). Run from the compiled tree:
 *
 *   node dist/spec/support/sync-child.js '<SyncChildConfig as JSON>'
 *
 * It tells the parent where it is with lines on stdout: `bound resumed=yes|no` (the store held a
 * cookie), `phase present|delete`, `refreshDone`. SIGTERM stops it cleanly (stop(), exit 0); a
 * failure is printed on stderr and ends it with exit code 1.
 */
import { Client } from '../../lib';
import { SyncReplConsumer } from '../../lib/search/sync';
import type { ConsumerEvent } from '../../lib/search/sync';
import { durableStore } from './sync-stores';
import type { DurableStoreName } from './sync-stores';

export interface SyncChildConfig {
  url: string;
  bindDN: string;
  password: string;
  base: string;
  filter: string;
  storeDir: string;
  store: DurableStoreName;
  mode: 'refreshOnly' | 'refreshAndPersist';
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** Lets other work in (and a SIGKILL land) between the steps of a batch. */
const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const main = async (config: SyncChildConfig): Promise<void> => {
  const client = new Client({ url: config.url, timeout: 20_000 });
  const consumer: SyncReplConsumer<Client> = new SyncReplConsumer({
    client, base: config.base, scope: 'sub', filter: config.filter, mode: config.mode,
    store: durableStore(config.store, config.storeDir),
    // Small batches and group commits: more commits, so more kills land near one.
    maxBatch: 50, groupCommit: { maxChanges: 20, maxDelayMs: 10 },
    bind: (c) => c.bind(config.bindDN, config.password),
    callbacks: {
      bindComplete: (): void => say(`bound resumed=${consumer.cookie === undefined ? 'no' : 'yes'}`),
      refreshDone: () => say('refreshDone'),
      recordAdd: yieldTurn,
      recordChange: yieldTurn,
      recordDelete: yieldTurn,
      recordRename: yieldTurn,
    },
  });
  consumer.events.subscribe((event: ConsumerEvent) => {
    if (event.type === 'phaseEnd') say(`phase ${event.phase}`);
  });
  let stopping = false;
  process.once('SIGTERM', () => {
    stopping = true;
    void consumer.stop();
  });
  // refreshOnly polls: one refresh per start(), until stopped.
  do {
    await consumer.start();
    if (config.mode === 'refreshOnly' && !stopping) await new Promise((resolve) => setTimeout(resolve, 20));
  } while (config.mode === 'refreshOnly' && !stopping);
  await consumer.stop();
  await client.unbind();
};

main(JSON.parse(process.argv[2] ?? '{}') as SyncChildConfig).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sync-child failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
