import type { ContenderSummary } from './stats';

/**
 * The targets, each a ratio of two measurements taken side by side in one run, and
 * the line the bench prints for each: `name: rxldap X, peer Y, ratio R (target T) PASS|FAIL`.
 */

export interface Verdict {
  name: string;
  unit: string;
  rxldap: number;
  peerName: string;
  peer: number;
  /** rxldap / peer (or, for 'added', rxldap - peer). */
  ratio: number;
  comparison: '<=' | '>=';
  target: number;
  /** 'ratio': rxldap / peer; 'added': rxldap - peer in the unit; 'absolute': rxldap alone. */
  kind: 'ratio' | 'added' | 'absolute';
  pass: boolean;
  /** Peak RSS (median of the rounds, MiB) of both sides, when measured. */
  rxldapRssMiB?: number | undefined;
  peerRssMiB?: number | undefined;
  note?: string;
}

const decide = (value: number, comparison: '<=' | '>=', target: number): boolean =>
  Number.isFinite(value) && (comparison === '<=' ? value <= target : value >= target);

const format = (value: number, unit: string): string => {
  if (unit === 's') return `${(value / 1000).toFixed(3)} s`;
  if (unit === 'ops/s' || unit === 'entries/s') return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
  return `${value.toFixed(1)} ${unit}`;
};

/** Wall time of whole processes (unit 's', values in ms): lower is better. */
export const wallTimeRatio = (name: string, rxldap: ContenderSummary, peer: ContenderSummary, target: number): Verdict => {
  const ratio = rxldap.medianWallMs / peer.medianWallMs;
  const verdict: Verdict = {
    name, unit: 's', rxldap: rxldap.medianWallMs, peerName: peer.name, peer: peer.medianWallMs, ratio,
    comparison: '<=', target, kind: 'ratio', pass: decide(ratio, '<=', target),
    rxldapRssMiB: rxldap.medianRssMiB, peerRssMiB: peer.medianRssMiB,
  };
  if (rxldap.via !== undefined) verdict.note = `rxldap via ${rxldap.via}`;
  return verdict;
};

/**
 * Operations per second: higher is better. With the server's ceiling measured alongside, the
 * note says how much of the server's capacity each side reached, and the most any client could
 * show against this peer (ceiling / peer).
 */
export const throughputRatio = (name: string, rxldap: ContenderSummary, peer: ContenderSummary, target: number, ceiling?: ContenderSummary, operations?: number): Verdict => {
  const mine = rxldap.medianOpsPerSecond ?? Number.NaN;
  const theirs = peer.medianOpsPerSecond ?? Number.NaN;
  const ratio = mine / theirs;
  const verdict: Verdict = {
    name, unit: 'ops/s', rxldap: mine, peerName: peer.name, peer: theirs, ratio,
    comparison: '>=', target, kind: 'ratio', pass: decide(ratio, '>=', target),
    rxldapRssMiB: rxldap.medianRssMiB, peerRssMiB: peer.medianRssMiB,
  };
  const most = ceiling?.medianOpsPerSecond;
  if (most !== undefined) {
    const percent = (value: number): string => `${Math.round((value / most) * 100)}%`;
    verdict.note = `server ceiling ${Math.round(most).toLocaleString('en-US')} ops/s: rxldap reaches ${percent(mine)}, ${peer.name} ${percent(theirs)}; best possible ratio ${(most / theirs).toFixed(2)}`;
    const serverMs = ceiling?.medianServerCpuMs;
    // What bounds the ceiling: the server's own CPU per operation (the bind is noise beside it).
    if (serverMs !== undefined && operations !== undefined) verdict.note += `; slapd uses ${Math.round((serverMs * 1000) / operations)} µs of CPU per operation`;
  }
  return verdict;
};

export const peakRss = (name: string, rxldap: ContenderSummary, limitMiB: number): Verdict => {
  const value = rxldap.medianRssMiB ?? Number.NaN;
  return {
    name, unit: 'MiB', rxldap: value, peerName: 'limit', peer: limitMiB, ratio: value / limitMiB,
    comparison: '<=', target: limitMiB, kind: 'absolute', pass: decide(value, '<=', limitMiB),
    note: `largest of the rounds ${rxldap.maxRssMiB?.toFixed(1) ?? 'n/a'} MiB`,
  };
};

/**
 * Peak RSS of one rxldap job over another's, both measured in the same rounds (median of each):
 * how much more memory `rxldap` needs than `baseline` for the same search.
 */
export const peakRssRatio = (name: string, rxldap: ContenderSummary, baseline: ContenderSummary, target: number, note?: string): Verdict => {
  const mine = rxldap.medianRssMiB ?? Number.NaN;
  const theirs = baseline.medianRssMiB ?? Number.NaN;
  const ratio = mine / theirs;
  const verdict: Verdict = {
    name, unit: 'MiB', rxldap: mine, peerName: baseline.name, peer: theirs, ratio,
    comparison: '<=', target, kind: 'ratio', pass: decide(ratio, '<=', target),
  };
  if (note !== undefined) verdict.note = note;
  return verdict;
};

/** What loading rxldap adds to a bare node start (ms). */
export const addedTime = (name: string, withRxldap: ContenderSummary, bare: ContenderSummary, limitMs: number): Verdict => {
  const added = withRxldap.medianWallMs - bare.medianWallMs;
  return {
    name, unit: 'ms', rxldap: withRxldap.medianWallMs, peerName: bare.name, peer: bare.medianWallMs, ratio: added,
    comparison: '<=', target: limitMs, kind: 'added', pass: decide(added, '<=', limitMs),
    rxldapRssMiB: withRxldap.medianRssMiB, peerRssMiB: bare.medianRssMiB,
  };
};

/** One line per target, in the format, with peak RSS where it was measured. */
export const describe = (verdict: Verdict): string => {
  const op = verdict.comparison === '<=' ? '≤' : '≥';
  const value = (n: number): string => (verdict.unit === 'ms' ? `${n.toFixed(1)} ms` : format(n, verdict.unit));
  const rss = verdict.rxldapRssMiB !== undefined
    ? `; peak RSS rxldap ${verdict.rxldapRssMiB.toFixed(1)} MiB, ${verdict.peerName} ${verdict.peerRssMiB?.toFixed(1) ?? 'n/a'} MiB`
    : '';
  const note = verdict.note !== undefined ? ` [${verdict.note}]` : '';
  const result = verdict.pass ? 'PASS' : 'FAIL';
  switch (verdict.kind) {
    case 'absolute':
      return `${verdict.name}: rxldap ${value(verdict.rxldap)} (target ${op} ${value(verdict.target)}) ${result}${note}`;
    case 'added':
      return `${verdict.name}: rxldap ${value(verdict.rxldap)}, peer (${verdict.peerName}) ${value(verdict.peer)}, added ${value(verdict.ratio)} (target ${op} ${value(verdict.target)}) ${result}${rss}${note}`;
    case 'ratio':
      return `${verdict.name}: rxldap ${value(verdict.rxldap)}, peer (${verdict.peerName}) ${value(verdict.peer)}, ratio ${verdict.ratio.toFixed(2)} (target ${op} ${verdict.target}) ${result}${rss}${note}`;
  }
};
