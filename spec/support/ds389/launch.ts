/**
 * Starting a created 389-ds instance on a free loopback port and waiting until the root DN can
 * bind. The port goes into dse.ldif right before each start (ns-slapd is stopped, so the file
 * is ours to edit): another process may take a port between our choosing it and ns-slapd
 * binding it, and then we try again with a fresh one.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePorts } from '../slapd/ports';
import { describeFailure, runTool } from '../slapd/tools';
import { endMarked } from '../rig-cleanup';
import { waitBindable, type Bindable } from '../wait-bindable';
import { tailOf } from './create';
import { DS_PATHS, withPort } from './layout';
import type { Ds389Layout } from './layout';

export interface Credentials {
  rootDN: string;
  rootPassword: string;
}

/** Sets the port, and refuses to start an instance that would listen beyond loopback. */
const configurePort = async (layout: Ds389Layout, port: number): Promise<void> => {
  const path = join(layout.configDir, 'dse.ldif');
  const dse = await readFile(path, 'utf8');
  if (!/^nsslapd-listenhost: 127\.0\.0\.1$/m.test(dse)) throw new Error(`${path} has no nsslapd-listenhost: 127.0.0.1; not starting it`);
  await writeFile(path, withPort(dse, port)); // rewriting keeps the file's owner (dirsrv)
};

const MAX_ATTEMPTS = 3;

/** Starts ns-slapd (it daemonizes) and returns its port and pid once the root DN can bind. */
export const launch = async (layout: Ds389Layout, credentials: Credentials, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ port: number; pid: number }> => {
  for (let attempt = 1; ; attempt++) {
    const [port] = (await freePorts(1)) as [number];
    await configurePort(layout, port);
    await rm(layout.pidFile, { force: true }); // a failed attempt's pid must not be read as this one's
    // The parent returns once the daemon has forked; -i names the pid file it writes.
    const started = await runTool(DS_PATHS.nsSlapd, ['-D', layout.configDir, '-i', layout.pidFile], { env, timeoutMs });
    const ready: Bindable =
      started.code === 0
        ? await waitBindable({ daemon: 'ns-slapd', pidFile: layout.pidFile, port, bindDN: credentials.rootDN, password: credentials.rootPassword, env, timeoutMs, pollMs: 50 })
        : { ok: false, pid: undefined, why: describeFailure(started), exited: true };
    if (ready.ok) return { port, pid: ready.pid };
    await endMarked([layout.configDir]);
    const errors = await tailOf(layout.errorLog);
    // Only a port someone else took is worth another try; a server that fails otherwise will not improve.
    const portTaken = ready.exited && /PR_Bind|in use/i.test(errors);
    if (portTaken && attempt < MAX_ATTEMPTS) continue;
    throw new Error(`ns-slapd did not start in ${layout.dir}: ${ready.why}\n--- the tail of its errors log:\n${errors}`);
  }
};
