/**
 * The life of one started slapd after its first start: killed, restarted on the same ports
 * with the same config and data, paused and resumed, stopped for good. What a test of
 * reconnection and failover does to a server, in one place.
 *
 * The exit sweep and the watchdog (../rig-cleanup.ts) find slapd by its config dir on the
 * command line, not by pid, so a restarted slapd with a new pid is cleaned up like the first.
 */
import { rm } from 'node:fs/promises';
import { removeRig } from '../rig-cleanup';
import { isAlive, isStopped, signalProcess, threadStates, waitUntil } from '../process-state';
import { relaunch, type Endpoints, type Layout } from './launch';

/** Signals that do not end slapd: pause() and resume() are for those. */
const NOT_ENDING: readonly NodeJS.Signals[] = ['SIGSTOP', 'SIGCONT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGCHLD', 'SIGURG', 'SIGWINCH'];

export class SlapdLifecycle {
  private currentPid: number;
  private stopped = false;
  /** One change of state at a time: a test's finally { stop() } must not overtake its restart(). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly layout: Layout,
    private readonly endpoints: Endpoints,
    private readonly env: NodeJS.ProcessEnv,
    private readonly startTimeoutMs: number,
    pid: number,
  ) {
    this.currentPid = pid;
  }

  /** The pid of the current (or last) slapd process; a restart changes it. */
  get pid(): number {
    return this.currentPid;
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private assertNotStopped(what: string): void {
    if (this.stopped) throw new Error(`${what}: slapd in ${this.layout.dir} was stopped for good (its dir is gone)`);
  }

  /**
   * Sends `signal` and waits until slapd is really gone: every thread dead or a zombie (a
   * zombie holds no ports; init reaps it later). Removes the pid file it leaves behind. A
   * paused slapd is continued after a catchable signal so that it can act on it. Already down:
   * nothing to do.
   */
  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (NOT_ENDING.includes(signal)) return Promise.reject(new Error(`kill(${signal}) would not end slapd: use pause() and resume()`));
    return this.serially(() => this.killNow(signal));
  }

  private async killNow(signal: NodeJS.Signals): Promise<void> {
    this.assertNotStopped(`kill(${signal})`);
    const pid = this.currentPid;
    if (isAlive(pid)) {
      signalProcess(pid, signal);
      if (signal !== 'SIGKILL') signalProcess(pid, 'SIGCONT');
      // SIGTERM: slapd closes its connections and syncs the database, which takes a moment.
      await waitUntil(`slapd ${pid} to end after ${signal}`, () => !isAlive(pid), signal === 'SIGKILL' ? 5_000 : 15_000);
    }
    await rm(this.layout.pidFile, { force: true });
  }

  /**
   * Starts slapd again on the same ldap, ldaps and ldapi endpoints, with its config and data
   * as they are, and resolves once the rootdn can bind. A running slapd is first ended with
   * SIGTERM (a clean restart); after kill() it is simply started again.
   */
  restart(): Promise<void> {
    return this.serially(async () => {
      this.assertNotStopped('restart()');
      if (isAlive(this.currentPid)) await this.killNow('SIGTERM');
      this.currentPid = await relaunch(this.layout, this.endpoints, this.env, this.startTimeoutMs);
    });
  }

  /**
   * SIGSTOP, resolved once every thread has stopped. A paused slapd still has its listening
   * sockets, so the kernel completes TCP handshakes into the backlog and nothing answers: a
   * hung server, not a refusing one (kill() gives that).
   */
  pause(): Promise<void> {
    return this.serially(async () => {
      this.assertNotStopped('pause()');
      const pid = this.currentPid;
      if (!isAlive(pid)) throw new Error(`pause(): slapd ${pid} is not running`);
      signalProcess(pid, 'SIGSTOP');
      // kill() returns before every thread has stopped: wait until the kernel says they all have.
      await waitUntil(`every thread of slapd ${pid} to stop`, () => isStopped(pid), 5_000);
    });
  }

  /** SIGCONT, resolved once no thread is stopped any more. */
  resume(): Promise<void> {
    return this.serially(async () => {
      this.assertNotStopped('resume()');
      const pid = this.currentPid;
      signalProcess(pid, 'SIGCONT');
      await waitUntil(`every thread of slapd ${pid} to run again`, () => !threadStates(pid).includes('T'), 5_000);
    });
  }

  /** SIGTERM (and SIGCONT, for a paused one), SIGKILL after 10 s, then removes dir. Idempotent. */
  stop(): Promise<void> {
    if (this.stopped) return this.queue.then(() => undefined);
    this.stopped = true;
    return this.serially(async () => {
      await removeRig(this.layout.dir, [this.layout.configDir]);
    });
  }
}
