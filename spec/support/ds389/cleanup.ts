/**
 * Making sure no 389-ds process or temp dir outlives the test run, whatever way the run ends —
 * the same paths as the slapd rig (spec/support/slapd/cleanup.ts), with one difference: an
 * instance is tracked from before dscreate runs, and dscreate starts and stops a server of its
 * own in the middle, so there is not always a pid to remember. Instead every process is found by
 * its command line, which names the instance's files as whole arguments: dscreate has the
 * answer file (`dscreate -v from-file <dir>/inst.inf`), ns-slapd the config dir (`-D <dir>/…`).
 *
 * - normal end: stop() of the instance and of the shared one (instance.ts, shared.ts);
 * - process 'exit', SIGINT, SIGTERM, SIGHUP: a synchronous sweep of every tracked instance;
 * - SIGKILL or a crash of node: a detached watchdog shell per instance notices our pid is gone,
 *   ends that instance's processes and removes its dir.
 */
import { spawn } from 'node:child_process';
import { killProcessGroup, sweepOnExit } from '../exit-sweep';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../slapd/process';

interface Tracked {
  dir: string;
  /** Whole command-line arguments that mark this instance's processes. */
  markers: readonly string[];
  watchdogPid?: number | undefined;
}

const live = new Map<string, Tracked>();

/** Pids (not ours) whose command line has one of `markers` as a whole argument. */
export const processesMarkedBy = (markers: readonly string[]): number[] => {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (args.some((arg) => markers.includes(arg))) pids.push(Number(name));
  }
  return pids;
};

const signalAll = (pids: readonly number[], sig: NodeJS.Signals): void => {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
};

/** Blocks the thread: only for process 'exit' and signal handlers, where nothing async runs. */
const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** SIGTERM, up to graceMs for a clean shutdown, then SIGKILL; synchronous. */
export const endMarkedSync = (markers: readonly string[], graceMs = 3_000): void => {
  const pids = processesMarkedBy(markers);
  if (pids.length === 0) return;
  signalAll(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) sleepSync(20);
  signalAll(pids.filter(isAlive), 'SIGKILL');
  const hardDeadline = Date.now() + 1_000;
  while (pids.some(isAlive) && Date.now() < hardDeadline) sleepSync(20);
};

/** endMarkedSync without blocking, with a longer grace: ns-slapd flushes its database on SIGTERM. */
export const endMarked = async (markers: readonly string[], graceMs = 10_000): Promise<void> => {
  const pids = processesMarkedBy(markers);
  if (pids.length === 0) return;
  signalAll(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(25);
  signalAll(pids.filter(isAlive), 'SIGKILL');
  const hardDeadline = Date.now() + 5_000;
  while (pids.some(isAlive) && Date.now() < hardDeadline) await sleep(25);
  const survivors = pids.filter(isAlive);
  if (survivors.length > 0) throw new Error(`389-ds processes ${survivors.join(', ')} survived SIGKILL`);
};

const killWatchdog = (tracked: Tracked): void => {
  killProcessGroup(tracked.watchdogPid);
  tracked.watchdogPid = undefined;
};

/** Ends every tracked instance now, synchronously. Safe to call more than once. */
export const sweepSync = (): void => {
  for (const tracked of live.values()) {
    endMarkedSync(tracked.markers);
    killWatchdog(tracked);
    rmSync(tracked.dir, { recursive: true, force: true });
  }
  live.clear();
};

/*
 * The markers come through the environment, not argv: otherwise the watchdog (and the programs
 * it runs) would carry them on their own command lines and find themselves. `[` and `read` are
 * shell builtins, so no process is started with a marker as an argument. The state of a zombie
 * owner is Z.
 */
const WATCHDOG = `
owner_alive() { [ -r /proc/$1/stat ] && [ "$(sed 's/.*) //' /proc/$1/stat | cut -c1)" != Z ]; }
marked() {
  for p in /proc/[0-9]*; do
    tr '\\0' '\\n' < "$p/cmdline" 2>/dev/null | while IFS= read -r arg; do
      if [ "$arg" = "$DS_MARK1" ] || [ "$arg" = "$DS_MARK2" ]; then echo "\${p#/proc/}"; break; fi
    done
  done
}
any_alive() { for pid in $1; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
while owner_alive "$DS_OWNER"; do sleep 1; done
pids=$(marked)
if [ -n "$pids" ]; then
  kill -TERM $pids 2>/dev/null
  i=0; while any_alive "$pids" && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  kill -KILL $pids 2>/dev/null
fi
rm -rf -- "$DS_DIR"
`;

const startWatchdog = (tracked: Tracked): void => {
  if (process.platform !== 'linux') return;
  const [mark1 = '', mark2 = mark1] = tracked.markers;
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'rxldap-ds389-watchdog'], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', DS_OWNER: String(process.pid), DS_MARK1: mark1, DS_MARK2: mark2, DS_DIR: tracked.dir },
  });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  tracked.watchdogPid = watchdog.pid;
};

/** Tracks an instance dir from the moment it exists; `markers` are at most two whole arguments. */
export const track = (dir: string, markers: readonly [string, string]): void => {
  sweepOnExit(sweepSync);
  const tracked: Tracked = { dir, markers };
  live.set(dir, tracked);
  startWatchdog(tracked);
};

/** Forgets an instance that was stopped the normal way. */
export const untrack = (dir: string): void => {
  const tracked = live.get(dir);
  if (tracked === undefined) return;
  killWatchdog(tracked);
  live.delete(dir);
};
