/**
 * Building an instance directory and getting slapd to answer in it. Layout of the dir:
 *   slapd.d/  cn=config made by slapadd -n0      data/   the mdb database
 *   tls/      CA, server key and certificate       ldapi   the unix socket
 *   slapd.pid, slapd.args, config.ldif, data.ldif, ldap.conf (empty: isolates the CLI tools)
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configLdif, passwordPolicyLdif } from './config';
import type { PasswordPolicyOptions } from './config';
import { freePorts, LOOPBACK } from './ports';
import { endMarked } from '../rig-cleanup';
import { waitBindable, type Bindable } from '../wait-bindable';
import { createTestCertificates } from './tls';
import { describeFailure, MODULE_DIR, requireSuccess, runTool, SCHEMA_DIR, SLAPADD, SLAPD, SLAPPASSWD } from './tools';

export interface Layout {
  dir: string;
  configDir: string;
  socketPath: string;
  pidFile: string;
  baseDN: string;
  adminDN: string;
  adminPassword: string;
  externalDN: string;
}

export interface PrepareOptions {
  ldif: string;
  logLevel: string;
  sizeLimit: number;
  maxPending: number;
  extraLimits: readonly string[];
  ppolicy: PasswordPolicyOptions | undefined;
}

export const externalDN = (): string => {
  // process.getuid exists on POSIX only; slapd and ldapi do too.
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return `gidNumber=${gid}+uidNumber=${uid},cn=peercred,cn=external,cn=auth`;
};

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** Certificates, cn=config and the data, all offline. Returns the CA certificate's path. */
export const prepare = async (layout: Layout, options: PrepareOptions): Promise<string> => {
  const { dir, configDir } = layout;
  await Promise.all([mkdir(configDir), mkdir(join(dir, 'data'))]);
  const [tls, hash, sssvlvSo, sssvlvLa] = await Promise.all([
    createTestCertificates(join(dir, 'tls')),
    runTool(SLAPPASSWD, ['-s', layout.adminPassword]).then((r) => requireSuccess(r).stdout.trim()),
    exists(join(MODULE_DIR, 'sssvlv.so')),
    exists(join(MODULE_DIR, 'sssvlv.la')),
  ]);
  const config = configLdif({
    dir, baseDN: layout.baseDN, adminDN: layout.adminDN, adminPasswordHash: hash, externalDN: layout.externalDN,
    certPath: tls.certPath, keyPath: tls.keyPath, caCertPath: tls.caCertPath,
    schemaDir: SCHEMA_DIR, moduleDir: MODULE_DIR, withSssvlv: sssvlvSo || sssvlvLa,
    logLevel: options.logLevel, sizeLimit: options.sizeLimit, maxPending: options.maxPending,
    extraLimits: options.extraLimits, ppolicy: options.ppolicy,
  });
  await Promise.all([
    writeFile(join(dir, 'config.ldif'), config),
    writeFile(join(dir, 'data.ldif'), options.ppolicy === undefined ? options.ldif : `${options.ldif}\n${passwordPolicyLdif(layout.baseDN, options.ppolicy)}`),
    writeFile(join(dir, 'ldap.conf'), '# empty on purpose: the CLI tools get their settings from the environment\n'),
  ]);
  requireSuccess(await runTool(SLAPADD, ['-n0', '-F', configDir, '-l', join(dir, 'config.ldif')], { cwd: dir }));
  // -q skips consistency checks and the transaction log: the fast path for a fresh database.
  // Its time grows with the data (a benchmark loads a million entries): 30 s, plus 2 s per MB.
  const slapaddTimeoutMs = 30_000 + Math.ceil(options.ldif.length / 1_000_000) * 2000;
  requireSuccess(await runTool(SLAPADD, ['-q', '-n1', '-F', configDir, '-l', join(dir, 'data.ldif')], { cwd: dir, timeoutMs: slapaddTimeoutMs }));
  return tls.caCertPath;
};

export interface Endpoints {
  port: number;
  ldapsPort: number;
  url: string;
  ldapsUrl: string;
  ldapiUrl: string;
}

