/**
 * Watching daemons we did not spawn as children (slapd and ns-slapd fork away from us, so there
 * is no ChildProcess to await: we poll /proc). Traps handled here:
 * - a killed process whose parent does not reap it stays a zombie, and kill(pid, 0) still
 *   succeeds on zombies, so the state in /proc is read too;
 * - after SIGKILL the thread-group leader can be a zombie while other threads are still
 *   tearing down (holding the ports), so "gone" means every thread is Z or X, not just the leader;
 * - SIGSTOP returns before every thread has stopped, so "stopped" means every thread says T.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The state letter of a /proc stat line: "pid (comm) S ...", comm may hold spaces or ')'. */
const stateOf = (stat: string): string => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);

/** The state of each thread of pid; empty when the process is gone (or /proc is unavailable). */
export const threadStates = (pid: number): string[] => {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const states: string[] = [];
  for (const task of tasks) {
    try {
      states.push(stateOf(readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8')));
    } catch {
      // this thread ended while we listed them
    }
  }
  return states;
};

const exists = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Running: it exists and at least one of its threads is neither a zombie nor dead. */
export const isAlive = (pid: number): boolean => {
  if (!exists(pid)) return false;
  const states = threadStates(pid);
  // No /proc to read (not Linux): kill(pid, 0) is all we know.
  if (states.length === 0) return process.platform !== 'linux';
  return states.some((state) => state !== 'Z' && state !== 'X');
};

/** Every thread of pid is stopped (SIGSTOP took effect everywhere). False when it is gone. */
export const isStopped = (pid: number): boolean => {
  const states = threadStates(pid);
  return states.length > 0 && states.every((state) => state === 'T');
};

/** Sends sig; a process that is already gone is not an error. */
export const signalProcess = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

/** Polls condition every 10 ms; throws naming `what` if it is still false after timeoutMs. */
export const waitUntil = async (what: string, condition: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(10);
  }
};

/** Blocks the thread: only for process 'exit' and signal handlers, where nothing async runs. */
export const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** The pid a daemon wrote to its pid file, or undefined when there is none (yet). */
export const readPidFile = async (pidFile: string): Promise<number | undefined> => {
  const pid = Number.parseInt((await readFile(pidFile, 'utf8').catch(() => '')).trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};
