/**
 * startDs389(): one throw-away 389 Directory Server (the server here that implements persistent
 * search) in a temp dir on a free loopback port, suffix dc=example,dc=com with an empty
 * ou=people. It never touches systemd, /etc/dirsrv or the system's instances. Creation is slow
 * (dscreate, ~10–40 s), so most tests share one instance: see sharedDs389().
 *
 * Needs root (dscreate hands the files to the dirsrv user, and ns-slapd switches to it) and
 * Debian's 389-ds-base and ldap-utils.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_DN, PEOPLE_DN } from '../data';
import { freePorts, LOOPBACK } from '../slapd/ports';
import { isolatedToolEnv, runTool } from '../slapd/tools';
import { removeRig, trackRig } from '../rig-cleanup';
import { RigTools, type CliTools } from '../rig-tools';
import { createInstance } from './create';
import { launch } from './launch';
import { DS_PATHS, RUN_USER, ds389Layout, type Ds389Layout } from './layout';

export interface Ds389Options {
  /** How long dscreate may take (default 150 s). */
  createTimeoutMs?: number;
  /** How long ns-slapd may take to answer a bind once started (default 30 s). */
  startTimeoutMs?: number;
}

/** run, ldapsearch and ldapmodify (as the root DN) come from RigTools. */
export interface Ds389Instance extends CliTools {
  /** ldap://127.0.0.1:port (no TLS). */
  readonly url: string;
  readonly port: number;
  /** dc=example,dc=com */
  readonly baseDN: string;
  /** ou=people,dc=example,dc=com, empty at start. */
  readonly peopleDN: string;
  readonly rootDN: string;
  readonly rootPassword: string;
  readonly dir: string;
  readonly pid: number;
  /** How long dscreate and the first start took, in ms. */
  readonly timings: { readonly createMs: number; readonly startMs: number };
  /** Environment for the OpenLDAP CLI tools: no ldap.conf or ldaprc, LDAPBASE set. */
  toolEnv(): Record<string, string | undefined>;
  /**
   * The server's access log so far: one line per operation received and per result sent
   * (`conn=4 op=2 ABANDON targetop=1 msgid=2 …`), written as it happens (buffering is off).
   */
  accessLog(): Promise<string>;
  /** SIGTERM (SIGKILL after 10 s), then removes dir. Idempotent. */
  stop(): Promise<void>;
}

const ROOT_DN = 'cn=Directory Manager';
/** 389-ds refuses a root password shorter than 8 characters. */
const ROOT_PASSWORD = 'secret123';

const assertUsable = async (): Promise<void> => {
  const missing = [DS_PATHS.dscreate, DS_PATHS.nsSlapd, '/usr/bin/ldapwhoami', '/usr/bin/ldapmodify'].filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`389-ds is not installed (missing ${missing.join(', ')}): apt-get install -y 389-ds-base ldap-utils`);
  if (process.getuid?.() !== 0) throw new Error('the 389-ds rig needs root: dscreate gives the instance to the dirsrv user');
  if ((await runTool('id', [RUN_USER])).code !== 0) throw new Error(`user ${RUN_USER} is missing: apt-get install -y 389-ds-base creates it`);
};

const toolEnvironment = (layout: Ds389Layout): Record<string, string | undefined> => isolatedToolEnv(layout.ldapConf, { LDAPBASE: BASE_DN });

/**
 * The test container, and an unbuffered access log: 389-ds buffers it by default, and a test
 * reads it to see what the server received (an Abandon, say) while the server runs.
 */
const SETUP_LDIF = [
  `dn: ${PEOPLE_DN}\nchangetype: add\nobjectClass: top\nobjectClass: organizationalUnit\nou: people\n`,
  'dn: cn=config\nchangetype: modify\nreplace: nsslapd-accesslog-logbuffering\nnsslapd-accesslog-logbuffering: off\n',
].join('\n');

export const startDs389 = async (options: Ds389Options = {}): Promise<Ds389Instance> => {
  await assertUsable();
  const dir = await mkdtemp(join(tmpdir(), 'rxldap-ds389-'));
  const layout = ds389Layout(dir);
  trackRig(dir, [layout.configDir, layout.infPath]);
  try {
    const credentials = { rootDN: ROOT_DN, rootPassword: ROOT_PASSWORD };
    const createStart = Date.now();
    // dscreate starts the server once on this port; ours are chosen again at each start.
    const [createPort] = (await freePorts(1)) as [number];
    await createInstance(layout, { port: createPort, suffix: BASE_DN, ...credentials }, options.createTimeoutMs ?? 150_000);
    const createMs = Date.now() - createStart;
    await writeFile(layout.ldapConf, '# empty on purpose: the CLI tools get their settings from the environment\n');
    const env = toolEnvironment(layout);
    const launchStart = Date.now();
    const { port, pid } = await launch(layout, credentials, env, options.startTimeoutMs ?? 30_000);
    const instance = new RunningDs389(layout, port, pid, { createMs, startMs: Date.now() - launchStart });
    await instance.ldapmodify(SETUP_LDIF);
    return instance;
  } catch (error) {
    await removeRig(dir, [layout.configDir, layout.infPath]).catch(() => undefined);
    throw error;
  }
};

class RunningDs389 extends RigTools implements Ds389Instance {
  readonly url: string;
  readonly baseDN = BASE_DN;
  readonly peopleDN = PEOPLE_DN;
  readonly rootDN = ROOT_DN;
  readonly rootPassword = ROOT_PASSWORD;
  readonly dir: string;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly layout: Ds389Layout,
    readonly port: number,
    readonly pid: number,
    readonly timings: { readonly createMs: number; readonly startMs: number },
  ) {
    super();
    this.url = `ldap://${LOOPBACK}:${port}`;
    this.dir = layout.dir;
  }

  protected get toolBind(): { dn: string; password: string } {
    return { dn: this.rootDN, password: this.rootPassword };
  }

  toolEnv(): Record<string, string | undefined> {
    return toolEnvironment(this.layout);
  }

  accessLog(): Promise<string> {
    return readFile(this.layout.accessLog, 'utf8');
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await removeRig(this.dir, [this.layout.configDir]);
    })();
    return this.stopping;
  }
}
