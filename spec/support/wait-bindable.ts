/**
 * Waiting for a freshly started daemon (slapd, ns-slapd) to serve: its pid file names a live
 * process, its port accepts connections, and the administrator can bind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, readPidFile } from './process-state';
import { canConnect, LOOPBACK } from './slapd/ports';
import { describeFailure, runTool } from './slapd/tools';

export type Bindable = { ok: true; pid: number } | { ok: false; pid: number | undefined; why: string; exited: boolean };

export interface BindableTarget {
  /** For messages: 'slapd', 'ns-slapd'. */
  daemon: string;
  pidFile: string;
  port: number;
  bindDN: string;
  password: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** How long to sleep between two looks. */
  pollMs: number;
}

/** Polls until the target serves, or says why not: it exited, or was not ready in time. */
export const waitBindable = async (target: BindableTarget): Promise<Bindable> => {
  const url = `ldap://${LOOPBACK}:${target.port}`;
  const deadline = Date.now() + target.timeoutMs;
  let why = 'no pid file';
  let pid: number | undefined;
  while (Date.now() < deadline) {
    pid ??= await readPidFile(target.pidFile);
    if (pid !== undefined && !isAlive(pid)) return { ok: false, pid, why: `${target.daemon} ${pid} exited`, exited: true };
    if (pid !== undefined && (await canConnect(target.port))) {
      const whoami = await runTool('ldapwhoami', ['-x', '-H', url, '-D', target.bindDN, '-w', target.password], { env: target.env, timeoutMs: 5_000 });
      if (whoami.code === 0) return { ok: true, pid };
      why = describeFailure(whoami);
    } else if (pid !== undefined) {
      why = `nothing accepts connections on ${url}`;
    }
    await sleep(target.pollMs);
  }
  return { ok: false, pid, why: `not ready after ${target.timeoutMs} ms: ${why}`, exited: false };
};
