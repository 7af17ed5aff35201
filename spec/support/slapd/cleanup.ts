/**
 * Making sure no slapd outlives the test run, whatever way the run ends:
 * - normal end: the mocha root hook and each test's stop() (instance.ts, shared.ts);
 * - process 'exit', SIGINT, SIGTERM, SIGHUP: a synchronous sweep of every live instance here;
 * - SIGKILL or a crash of node itself, where no handler runs: a detached watchdog shell per
 *   instance polls our pid and, once we are gone, stops that slapd and removes its dir.
 * slapd daemonizes into its own session, so a Ctrl-C on the terminal never reaches it: without
 * these it would keep its ports and temp dir until reboot.
 */
import { spawn } from 'node:child_process';
import { killProcessGroup, sweepOnExit } from '../exit-sweep';
import { rmSync } from 'node:fs';
import { terminateSync } from './process';

interface Tracked {
  dir: string;
  configDir: string;
  /** Set once slapd has written its pid file. */
  pid?: number;
  watchdogPid?: number | undefined;
}

const live = new Map<string, Tracked>();

const killWatchdog = (tracked: Tracked): void => {
  killProcessGroup(tracked.watchdogPid);
  tracked.watchdogPid = undefined;
};

/** Stops every tracked slapd now, synchronously. Safe to call more than once. */
export const sweepSync = (): void => {
  for (const tracked of live.values()) {
    if (tracked.pid !== undefined) terminateSync(tracked.pid, tracked.configDir);
    killWatchdog(tracked);
    rmSync(tracked.dir, { recursive: true, force: true });
  }
  live.clear();
};

/** Tracks a temp dir (and later its slapd) from the moment it exists. */
export const track = (dir: string, configDir: string): void => {
  sweepOnExit(sweepSync);
  live.set(dir, { dir, configDir });
};

// $1 owner pid, $2 slapd pid, $3 config dir, $4 instance dir. The state of a zombie owner is Z.
const WATCHDOG = `
owner_alive() { [ -r /proc/$1/stat ] && [ "$(sed 's/.*) //' /proc/$1/stat | cut -c1)" != Z ]; }
while owner_alive "$1"; do sleep 1; done
if tr '\\0' '\\n' < /proc/$2/cmdline 2>/dev/null | grep -qxF -- "$3"; then
  kill -TERM "$2"
  i=0; while kill -0 "$2" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  kill -KILL "$2" 2>/dev/null
fi
rm -rf -- "$4"
`;

/** Records the running slapd's pid and starts its watchdog. */
export const trackPid = (dir: string, pid: number): void => {
  const tracked = live.get(dir);
  if (tracked === undefined) return;
  tracked.pid = pid;
  if (process.platform !== 'linux') return;
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'rxldap-slapd-watchdog', String(process.pid), String(pid), tracked.configDir, dir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  tracked.watchdogPid = watchdog.pid;
};

/** Forgets an instance that was stopped the normal way. */
export const untrack = (dir: string): void => {
  const tracked = live.get(dir);
  if (tracked === undefined) return;
  killWatchdog(tracked);
  live.delete(dir);
};
