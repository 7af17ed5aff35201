/**
 * The in-memory directory dressed as the slapd test rig (a SlapdInstance), so that the client's
 * own integration specs can run against it unchanged: `RXLDAP_TEST_DIRECTORY=memory` makes
 * spec/support/slapd's startSlapd() and sharedSlapd() start one of these instead of slapd
 * (`npm run test:memory`). Same data, root DN, access rules and limits as the rig; TLS from a CA
 * made for the run; an ldapi socket; OpenLDAP's tools still work against it. What slapd offers
 * and the directory does not (SASL mechanisms other than PLAIN, ppolicy, EXTERNAL over ldapi,
 * a process to pause) fails clearly, and is listed in the README's known differences.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryServer, Fault } from '../../../lib/server';
import { BASE_DN, DEFAULT_PEOPLE, generatePeople } from '../data';
import { clientCertificatePaths, createTestCertificates } from '../slapd/tls';
import { isolatedToolEnv, requireSuccess, runTool } from '../slapd/tools';
import type { LdapTool, RunOptions, ToolResult } from '../slapd/tools';
import type { SlapdInstance, SlapdOptions } from '../slapd/instance';
import { RIG_ADMIN_DN, RIG_ADMIN_PASSWORD, startRigDirectory } from './rig';

/** The one olcLimits line the directory has an option for. */
const USER_PAGING_DISABLED = 'users size.prtotal=disabled';

/** Whether this run's specs use the in-memory directory where they ask for slapd. */
export const memoryMode = (): boolean => process.env['RXLDAP_TEST_DIRECTORY'] === 'memory';

export const startMemoryInstance = async (options: SlapdOptions = {}): Promise<SlapdInstance> => {
  const limits = options.extraLimits ?? [];
  const unsupported = [
    ...(options.sasl === true ? ['sasl'] : []),
    ...(options.ppolicy === undefined ? [] : ['ppolicy']),
    ...limits.filter((limit) => limit !== USER_PAGING_DISABLED),
  ];
  if (unsupported.length > 0) throw new Error(`the in-memory directory does not emulate slapd's ${unsupported.join(', ')} (RXLDAP_TEST_DIRECTORY=memory)`);
  const dir = await mkdtemp(join(tmpdir(), 'rxldap-memory-'));
  const certificates = await createTestCertificates(join(dir, 'tls'));
  const socketPath = join(dir, 'ldapi');
  const server = await startRigDirectory(options.ldif ?? generatePeople(DEFAULT_PEOPLE), {
    sizeLimit: options.sizeLimit ?? 500,
    userPaging: !limits.includes(USER_PAGING_DISABLED),
    ldapi: socketPath,
    tls: { key: readFileSync(certificates.keyPath), cert: readFileSync(certificates.certPath), ca: readFileSync(certificates.caCertPath) },
  });
  return new MemoryInstance(server, dir, socketPath, certificates.caCertPath);
};

class MemoryInstance implements SlapdInstance {
  readonly baseDN = BASE_DN;
  readonly adminDN = RIG_ADMIN_DN;
  readonly adminPassword = RIG_ADMIN_PASSWORD;
  /** SASL EXTERNAL is not served: no identity could come from an ldapi peer here. */
  readonly externalDN = 'cn=external-not-supported-by-the-in-memory-directory';
  readonly caCert: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  private hung: Fault | undefined;

  constructor(
    private readonly server: DirectoryServer,
    readonly dir: string,
    readonly socketPath: string,
    readonly caCertPath: string,
  ) {
    this.caCert = readFileSync(caCertPath);
    const client = clientCertificatePaths(caCertPath);
    this.clientCert = readFileSync(client.certPath);
    this.clientKey = readFileSync(client.keyPath);
  }

  get url(): string {
    return this.server.url;
  }

  get ldapsUrl(): string {
    return this.server.ldapsUrl ?? '';
  }

  get ldapiUrl(): string {
    return this.server.ldapiUrl ?? '';
  }

  get port(): number {
    return this.server.port ?? 0;
  }

  get ldapsPort(): number {
    return Number(new URL(this.ldapsUrl).port);
  }

  /**
   * The directory runs in this process, which a spec must not signal (SIGSTOP would stop the
   * test run itself): specs that need slapd's process cannot run against the directory.
   */
  get pid(): number {
    throw new Error('the in-memory directory has no process of its own to signal (RXLDAP_TEST_DIRECTORY=memory): use pause(), resume(), kill() and restart()');
  }

  toolEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return isolatedToolEnv(join(this.dir, 'ldap.conf'), { LDAPTLS_CACERT: this.caCertPath, LDAPBASE: this.baseDN, ...overrides });
  }

  run(tool: LdapTool, args: readonly string[], options: RunOptions = {}): Promise<ToolResult> {
    return runTool(tool, args, { ...options, env: options.env ?? this.toolEnv() });
  }

  async ldapsearch(args: readonly string[]): Promise<string> {
    return requireSuccess(await this.run('ldapsearch', ['-x', '-H', this.url, '-D', this.adminDN, '-w', this.adminPassword, '-o', 'ldif-wrap=no', ...args])).stdout;
  }

  async ldapmodify(ldif: string, extraArgs: readonly string[] = []): Promise<string> {
    return requireSuccess(await this.run('ldapmodify', ['-x', '-H', this.url, '-D', this.adminDN, '-w', this.adminPassword, ...extraArgs], { input: ldif })).stdout;
  }

  async slapcat(): Promise<string> {
    return this.server.directory.toLDIF({ operational: true });
  }

  /** A crash: listeners closed, every connection dropped; the data stays for restart(). */
  async kill(): Promise<void> {
    await this.server.close();
  }

  async restart(): Promise<void> {
    await this.server.close();
    await this.server.listen();
  }

  /** A hung server: connections are accepted and requests read, never answered. */
  async pause(): Promise<void> {
    this.hung ??= this.server.faults.inject({ action: 'drop' });
  }

  async resume(): Promise<void> {
    this.hung?.remove();
    this.hung = undefined;
  }

  async stop(): Promise<void> {
    await this.server.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
