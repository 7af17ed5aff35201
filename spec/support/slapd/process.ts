/**
 * Watching and ending a daemonized slapd by its pid. slapd forks away from us, so there is no
 * ChildProcess to await: we poll. Two traps handled here:
 * - a killed process whose parent does not reap it stays a zombie, and kill(pid, 0) still
 *   succeeds on zombies, so /proc/<pid>/stat's state is read too;
 * - pids are reused, so before signalling we check /proc/<pid>/cmdline still names our
 *   instance's config dir.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const procState = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": comm may hold spaces or parentheses, the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
};

/** Running (not gone and not a zombie). */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else — alive, and not ours to judge.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const state = procState(pid);
  return state !== 'Z' && state !== 'X';
};

/** Whether pid is still the slapd serving `configDir` (true where /proc is unavailable). */
export const isOurSlapd = (pid: number, configDir: string): boolean => {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(configDir);
  } catch {
    return procState(pid) === undefined;
  }
};

const signal = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

/** SIGTERM, wait up to graceMs, then SIGKILL and wait for it to vanish. */
export const terminate = async (pid: number, configDir: string, graceMs = 10_000): Promise<void> => {
  if (!isOurSlapd(pid, configDir)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  if (!isAlive(pid)) return;
  signal(pid, 'SIGKILL');
  const hardDeadline = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < hardDeadline) await sleep(25);
  if (isAlive(pid)) throw new Error(`slapd ${pid} survived SIGKILL`);
};

/** Blocks the thread: only for process 'exit' and signal handlers, where nothing async runs. */
const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** terminate(), synchronously and with a shorter grace: we are on the way out. */
export const terminateSync = (pid: number, configDir: string, graceMs = 3_000): void => {
  if (!isOurSlapd(pid, configDir)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) sleepSync(20);
  if (isAlive(pid)) signal(pid, 'SIGKILL');
  const hardDeadline = Date.now() + 1_000;
  while (isAlive(pid) && Date.now() < hardDeadline) sleepSync(20);
};
