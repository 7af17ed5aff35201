import type { JobResult } from '../clients/job';

/** One timed process of one contender. */
export interface ProcessRun {
  round: number;
  wallMs: number;
  maxRssKiB: number | undefined;
  /** The client process's user + system CPU, in ms. */
  cpuMs?: number | undefined;
  /** The server's CPU while this client ran, in ms. */
  serverCpuMs?: number | undefined;
  /** What a node client reported (absent for ldapsearch and the import probe). */
  result?: JobResult;
  /** operations / operationsMs, for the small-operation scenarios. */
  opsPerSecond?: number;
}

/** All timed runs of one contender in one scenario, and their medians. */
export interface ContenderSummary {
  name: string;
  runs: ProcessRun[];
  medianWallMs: number;
  minWallMs: number;
  maxWallMs: number;
  medianRssMiB: number | undefined;
  maxRssMiB: number | undefined;
  medianOpsPerSecond: number | undefined;
  medianCpuMs: number | undefined;
  medianServerCpuMs: number | undefined;
  via: string | undefined;
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const mib = (kib: number): number => kib / 1024;

export const summarize = (name: string, runs: ProcessRun[]): ContenderSummary => {
  const walls = runs.map((run) => run.wallMs);
  const rss = runs.flatMap((run) => (run.maxRssKiB === undefined ? [] : [run.maxRssKiB]));
  const ops = runs.flatMap((run) => (run.opsPerSecond === undefined ? [] : [run.opsPerSecond]));
  const defined = (values: readonly (number | undefined)[]): number | undefined => {
    const known = values.filter((value): value is number => value !== undefined);
    return known.length === 0 ? undefined : median(known);
  };
  return {
    name,
    runs,
    medianWallMs: median(walls),
    minWallMs: Math.min(...walls),
    maxWallMs: Math.max(...walls),
    medianRssMiB: rss.length === 0 ? undefined : mib(median(rss)),
    maxRssMiB: rss.length === 0 ? undefined : mib(Math.max(...rss)),
    medianOpsPerSecond: ops.length === 0 ? undefined : median(ops),
    medianCpuMs: defined(runs.map((run) => run.cpuMs)),
    medianServerCpuMs: defined(runs.map((run) => run.serverCpuMs)),
    via: runs.find((run) => run.result?.via !== undefined)?.result?.via,
  };
};
