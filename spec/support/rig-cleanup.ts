/**
 * Making sure no throw-away server (slapd, 389-ds) or its temp dir outlives the test run,
 * whatever way the run ends. Servers daemonize into their own session, so a Ctrl-C on the
 * terminal never reaches them: without this they would keep their ports and dirs until reboot.
 *
 * A rig's processes are found by their command line, which names the instance's files as whole
 * arguments (slapd and the slap* tools: `-F <dir>/slapd.d`; ns-slapd: `-D <dir>/etc/…`; dscreate:
 * its answer file), never by a remembered pid: a server that was killed and restarted has a new
 * pid, dscreate starts and stops a server of its own, and a pid may be reused by a stranger.
 *
 * - normal end: each instance's stop() (removeRig: endMarked, then untrackRig);
 * - process 'exit', SIGINT, SIGTERM, SIGHUP: a synchronous sweep of every tracked instance;
 * - SIGKILL or a crash of node, where no handler runs: a detached watchdog shell per instance
 *   notices our pid is gone, ends that instance's processes and removes its dir.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { killProcessGroup, sweepOnExit } from './exit-sweep';
import { isAlive, signalProcess, sleepSync } from './process-state';

/** Whole command-line arguments that mark one instance's processes: one or two. */
export type Markers = readonly [string] | readonly [string, string];

interface Tracked {
  dir: string;
  markers: Markers;
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
  for (const pid of pids) signalProcess(pid, sig);
};

/**
 * SIGTERM, then SIGCONT so a server paused with SIGSTOP acts on it; up to graceMs for a clean
 * shutdown, then SIGKILL; synchronous, for the exit path.
 */
export const endMarkedSync = (markers: readonly string[], graceMs = 3_000): void => {
  const pids = processesMarkedBy(markers);
  if (pids.length === 0) return;
  signalAll(pids, 'SIGTERM');
  signalAll(pids, 'SIGCONT');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) sleepSync(20);
  signalAll(pids.filter(isAlive), 'SIGKILL');
  const hardDeadline = Date.now() + 1_000;
  while (pids.some(isAlive) && Date.now() < hardDeadline) sleepSync(20);
};

/** endMarkedSync without blocking, with a longer grace (ns-slapd flushes its database on SIGTERM); throws if one survives SIGKILL. */
export const endMarked = async (markers: readonly string[], graceMs = 10_000): Promise<void> => {
  const pids = processesMarkedBy(markers);
  if (pids.length === 0) return;
  signalAll(pids, 'SIGTERM');
  signalAll(pids, 'SIGCONT');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(25);
  signalAll(pids.filter(isAlive), 'SIGKILL');
  const hardDeadline = Date.now() + 5_000;
  while (pids.some(isAlive) && Date.now() < hardDeadline) await sleep(25);
  const survivors = pids.filter(isAlive);
  if (survivors.length > 0) throw new Error(`processes ${survivors.join(', ')} (${markers.join(', ')}) survived SIGKILL`);
};

const killWatchdog = (tracked: Tracked): void => {
  killProcessGroup(tracked.watchdogPid);
  tracked.watchdogPid = undefined;
};

/** Ends every tracked instance now, synchronously. Safe to call more than once. */
const sweepSync = (): void => {
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
      if [ "$arg" = "$RIG_MARK1" ] || [ "$arg" = "$RIG_MARK2" ]; then echo "\${p#/proc/}"; break; fi
    done
  done
}
any_alive() { for pid in $1; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
while owner_alive "$RIG_OWNER"; do sleep 1; done
pids=$(marked)
if [ -n "$pids" ]; then
  kill -TERM $pids 2>/dev/null
  kill -CONT $pids 2>/dev/null
  i=0; while any_alive "$pids" && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  kill -KILL $pids 2>/dev/null
fi
rm -rf -- "$RIG_DIR"
`;

const startWatchdog = (tracked: Tracked): void => {
  if (process.platform !== 'linux') return;
  const [mark1, mark2 = mark1] = tracked.markers;
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'rxldap-rig-watchdog'], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', RIG_OWNER: String(process.pid), RIG_MARK1: mark1, RIG_MARK2: mark2, RIG_DIR: tracked.dir },
  });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  tracked.watchdogPid = watchdog.pid;
};

/** Tracks an instance dir from the moment it exists, before any of its processes start. */
export const trackRig = (dir: string, markers: Markers): void => {
  sweepOnExit(sweepSync);
  const tracked: Tracked = { dir, markers };
  live.set(dir, tracked);
  startWatchdog(tracked);
};

/** Forgets an instance that was stopped the normal way. */
export const untrackRig = (dir: string): void => {
  const tracked = live.get(dir);
  if (tracked === undefined) return;
  killWatchdog(tracked);
  live.delete(dir);
};

/** The normal end of an instance, or of one that failed to start: its processes, its tracking, its dir. */
export const removeRig = async (dir: string, markers: readonly string[]): Promise<void> => {
  await endMarked(markers);
  untrackRig(dir);
  await rm(dir, { recursive: true, force: true });
};
