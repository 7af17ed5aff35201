/**
 * startSlapd(): one throw-away OpenLDAP server in a temp dir on free loopback ports, with TLS
 * from its own CA, an ldapi socket for SASL EXTERNAL, syncprov and sssvlv. It binds 127.0.0.1
 * only and never touches the system slapd or /etc/ldap/slapd.d.
 */
import type { PasswordPolicyOptions } from './config';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_DN, DEFAULT_PEOPLE, PEOPLE_DN, generatePeople } from '../data';
import { track, trackPid, untrack } from './cleanup';
import { saslConfigLdif } from './config';
import { externalDN, launch, prepare, type Layout } from './launch';
import { terminate } from './process';
import { clientCertificatePaths } from './tls';
import { assertInstalled, requireSuccess, runTool, type LdapTool, type RunOptions, type ToolResult } from './tools';

export interface SlapdOptions {
  /** LDIF loaded with slapadd before start; must hold the suffix entry. Default: generatePeople(DEFAULT_PEOPLE). */
  ldif?: string;
  /** olcLogLevel (default 'none'; slapd logs to syslog). */
  logLevel?: string;
  /** Frontend size limit for ordinary users (default 500). */
  sizeLimit?: number;
  /** olcConnMaxPending and olcConnMaxPendingAuth (default 20000). */
  maxPending?: number;
  /** How long slapd may take to answer a bind (default 20 s). */
  startTimeoutMs?: number;
  /**
   * DIGEST-MD5 and SCRAM binds as `uid=<name>,ou=people,…` (default false): slapd reads the
   * secret from userPassword, which must then be cleartext (generatePeople(n, { passwords:
   * 'plain' })), and olcSaslHost is `localhost`, the host of the digest-uri. See saslConfigLdif.
   */
  sasl?: boolean;
  /** Extra olcLimits lines on the database, e.g. `users size.prtotal=disabled` to refuse paging to users. */
  extraLimits?: readonly string[];
  /** Load the ppolicy overlay with a default policy of this maximum age and expiry warning (seconds). */
  ppolicy?: PasswordPolicyOptions;
}

export interface SlapdInstance {
  /** ldap://127.0.0.1:port — plain, StartTLS available. */
  readonly url: string;
  readonly ldapsUrl: string;
  /** ldapi://%2Ftmp%2F...%2Fldapi */
  readonly ldapiUrl: string;
  readonly port: number;
  readonly ldapsPort: number;
  readonly socketPath: string;
  /** The run's CA, which signed the server certificate (CN=localhost, SAN localhost + 127.0.0.1). */
  readonly caCertPath: string;
  readonly caCert: Buffer;
  /** A client certificate and key signed by the run's CA (subject CLIENT_CERT_DN). */
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  readonly baseDN: string;
  readonly adminDN: string;
  readonly adminPassword: string;
  /** What SASL EXTERNAL over ldapi authenticates this process as (manages everything). */
  readonly externalDN: string;
  readonly dir: string;
  readonly pid: number;
  /** Environment for the OpenLDAP CLI tools: no ldap.conf or ldaprc, LDAPTLS_CACERT and LDAPBASE set. */
  toolEnv(overrides?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Runs an OpenLDAP CLI tool with toolEnv(); no bind added, never rejects on a non-zero exit. */
  run(tool: LdapTool, args: readonly string[], options?: RunOptions): Promise<ToolResult>;
  /** ldapsearch as the rootdn (-x -D -w, -o ldif-wrap=no, base defaults to baseDN); stdout, or throws. */
  ldapsearch(args: readonly string[]): Promise<string>;
  /** ldapmodify as the rootdn with the LDIF on stdin (add '-a' or '-c' through extraArgs); stdout, or throws. */
  ldapmodify(ldif: string, extraArgs?: readonly string[]): Promise<string>;
  /** SIGTERM, SIGKILL after 10 s, then removes dir. Idempotent. */
  stop(): Promise<void>;
}

const ADMIN_PASSWORD = 'secret';
const LDAPI_PATH_MAX = 107; // sun_path is 108 bytes with the NUL

export const startSlapd = async (options: SlapdOptions = {}): Promise<SlapdInstance> => {
  assertInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'rxldap-slapd-'));
  const layout: Layout = {
    dir,
    configDir: join(dir, 'slapd.d'),
    socketPath: join(dir, 'ldapi'),
    pidFile: join(dir, 'slapd.pid'),
    baseDN: BASE_DN,
    adminDN: `cn=admin,${BASE_DN}`,
    adminPassword: ADMIN_PASSWORD,
    externalDN: externalDN(),
  };
  track(dir, layout.configDir);
  let pid: number | undefined;
  try {
    if (Buffer.byteLength(layout.socketPath) > LDAPI_PATH_MAX) {
      throw new Error(`ldapi socket path too long for a unix socket: ${layout.socketPath} (set TMPDIR to a shorter dir)`);
    }
    const caCertPath = await prepare(layout, {
      ldif: options.ldif ?? generatePeople(DEFAULT_PEOPLE),
      logLevel: options.logLevel ?? 'none',
      sizeLimit: options.sizeLimit ?? 500,
      maxPending: options.maxPending ?? 20_000,
      extraLimits: options.extraLimits ?? [],
      ppolicy: options.ppolicy,
    });
    if (options.sasl === true) await enableSasl(layout);
    const env = toolEnvironment(layout, caCertPath, {});
    const running = await launch(layout, env, options.startTimeoutMs ?? 20_000);
    pid = running.pid;
    trackPid(dir, pid);
    return new RunningSlapd(layout, running, pid, caCertPath);
  } catch (error) {
    if (pid !== undefined) await terminate(pid, layout.configDir);
    untrack(dir);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
};

