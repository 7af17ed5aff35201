/**
 * Where the OpenLDAP binaries live and one way to run them. Every external program the rig
 * starts goes through runTool, so a failure always carries the command line, the exit code
 * and both output streams — the things one needs to read when a server refuses to start.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian bookworm paths (apt-get install slapd ldap-utils). */
export const SLAPD = '/usr/sbin/slapd';
export const SLAPADD = '/usr/sbin/slapadd';
export const SLAPPASSWD = '/usr/sbin/slappasswd';
export const SLAPCAT = '/usr/sbin/slapcat';
export const SCHEMA_DIR = '/etc/ldap/schema';
export const MODULE_DIR = '/usr/lib/ldap';
export const OPENSSL = 'openssl';

export type LdapTool = 'ldapsearch' | 'ldapmodify' | 'ldapadd' | 'ldapdelete' | 'ldapwhoami' | 'ldapcompare' | 'ldappasswd' | 'ldapmodrdn' | 'ldapexop';

export interface ToolResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** Replaces the environment; undefined values are removed. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Killed with SIGTERM after this long (default 30 s) so a hung tool cannot hang the run. */
  timeoutMs?: number;
}

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

const cleanEnv = (env: Record<string, string | undefined>): NodeJS.ProcessEnv => {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
};

/** Runs a program to completion; never rejects for a non-zero exit (see requireSuccess). */
export const runTool = (file: string, args: readonly string[], options: RunOptions = {}): Promise<ToolResult> =>
  new Promise((resolve, reject) => {
    const command = [file, ...args].map(quote).join(' ');
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: cleanEnv(options.env ?? process.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // A tool that exits before reading its input makes the write fail with EPIPE; its exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });

/**
 * The caller's environment minus every LDAP* variable, so ~/.ldaprc or a stray LDAPURI cannot
 * leak into a test, with the tools' config file set to `ldapConf` (an empty file of the rig's)
 * and `settings` (LDAPBASE, LDAPTLS_CACERT, …) on top.
 */
export const isolatedToolEnv = (ldapConf: string, settings: Record<string, string | undefined>): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('LDAP')) env[key] = value;
  return { ...env, LDAPCONF: ldapConf, LDAPRC: 'rxldap-no-ldaprc', ...settings };
};

export const describeFailure = (result: ToolResult): string =>
  `${result.command}\n  exited with ${result.signal ?? result.code}` +
  (result.stdout.trim() ? `\n  stdout: ${result.stdout.trim()}` : '') +
  (result.stderr.trim() ? `\n  stderr: ${result.stderr.trim()}` : '');

/** The result when the tool exited 0, else an Error holding everything it said. */
export const requireSuccess = (result: ToolResult): ToolResult => {
  if (result.code !== 0) throw new Error(describeFailure(result));
  return result;
};

/** Fails early with the install hint instead of a bare ENOENT somewhere in the middle. */
export const assertInstalled = (): void => {
  const missing = [SLAPD, SLAPADD, SLAPPASSWD, '/usr/bin/ldapwhoami', '/usr/bin/ldapsearch'].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`OpenLDAP is not installed (missing ${missing.join(', ')}): apt-get install -y slapd ldap-utils`);
  }
};