export const endpointsOf = (port: number, ldapsPort: number, socketPath: string): Endpoints => ({
  port,
  ldapsPort,
  url: `ldap://${LOOPBACK}:${port}`,
  ldapsUrl: `ldaps://${LOOPBACK}:${ldapsPort}`,
  // OpenLDAP's ldapi form: the socket path, percent-encoded, where a host name would go.
  ldapiUrl: `ldapi://${encodeURIComponent(socketPath)}`,
});

const listenArg = (e: Endpoints): string => `${e.url}/ ${e.ldapsUrl}/ ${e.ldapiUrl}/`;

/**
 * slapd in the foreground with debug output, for a few seconds: the daemon's own messages go
 * to syslog, which a test machine often does not keep, so this is how we learn why it failed.
 * `transient` when it ran until we stopped it: whatever failed before (a port taken for a
 * moment) is gone, and another attempt will likely work.
 */
const diagnose = async (layout: Layout, e: Endpoints): Promise<{ output: string; transient: boolean }> => {
  const run = await runTool(SLAPD, ['-d', '1', '-h', listenArg(e), '-F', layout.configDir], { cwd: layout.dir, timeoutMs: 3_000 });
  const lines = (run.stdout + run.stderr).trimEnd().split('\n');
  return { output: lines.slice(-60).join('\n'), transient: run.signal === 'SIGTERM' };
};

type Attempt = { ok: true; pid: number } | { ok: false; why: string; output: string; portTaken: boolean };

/** One start of the daemon on the given endpoints; on failure it is ended and `slapd -d 1` tells why. */
const startOn = async (layout: Layout, e: Endpoints, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Attempt> => {
  // A pid file left by a killed slapd would be read as this start's.
  await rm(layout.pidFile, { force: true });
  // slapd forks; the parent returns once the child has opened its listeners (or failed to).
  const started = await runTool(SLAPD, ['-h', listenArg(e), '-F', layout.configDir], { cwd: layout.dir, timeoutMs });
  const ready: Bindable =
    started.code === 0
      ? await waitBindable({ daemon: 'slapd', pidFile: layout.pidFile, port: e.port, bindDN: layout.adminDN, password: layout.adminPassword, env, timeoutMs, pollMs: 25 })
      : { ok: false, pid: undefined, why: describeFailure(started), exited: true };
  if (ready.ok) return ready;
  await endMarked([layout.configDir]);
  const { output, transient } = await diagnose(layout, e);
  // Only a failed listen is worth another try; a daemon that runs but never answers will not improve.
  const portTaken = started.code !== 0 && (transient || /already in use/i.test(output));
  return { ok: false, why: ready.why, output, portTaken };
};

const failure = (layout: Layout, attempt: Attempt & { ok: false }): Error =>
  new Error(`slapd did not start in ${layout.dir}: ${attempt.why}\n--- slapd -d 1 says:\n${attempt.output}`);

const MAX_ATTEMPTS = 3;

/** Starts the daemon on fresh ports, retrying when another process took a port in between. */
export const launch = async (layout: Layout, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Endpoints & { pid: number }> => {
  for (let attempt = 1; ; attempt++) {
    const [port, ldapsPort] = (await freePorts(2)) as [number, number];
    const e = endpointsOf(port, ldapsPort, layout.socketPath);
    const started = await startOn(layout, e, env, timeoutMs);
    if (started.ok) return { ...e, pid: started.pid };
    if (started.portTaken && attempt < MAX_ATTEMPTS) continue;
    throw failure(layout, started);
  }
};

/**
 * Starts the daemon again on the endpoints it had (a peer's olcSyncrepl and the tests' clients
 * know those), with its config and data as they are. No retry: if a stranger took the port
 * meanwhile, another port would not do.
 */
export const relaunch = async (layout: Layout, e: Endpoints, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<number> => {
  const started = await startOn(layout, e, env, timeoutMs);
  if (started.ok) return started.pid;
  throw failure(layout, started);
};