/** Debian's path, beside the others in tools.ts. */
const SLAPMODIFY = '/usr/sbin/slapmodify';
/** What DIGEST-MD5 clients must put in the digest-uri (`ldap/localhost`) of a `sasl: true` instance. */
export const SASL_HOST = 'localhost';

/** Applies saslConfigLdif to the prepared, not yet started, cn=config. */
const enableSasl = async (layout: Layout): Promise<void> => {
  const path = join(layout.dir, 'sasl.ldif');
  await writeFile(path, saslConfigLdif({ peopleDN: PEOPLE_DN, saslHost: SASL_HOST }));
  requireSuccess(await runTool(SLAPMODIFY, ['-n0', '-F', layout.configDir, '-l', path], { cwd: layout.dir }));
};

/** The caller's environment minus every LDAP* variable, so ~/.ldaprc or a stray LDAPURI cannot leak in. */
const toolEnvironment = (layout: Layout, caCertPath: string, overrides: Record<string, string | undefined>): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('LDAP')) env[key] = value;
  return {
    ...env,
    LDAPCONF: join(layout.dir, 'ldap.conf'),
    LDAPRC: 'rxldap-no-ldaprc',
    LDAPTLS_CACERT: caCertPath,
    LDAPBASE: layout.baseDN,
    ...overrides,
  };
};

class RunningSlapd implements SlapdInstance {
  readonly url: string;
  readonly ldapsUrl: string;
  readonly ldapiUrl: string;
  readonly port: number;
  readonly ldapsPort: number;
  readonly socketPath: string;
  readonly caCert: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  readonly baseDN: string;
  readonly adminDN: string;
  readonly adminPassword: string;
  readonly externalDN: string;
  readonly dir: string;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly layout: Layout,
    endpoints: { url: string; ldapsUrl: string; ldapiUrl: string; port: number; ldapsPort: number },
    readonly pid: number,
    readonly caCertPath: string,
  ) {
    ({ url: this.url, ldapsUrl: this.ldapsUrl, ldapiUrl: this.ldapiUrl, port: this.port, ldapsPort: this.ldapsPort } = endpoints);
    ({ socketPath: this.socketPath, baseDN: this.baseDN, adminDN: this.adminDN, adminPassword: this.adminPassword, externalDN: this.externalDN, dir: this.dir } = layout);
    this.caCert = readFileSync(caCertPath);
    const client = clientCertificatePaths(caCertPath);
    this.clientCert = readFileSync(client.certPath);
    this.clientKey = readFileSync(client.keyPath);
  }

  toolEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return toolEnvironment(this.layout, this.caCertPath, overrides);
  }

  run(tool: LdapTool, args: readonly string[], options: RunOptions = {}): Promise<ToolResult> {
    return runTool(tool, args, { ...options, env: options.env ?? this.toolEnv() });
  }

  private asAdmin(): string[] {
    return ['-x', '-H', this.url, '-D', this.adminDN, '-w', this.adminPassword];
  }

  async ldapsearch(args: readonly string[]): Promise<string> {
    return requireSuccess(await this.run('ldapsearch', [...this.asAdmin(), '-o', 'ldif-wrap=no', ...args])).stdout;
  }

  async ldapmodify(ldif: string, extraArgs: readonly string[] = []): Promise<string> {
    return requireSuccess(await this.run('ldapmodify', [...this.asAdmin(), ...extraArgs], { input: ldif })).stdout;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await terminate(this.pid, this.layout.configDir);
      untrack(this.dir);
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }
}
