/**
 * LDIF parsing benchmark: rxldap's LdifReader (and parseLdif) next to the `ldif` package, the
 * LDIF parser on npm (a PEG grammar; it reads a whole string, no stream), on the same text:
 * `--entries` people as ldapsearch prints them (folded at 76, userPassword base64), made by
 * the tests' generatePeople and rxldap's writer. Every run's records are tallied (records,
 * values, value bytes) and must match the tally of the input. See bench/README.md.
 *
 *   node dist/bench/ldif-parse.js [--entries 100000] [--rounds 5] [--warmup 1] [--chunk-size 65536]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LDAPSEARCH_LDIF, LdifReader, formatLdif, parseLdif } from '../lib/ldif';
import type { LdifRecord } from '../lib/ldif';
import { generatePeople } from '../spec/support/data';
import { exitWithUsageOnHelp, integerOptions } from './support/cli';
import { findRepoRoot } from './support/decoders';
import { garbageCollector } from './support/gc';

/** rxldap's LdifReader must parse at least this many times as many entries per second as the peer. */
const TARGET_RATIO = 3;
const USAGE = 'usage: node dist/bench/ldif-parse.js [--entries N] [--rounds N] [--warmup N] [--chunk-size BYTES]';

interface Tally {
  records: number;
  values: number;
  bytes: number;
}

interface Parser {
  name: string;
  run(input: { text: string; chunks: readonly Buffer[] }): Promise<Tally>;
}

/** What the `ldif` package returns (lib/record.js), as far as the bench reads it. */
interface PeerModule {
  parse(text: string): { entries: Array<{ dn: string; attributes: Array<{ value: { value: string } }> }> };
}

const tallyRecord = (tally: Tally, record: LdifRecord): void => {
  tally.records++;
  if (record.type !== 'content') return;
  for (const attribute of record.attributes) {
    tally.values += attribute.vals.length;
    for (const value of attribute.vals) tally.bytes += value.length;
  }
};

const rxldapReader: Parser = {
  name: 'rxldap LdifReader',
  run: ({ chunks }) =>
    new Promise((resolve, reject) => {
      const tally: Tally = { records: 0, values: 0, bytes: 0 };
      const reader = new LdifReader();
      reader.on('data', (record: LdifRecord) => tallyRecord(tally, record));
      reader.on('error', reject);
      reader.on('end', () => resolve(tally));
      let next = 0;
      const write = (): void => {
        while (next < chunks.length) {
          if (!reader.write(chunks[next++])) {
            reader.once('drain', write);
            return;
          }
        }
        reader.end();
      };
      write();
    }),
};

const rxldapWhole: Parser = {
  name: 'rxldap parseLdif',
  run: ({ chunks }) => {
    const tally: Tally = { records: 0, values: 0, bytes: 0 };
    for (const record of parseLdif(Buffer.concat(chunks))) tallyRecord(tally, record);
    return Promise.resolve(tally);
  },
};

const peer = (): Parser => {
  const module = require('ldif') as PeerModule;
  return {
    name: 'ldif (npm)',
    run: ({ text }) => {
      const tally: Tally = { records: 0, values: 0, bytes: 0 };
      for (const entry of module.parse(text).entries) {
        tally.records++;
        for (const attribute of entry.attributes) {
          tally.values++;
          // The input is ASCII (ldapsearch's LDIF, base64 decoding to ASCII too): length is bytes.
          tally.bytes += attribute.value.value.length;
        }
      }
      return Promise.resolve(tally);
    },
  };
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { entries: { type: 'string' }, rounds: { type: 'string' }, warmup: { type: 'string' }, 'chunk-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  exitWithUsageOnHelp(values.help, USAGE);
  const integer = integerOptions(USAGE);
  const options = {
    entries: integer('entries', values.entries, 100_000, 1),
    rounds: integer('rounds', values.rounds, 5, 1),
    warmup: integer('warmup', values.warmup, 1, 0),
    chunkSize: integer('chunk-size', values['chunk-size'], 64 * 1024, 1),
  };
  const gc = garbageCollector();
  // ldapsearch's shape: entries read from generatePeople and written back the way ldapsearch writes them.
  const text = formatLdif(parseLdif(generatePeople(options.entries, { groupSize: 0 })), LDAPSEARCH_LDIF);
  const bytes = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += options.chunkSize) chunks.push(bytes.subarray(offset, offset + options.chunkSize));
  const expected: Tally = { records: 0, values: 0, bytes: 0 };
  for (const record of parseLdif(bytes)) tallyRecord(expected, record);
  console.log(
    `LDIF parse benchmark: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, load average ${loadavg()[0]!.toFixed(2)}; ` +
      `${expected.records.toLocaleString('en-US')} entries, ${(bytes.length / 1e6).toFixed(1)} MB of LDIF in ${chunks.length} chunks; ${options.warmup} warm-up, ${options.rounds} rounds`,
  );
  const parsers = [rxldapReader, rxldapWhole, peer()];
  const input = { text, chunks };
  const check = async (parser: Parser): Promise<number> => {
    gc();
    const started = performance.now();
    const tally = await parser.run(input);
    const ms = performance.now() - started;
    if (tally.records !== expected.records || tally.values !== expected.values || tally.bytes !== expected.bytes) {
      throw new Error(`${parser.name} read ${JSON.stringify(tally)}, expected ${JSON.stringify(expected)}`);
    }
    return ms;
  };
  for (let round = 0; round < options.warmup; round++) for (const parser of parsers) await check(parser);
  const times: number[][] = parsers.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, parser] of parsers.entries()) times[index]!.push(await check(parser));
    console.log(`  round ${round + 1}: ${parsers.map((parser, index) => `${parser.name} ${times[index]![round]!.toFixed(0)} ms`).join(' | ')}`);
  }
  const results = parsers.map((parser, index) => {
    const ms = median(times[index]!);
    return { name: parser.name, medianMs: ms, minMs: Math.min(...times[index]!), maxMs: Math.max(...times[index]!), entriesPerSecond: expected.records / (ms / 1000), mbPerSecond: bytes.length / 1e6 / (ms / 1000) };
  });
  for (const result of results) {
    console.log(`  ${result.name.padEnd(20)} ${Math.round(result.entriesPerSecond).toLocaleString('en-US').padStart(10)} entries/s  ${result.mbPerSecond.toFixed(1).padStart(6)} MB/s  (${result.minMs.toFixed(0)}..${result.maxMs.toFixed(0)} ms)`);
  }
  const ours = results[0]!;
  const theirs = results[2]!;
  const ratio = ours.entriesPerSecond / theirs.entriesPerSecond;
  const headline = { rxldap: ours.entriesPerSecond, peer: theirs.name, peerEntriesPerSecond: theirs.entriesPerSecond, ratio, target: TARGET_RATIO, pass: ratio >= TARGET_RATIO };
  console.log(`ldif parse: rxldap ${Math.round(ours.entriesPerSecond)} entries/s, peer (${theirs.name}) ${Math.round(theirs.entriesPerSecond)} entries/s, ratio ${ratio.toFixed(2)} (target ${TARGET_RATIO}) ${headline.pass ? 'PASS' : 'FAIL'}`);
  const outDir = join(findRepoRoot(), 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'ldif-parse.json'),
    `${JSON.stringify({ benchmark: 'ldif-parse', date: new Date().toISOString(), node: process.version, platform: `${platform()} ${arch()}`, options, inputBytes: bytes.length, expected, results, headline }, null, 2)}\n`,
  );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
