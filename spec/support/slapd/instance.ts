/**
 * startSlapd(): one throw-away OpenLDAP server in a temp dir on free loopback ports, with TLS
 * from its own CA, an ldapi socket for SASL EXTERNAL, syncprov and sssvlv. It binds 127.0.0.1
 * only and never touches the system slapd or /etc/ldap/slapd.d.
 */
import type { PasswordPolicyOptions } from './config';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_DN, DEFAULT_PEOPLE, PEOPLE_DN, generatePeople } from '../data';
import { removeRig, trackRig } from '../rig-cleanup';
import { RigTools, type CliTools } from '../rig-tools';
import { saslConfigLdif } from './config';
import { externalDN, launch, prepare, type Endpoints, type Layout } from './launch';
import { SlapdLifecycle } from './lifecycle';
import { clientCertificatePaths } from './tls';
import { assertInstalled, isolatedToolEnv, requireSuccess, runTool, SLAPCAT } from './tools';

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

/** run, ldapsearch and ldapmodify (as the rootdn) come from RigTools. */
export interface SlapdInstance extends CliTools {
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
  /** The current slapd process; restart() changes it. */
  readonly pid: number;
  /** Environment for the OpenLDAP CLI tools: no ldap.conf or ldaprc, LDAPTLS_CACERT and LDAPBASE set. */
  toolEnv(overrides?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** The database as LDIF, operational attributes included (entryUUID, entryCSN, contextCSN), read with slapcat while slapd runs. */
  slapcat(): Promise<string>;
  /**
   * Sends `signal` (default SIGKILL: a crash) and resolves once slapd is really gone — every
   * thread dead or a zombie, its ports free — with its stale pid file removed. The dir, config
   * and data stay for restart(). Refuses SIGSTOP and the like (see pause()).
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts slapd again on the same ports and ldapi path with the same config and data, and
   * resolves once the rootdn can bind (a running one is ended with SIGTERM first). `pid` and
   * the exit cleanup follow the new process.
   */
  restart(): Promise<void>;
  /** SIGSTOP, resolved once every thread is stopped: connections are accepted by the kernel and never answered (a hung server). */
  pause(): Promise<void>;
  /** SIGCONT, resolved once every thread runs again. */
  resume(): Promise<void>;
  /** SIGTERM (after SIGCONT if paused), SIGKILL after 10 s, then removes dir. Idempotent; the end of kill() and restart(). */
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
  // Every slapd and slap* tool of this instance names its config dir as a whole argument.
  trackRig(dir, [layout.configDir]);
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
    const startTimeoutMs = options.startTimeoutMs ?? 20_000;
    const { pid, ...endpoints } = await launch(layout, env, startTimeoutMs);
    return new RunningSlapd(layout, endpoints, caCertPath, new SlapdLifecycle(layout, endpoints, env, startTimeoutMs, pid));
  } catch (error) {
    await removeRig(dir, [layout.configDir]);
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

const toolEnvironment = (layout: Layout, caCertPath: string, overrides: Record<string, string | undefined>): Record<string, string | undefined> =>
  isolatedToolEnv(join(layout.dir, 'ldap.conf'), { LDAPTLS_CACERT: caCertPath, LDAPBASE: layout.baseDN, ...overrides });

class RunningSlapd extends RigTools implements SlapdInstance {
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

  constructor(
    private readonly layout: Layout,
    endpoints: Endpoints,
    readonly caCertPath: string,
    private readonly life: SlapdLifecycle,
  ) {
    super();
    ({ url: this.url, ldapsUrl: this.ldapsUrl, ldapiUrl: this.ldapiUrl, port: this.port, ldapsPort: this.ldapsPort } = endpoints);
    ({ socketPath: this.socketPath, baseDN: this.baseDN, adminDN: this.adminDN, adminPassword: this.adminPassword, externalDN: this.externalDN, dir: this.dir } = layout);
    this.caCert = readFileSync(caCertPath);
    const client = clientCertificatePaths(caCertPath);
    this.clientCert = readFileSync(client.certPath);
    this.clientKey = readFileSync(client.keyPath);
  }

  protected get toolBind(): { dn: string; password: string } {
    return { dn: this.adminDN, password: this.adminPassword };
  }

  toolEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return toolEnvironment(this.layout, this.caCertPath, overrides);
  }

  async slapcat(): Promise<string> {
    return requireSuccess(await runTool(SLAPCAT, ['-F', this.layout.configDir, '-n1'], { cwd: this.dir })).stdout;
  }

  get pid(): number {
    return this.life.pid;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.life.kill(signal);
  }

  restart(): Promise<void> {
    return this.life.restart();
  }

  pause(): Promise<void> {
    return this.life.pause();
  }

  resume(): Promise<void> {
    return this.life.resume();
  }

  stop(): Promise<void> {
    return this.life.stop();
  }
}
