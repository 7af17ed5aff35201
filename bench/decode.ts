/**
 * Decoding benchmark: how fast rxldap turns socket bytes into search entries, next to ldapjs and
 * ldapts decoding the same bytes in the same process. See bench/README.md.
 *
 *   node dist/bench/decode.js [--entries 100000] [--rounds 5] [--warmup 2] [--chunk-size 65536]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFixture, compareTally } from './support/fixture';
import type { Fixture, Tally } from './support/fixture';
import { findRepoRoot, ldapjs, ldapts, rxldapFramer, rxldapParser } from './support/decoders';
import type { Decoder } from './support/decoders';
import { exitWithUsageOnHelp, integerOptions } from './support/cli';
import { garbageCollector } from './support/gc';

/** rxldap must decode at least this many times as many entries per second as the fastest peer. */
const TARGET_RATIO = 3;

interface Options {
  entries: number;
  rounds: number;
  warmup: number;
  chunkSize: number;
}

const USAGE = 'usage: node dist/bench/decode.js [--entries N] [--rounds N] [--warmup N] [--chunk-size BYTES]';

const parseOptions = (argv: string[]): Options => {
  const { values } = parseArgs({
    args: argv,
    options: {
      entries: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      'chunk-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  exitWithUsageOnHelp(values.help, USAGE);
  const integer = integerOptions(USAGE);
  return {
    entries: integer('entries', values.entries, 100_000, 1),
    rounds: integer('rounds', values.rounds, 5, 1),
    warmup: integer('warmup', values.warmup, 2, 0),
    chunkSize: integer('chunk-size', values['chunk-size'], 64 * 1024, 1),
  };
};

const checked = (decoder: Decoder, fixture: Fixture, tally: Tally): void => {
  const differences = compareTally(fixture.expected, tally);
  if (differences.length > 0) {
    throw new Error(`${decoder.name} did not decode the stream correctly:\n  ${differences.join('\n  ')}`);
  }
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Result {
  name: string;
  package: string;
  how: string;
  peer: boolean;
  runsMs: number[];
  medianMs: number;
  entriesPerSecond: number;
  megabytesPerSecond: number;
  /** rxldap (MessageFramer) entries/s divided by this decoder's. */
  rxldapOverThis: number;
}

const grouped = (value: number): string => Math.round(value).toLocaleString('en-US');

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  const collect = garbageCollector();

  const builtAt = performance.now();
  const fixture = buildFixture(options.entries, options.chunkSize);
  const buildMs = performance.now() - builtAt;
  const bytes = fixture.stream.length;
  const decoders = [rxldapFramer(), rxldapParser(), ldapjs(), ldapts(fixture.messageIds)];

  console.log(
    `decode benchmark: ${grouped(options.entries)} searchResEntry PDUs ` +
    `(avg ${(fixture.expected.values / options.entries).toFixed(1)} values, ${Math.round(bytes / options.entries)} B each), ` +
    `${(bytes / 1e6).toFixed(1)} MB in ${fixture.chunks.length} chunks of ${grouped(options.chunkSize)} B ` +
    `(encoded by rxldap in ${buildMs.toFixed(0)} ms)`,
  );
  const load = loadavg()[0]!;
  console.log(
    `node ${process.version}, ${platform()} ${arch()}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ` +
    `load average ${load.toFixed(2)}${load > cpus().length * 0.5 ? ' (busy machine: expect noisy timings)' : ''}`,
  );
  for (const decoder of decoders) console.log(`  ${decoder.name.padEnd(22)} ${decoder.package}`);

  // Warm-up: every decoder decodes the whole stream `warmup` times, each result checked.
  for (let i = 0; i < options.warmup; i++) {
    for (const decoder of decoders) {
      collect();
      checked(decoder, fixture, await decoder.run(fixture.chunks));
    }
  }

  // Timed rounds: A B C D, A B C D, ... so drift (thermal, other load) hits every decoder alike.
  const runsMs: number[][] = decoders.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, decoder] of decoders.entries()) {
      collect();
      const start = process.hrtime.bigint();
      const tally = await decoder.run(fixture.chunks);
      const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      checked(decoder, fixture, tally);
      runsMs[index]!.push(elapsedMs);
    }
  }

  const partial = decoders.map((decoder, index) => {
    const medianMs = median(runsMs[index]!);
    return {
      name: decoder.name, package: decoder.package, how: decoder.how, peer: decoder.peer,
      runsMs: runsMs[index]!.map((ms) => Number(ms.toFixed(3))),
      medianMs: Number(medianMs.toFixed(3)),
      entriesPerSecond: Math.round(options.entries / (medianMs / 1000)),
      megabytesPerSecond: Number((bytes / 1e6 / (medianMs / 1000)).toFixed(1)),
    };
  });
  const headline = partial[0]!; // rxldap's MessageFramer: the path a connection uses (../shared/DESIGN.md)
  const results: Result[] = partial.map((result) => ({
    ...result,
    rxldapOverThis: Number((headline.entriesPerSecond / result.entriesPerSecond).toFixed(2)),
  }));

  console.log(`\n${options.warmup} warm-up run(s) per decoder, then ${options.rounds} rounds in turn; median of the rounds`);
  console.log(
    `${'decoder'.padEnd(22)} ${'median ms'.padStart(10)} ${'min..max ms'.padStart(17)} ` +
    `${'entries/s'.padStart(12)} ${'MB/s'.padStart(8)} ${'rxldap/this'.padStart(12)}`,
  );
  for (const result of results) {
    const spread = `${Math.min(...result.runsMs).toFixed(1)}..${Math.max(...result.runsMs).toFixed(1)}`;
    console.log(
      `${result.name.padEnd(22)} ${result.medianMs.toFixed(1).padStart(10)} ${spread.padStart(17)} ` +
      `${grouped(result.entriesPerSecond).padStart(12)} ${result.megabytesPerSecond.toFixed(1).padStart(8)} ` +
      `${result.rxldapOverThis.toFixed(2).padStart(11)}x`,
    );
  }

  const peers = results.filter((result) => result.peer);
  const fastestPeer = peers.reduce((best, result) => (result.entriesPerSecond > best.entriesPerSecond ? result : best));
  const ratio = headline.entriesPerSecond / fastestPeer.entriesPerSecond;
  const pass = ratio >= TARGET_RATIO;
  console.log(
    `decode: rxldap ${headline.entriesPerSecond} entries/s, fastest peer (${fastestPeer.name}) ` +
    `${fastestPeer.entriesPerSecond} entries/s, ratio ${ratio.toFixed(2)} (target ${TARGET_RATIO}) ${pass ? 'PASS' : 'FAIL'}`,
  );

  const outDir = join(findRepoRoot(), 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const report = {
    benchmark: 'decode',
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadAverageAtStart: Number(load.toFixed(2)),
    options,
    fixture: {
      entries: options.entries,
      bytes,
      chunks: fixture.chunks.length,
      chunkSize: options.chunkSize,
      averagePduBytes: Number((bytes / options.entries).toFixed(1)),
      expected: fixture.expected,
    },
    results,
    headline: {
      rxldap: headline.entriesPerSecond,
      rxldapDecoder: headline.name,
      fastestPeer: fastestPeer.name,
      fastestPeerEntriesPerSecond: fastestPeer.entriesPerSecond,
      ratio: Number(ratio.toFixed(3)),
      target: TARGET_RATIO,
      pass,
    },
  };
  const outFile = join(outDir, 'decode.json');
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${outFile}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
