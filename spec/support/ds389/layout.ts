/**
 * Where a throw-away 389 Directory Server lives, and the three texts that put it there, as pure
 * functions so they can be read in one place and checked without a server.
 *
 * lib389 (dscreate) finds every path through `<PREFIX>/share/dirsrv/inf/defaults.inf`; with
 * PREFIX set to the instance dir it reads our copy, in which every mutable path (config, run,
 * logs, database, /dev/shm) is moved under that dir and systemd is off. Nothing is written to
 * /etc, /var or /run, and the system's own 389-ds instances (if any) are not seen.
 */
import { join } from 'node:path';

/** Debian bookworm (apt-get install 389-ds-base). */
export const DS_PATHS = {
  dscreate: '/usr/sbin/dscreate',
  nsSlapd: '/usr/sbin/ns-slapd',
  sysconfDir: '/etc/dirsrv',
  shareDir: '/usr/share/dirsrv',
} as const;

/** The user ns-slapd drops to; the Debian package creates it. */
export const RUN_USER = 'dirsrv';
export const INSTANCE_NAME = 'rig';

export interface Ds389Layout {
  dir: string;
  /** Our defaults.inf and template dse.ldif live under here (PREFIX/share). */
  shareDir: string;
  /** The instance's cn=config directory (dse.ldif, schema, certificates): ns-slapd -D. */
  configDir: string;
  /** The dscreate answer file; it names the dscreate process on the command line. */
  infPath: string;
  /** Written by ns-slapd -i. */
  pidFile: string;
  errorLog: string;
  accessLog: string;
  dscreateLog: string;
  /** Empty on purpose: the CLI tools get their settings from the environment. */
  ldapConf: string;
}

export const ds389Layout = (dir: string): Ds389Layout => ({
  dir,
  shareDir: join(dir, 'share'),
  configDir: join(dir, 'etc', 'dirsrv', `slapd-${INSTANCE_NAME}`),
  infPath: join(dir, 'inst.inf'),
  pidFile: join(dir, 'ds.pid'),
  errorLog: join(dir, 'var', 'log', 'dirsrv', `slapd-${INSTANCE_NAME}`, 'errors'),
  accessLog: join(dir, 'var', 'log', 'dirsrv', `slapd-${INSTANCE_NAME}`, 'access'),
  dscreateLog: join(dir, 'dscreate.log'),
  ldapConf: join(dir, 'ldap.conf'),
});

/** Directories dscreate expects to exist (it creates the instance's own below them). */
export const SKELETON = ['etc/default', 'etc/tmpfiles.d', 'run/dirsrv', 'run/lock/dirsrv', 'var/log/dirsrv', 'var/lib/dirsrv', 'shm', 'inst', 'tmp', 'share/dirsrv/inf', 'share/dirsrv/data'];

/**
 * The system defaults.inf with every mutable path moved under `dir`. Each rule rewrites the
 * first match on a line, in order, so `/etc/tmpfiles.d` is moved once and not again by `/etc/`.
 */
export const privateDefaultsInf = (original: string, dir: string): string => {
  const rules: Array<[RegExp, string]> = [
    [/= \/etc\/tmpfiles\.d/, `= ${dir}/etc/tmpfiles.d`],
    [/= \/etc\//, `= ${dir}/etc/`],
    [/= \/etc$/, `= ${dir}/etc`],
    [/= \/var\//, `= ${dir}/var/`],
    [/= \/var$/, `= ${dir}/var`],
    [/= \/run\//, `= ${dir}/run/`],
    [/= \/dev\/shm\//, `= ${dir}/shm/`],
    [/^with_systemd = .*/, 'with_systemd = 0'],
    [/^inst_dir = .*/, `inst_dir = ${dir}/inst/slapd-{instance_name}`],
    [/^data_dir = .*/, `data_dir = ${dir}/share`],
  ];
  return original
    .split('\n')
    // A function replacement: a `$` in the dir must not be read as a back-reference.
    .map((line) => rules.reduce((text, [pattern, replacement]) => text.replace(pattern, () => replacement), line))
    .join('\n');
};

/**
 * The template dse.ldif with listen hosts on loopback, put before its first nsslapd-port line
 * (cn=config). It has to be in the template: dscreate starts the server once itself, before a
 * finished instance could be edited, and that start must not listen on every interface either.
 */
export const loopbackTemplateDse = (original: string): string => {
  const lines = original.split('\n');
  const at = lines.findIndex((line) => line.startsWith('nsslapd-port:'));
  if (at < 0) throw new Error('template-dse.ldif has no nsslapd-port line: unknown 389-ds version');
  lines.splice(at, 0, 'nsslapd-listenhost: 127.0.0.1', 'nsslapd-securelistenhost: 127.0.0.1');
  return lines.join('\n');
};

export interface InstanceInfParams {
  port: number;
  rootDN: string;
  rootPassword: string;
  suffix: string;
}

/**
 * dscreate's answer file. No TLS (self_sign_cert False skips making an NSS database and a
 * certificate, the slowest part of a creation); `start = False` because we start ns-slapd
 * ourselves, on ports chosen at that moment.
 */
export const instanceInf = (p: InstanceInfParams): string =>
  [
    '[general]',
    'config_version = 2',
    'full_machine_name = localhost',
    'start = False',
    'systemd = False',
    'selinux = False',
    'strict_host_checking = False',
    '',
    '[slapd]',
    `instance_name = ${INSTANCE_NAME}`,
    `user = ${RUN_USER}`,
    `group = ${RUN_USER}`,
    `port = ${p.port}`,
    `root_dn = ${p.rootDN}`,
    `root_password = ${p.rootPassword}`,
    'self_sign_cert = False',
    '',
    '[backend-userroot]',
    `suffix = ${p.suffix}`,
    'create_suffix_entry = True',
    'sample_entries = no',
    '',
  ].join('\n');

/** dse.ldif with cn=config's nsslapd-port set to `port` (edited while ns-slapd is stopped). */
export const withPort = (dseLdif: string, port: number): string => {
  if (!/^nsslapd-port: .*$/m.test(dseLdif)) throw new Error('dse.ldif has no nsslapd-port line');
  return dseLdif.replace(/^nsslapd-port: .*$/m, `nsslapd-port: ${port}`);
};
