import { spawn, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs one client as a process of its own and measures what the issue measures: the whole
 * process's wall time (spawn to exit, seen from this parent) and its peak resident set size,
 * as GNU time reports it (getrusage of the child: ru_maxrss, in KiB). Also the CPU time the
 * child used, and the CPU time the server used meanwhile: on two cores the server's share
 * decides how fast any client can be.
 */

export interface Measured {
  wallMs: number;
  /** Peak RSS in KiB, or undefined when GNU time is not available. */
  maxRssKiB: number | undefined;
  /** User + system CPU of the child in ms (GNU time), or undefined without GNU time. */
  cpuMs: number | undefined;
  /** CPU the server process used while the child ran, in ms, when its pid was given. */
  serverCpuMs: number | undefined;
  /** The child's stdout (empty when it went to /dev/null). */
  stdout: string;
}

export interface RunSpec {
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Send stdout to /dev/null instead of collecting it (ldapsearch's LDIF). */
  discardStdout?: boolean;
  /** Killed after this long, so a stuck client fails the bench instead of hanging it. */
  timeoutMs?: number;
}

const GNU_TIME = '/usr/bin/time';

/** Whether /usr/bin/time is GNU time (it takes -f and -o; busybox's and BSD's differ). */
export const hasGnuTime = (): boolean => {
  try {
    accessSync(GNU_TIME, constants.X_OK);
  } catch {
    return false;
  }
  const probe = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+\s*$/.test(probe.stderr.trim().split('\n').pop() ?? '');
};

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ). */
const clockTicks = ((): number => {
  const probe = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number.parseInt(probe.stdout ?? '', 10);
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** utime + stime of a process (all its threads) in ms, or undefined if it cannot be read. */
export const processCpuMs = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
};

const scratch = mkdtempSync(join(tmpdir(), 'rxldap-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

/** Spawns `spec`, waits for it, and throws with its stderr if it fails. */
export const measure = (spec: RunSpec, gnuTime: boolean, serverPid?: number): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const rssFile = join(scratch, `rss-${runs++}`);
    const [file, args] = gnuTime
      ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, spec.command, ...spec.args]]
      : [spec.command, [...spec.args]];
    const devNull = spec.discardStdout === true ? openSync('/dev/null', 'w') : undefined;
    const serverBefore = serverPid === undefined ? undefined : processCpuMs(serverPid);
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { env: spec.env ?? process.env, stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
    if (devNull !== undefined) closeSync(devNull);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs ?? 300_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const serverAfter = serverPid === undefined ? undefined : processCpuMs(serverPid);
      const serverCpuMs = serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore;
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) {
        reject(new Error(`${spec.command} ${spec.args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`));
        return;
      }
      let maxRssKiB: number | undefined;
      let cpuMs: number | undefined;
      if (gnuTime) {
        const [rss, user, system] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
        rmSync(rssFile, { force: true });
        maxRssKiB = Number.isFinite(rss) ? rss : undefined;
        cpuMs = Number.isFinite(user) && Number.isFinite(system) ? (user! + system!) * 1000 : undefined;
      }
      resolve({ wallMs, maxRssKiB, cpuMs, serverCpuMs, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
