/** The sync bench's table and targets (issue 15's "What it must show"). */
import type { Measured } from '../support/measure';
import type { StoreKind } from './job';

export interface Row {
  store: StoreKind;
  initial: Measured;
  progressEvents: number;
  resume?: Measured;
  changed?: Measured;
  diskBytes?: number;
  live?: {
    writesPerSecond: number;
    count: number;
    /** Lag from the write's request to the commit (counts the writes queued in slapd). */
    p50: number;
    p99: number;
    max: number;
    ratePerSecond: number;
    /** Lag from slapd's answer to the write (the change exists) to the commit: what the target judges. */
    fromAnswer: { p50: number; p99: number; max: number };
  };
}

export interface SizeReport {
  entries: number;
  ldapsearch: Measured;
  python: Measured | undefined;
  rows: Row[];
}

export interface ScaleRow {
  store: 'file' | 'sqlite';
  entries: number;
  build?: Measured;
  read?: Measured;
  counted?: number;
  failure?: string;
}

const s = (run: Measured | undefined): string => (run === undefined ? '–' : `${(run.wallMs / 1000).toFixed(2)} s`);
const mib = (run: Measured | undefined): string => (run?.maxRssKiB === undefined ? '–' : `${Math.round(run.maxRssKiB / 1024)} MiB`);
const timed = (run: Measured | undefined): string => (run === undefined ? '–' : `${s(run)}, ${mib(run)}`);

interface Target {
  line: string;
  pass: boolean | undefined;
}

const targets = (sizes: readonly SizeReport[]): Target[] => {
  const result: Target[] = [];
  const sqlite = (size: SizeReport | undefined): Row | undefined => size?.rows.find((row) => row.store === 'sqlite');
  const sorted = [...sizes].sort((a, b) => a.entries - b.entries);
  const small = sorted[0];
  const large = sorted[sorted.length - 1];
  const big = sqlite(large);
  if (big !== undefined && large !== undefined) {
    const peak = Math.max(...[big.initial, big.resume, big.changed].map((run) => run?.maxRssKiB ?? 0)) / 1024;
    result.push({ line: `peak RSS at ${large.entries.toLocaleString('en')} (sqlite, any run): ${peak.toFixed(0)} MiB (target < 200)`, pass: peak < 200 });
    const smallRow = small === large ? undefined : sqlite(small);
    if (smallRow !== undefined && small !== undefined) {
      const smallPeak = Math.max(...[smallRow.initial, smallRow.resume, smallRow.changed].map((run) => run?.maxRssKiB ?? 0)) / 1024;
      result.push({ line: `peak RSS ${large.entries.toLocaleString('en')} / ${small.entries.toLocaleString('en')}: ${(peak / smallPeak).toFixed(2)} (target <= 1.25)`, pass: peak / smallPeak <= 1.25 });
    }
    const vsC = big.initial.wallMs / large.ldapsearch.wallMs;
    result.push({ line: `initial sync (sqlite) / ldapsearch -E sync=ro: ${vsC.toFixed(2)} (target <= 3)`, pass: vsC <= 3 });
    if (large.python !== undefined) {
      const vsPython = large.python.wallMs / big.initial.wallMs;
      result.push({ line: `python-ldap / initial sync (sqlite): ${vsPython.toFixed(2)}x faster (target >= 3)`, pass: vsPython >= 3 });
    } else result.push({ line: 'python-ldap: not available, no ratio', pass: undefined });
    if (big.resume !== undefined) result.push({ line: `resume with nothing changed (sqlite): ${s(big.resume)} (target < 2 s)`, pass: big.resume.wallMs < 2000 });
    if (big.live !== undefined) {
      const { live } = big;
      result.push({
        line: `live lag p99 (sqlite), from slapd's answer to the write: ${live.fromAnswer.p99.toFixed(1)} ms at ${live.writesPerSecond.toFixed(0)} writes/s, applied ${live.ratePerSecond.toFixed(0)}/s (target < 100 ms; from the request: ${live.p99.toFixed(1)} ms)`,
        pass: live.fromAnswer.p99 < 100,
      });
    }
  }
  return result;
};

/** Prints the table (Markdown) and the targets; returns the same lines. */
export const printReport = (sizes: readonly SizeReport[], scale: readonly ScaleRow[]): string[] => {
  const lines: string[] = [];
  lines.push('', '| entries | contender | initial sync | resume, nothing changed | resume after 1,000 modifies + 100 deletes | live: lag p50 / p99 / max from slapd\'s answer, at writes/s | store on disk |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const size of sizes) {
    const n = size.entries.toLocaleString('en');
    lines.push(`| ${n} | \`ldapsearch -E sync=ro\` | ${timed(size.ldapsearch)} | | | | |`);
    lines.push(`| ${n} | python-ldap SyncreplConsumer (counting) | ${size.python === undefined ? 'n/a' : timed(size.python)} | | | | |`);
    for (const row of size.rows) {
      const live = row.live === undefined ? '–' : `${row.live.fromAnswer.p50.toFixed(1)} / ${row.live.fromAnswer.p99.toFixed(1)} / ${row.live.fromAnswer.max.toFixed(1)} ms at ${row.live.writesPerSecond.toFixed(0)}/s (from the request: p99 ${row.live.p99.toFixed(1)} ms)`;
      const disk = row.diskBytes === undefined ? '–' : `${(row.diskBytes / 1e6).toFixed(0)} MB`;
      lines.push(`| ${n} | SyncReplConsumer, ${row.store} store | ${timed(row.initial)} | ${timed(row.resume)} | ${timed(row.changed)} | ${live} | ${disk} |`);
    }
  }
  if (scale.length > 0) {
    lines.push('', '| store | entries | build through commit() | open and read back all | entries read |', '| --- | --- | --- | --- | --- |');
    for (const row of scale) {
      lines.push(row.failure === undefined
        ? `| ${row.store} | ${row.entries.toLocaleString('en')} | ${timed(row.build)} | ${timed(row.read)} | ${row.counted?.toLocaleString('en')} |`
        : `| ${row.store} | ${row.entries.toLocaleString('en')} | FAILED: ${row.failure.split('\n')[0]} | | |`);
    }
  }
  lines.push('');
  for (const target of targets(sizes)) lines.push(`${target.line} ${target.pass === undefined ? '' : target.pass ? 'PASS' : 'FAIL'}`);
  for (const line of lines) console.log(line);
  return lines;
};
