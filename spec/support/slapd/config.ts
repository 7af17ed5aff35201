/**
 * The cn=config LDIF of a test slapd, as one pure function so it can be read in one place and
 * unit-checked without a server. It is applied offline with `slapadd -n0`, which is faster
 * than starting slapd and configuring it over ldapi, and leaves no half-configured server.
 */

export interface ConfigParams {
  dir: string;
  baseDN: string;
  adminDN: string;
  /** Already hashed ({SSHA} from slappasswd): cn=config is readable by the EXTERNAL root. */
  adminPasswordHash: string;
  /** The peercred DN of the user running the tests; it manages everything, like root would. */
  externalDN: string;
  certPath: string;
  keyPath: string;
  caCertPath: string;
  schemaDir: string;
  moduleDir: string;
  withSssvlv: boolean;
  logLevel: string;
  /** Frontend size limit for everyone but the rootdn and the EXTERNAL root. */
  sizeLimit: number;
  /**
   * olcConnMaxPending and olcConnMaxPendingAuth: slapd closes a connection with more queued
   * requests than this (defaults 100 anonymous, 1000 bound), and a test pipelines 10,000.
   */
  maxPending: number;
  /** More olcLimits on the database, after the rootdn's and the EXTERNAL root's (e.g. `users size.prtotal=disabled`). */
  extraLimits: readonly string[];
  /** The ppolicy overlay with a default policy (see PasswordPolicyOptions), or none. */
  ppolicy: PasswordPolicyOptions | undefined;
}

/** A default password policy: seconds a password lives, and how long before its end binds are warned. */
export interface PasswordPolicyOptions {
  maxAge: number;
  expireWarning: number;
}

/** The default policy's DN under `baseDN`. */
export const passwordPolicyDN = (baseDN: string): string => `cn=default-policy,${baseDN}`;

/** The entry of the default policy, loaded with the data (ppolicy's schema comes with its module). */
export const passwordPolicyLdif = (baseDN: string, policy: PasswordPolicyOptions): string =>
  entry(
    `dn: ${passwordPolicyDN(baseDN)}`, 'objectClass: device', 'objectClass: pwdPolicy', 'cn: default-policy',
    'pwdAttribute: userPassword', `pwdMaxAge: ${policy.maxAge}`, `pwdExpireWarning: ${policy.expireWarning}`,
  );

const SCHEMAS = ['core', 'cosine', 'inetorgperson', 'nis'];

const entry = (...lines: string[]): string => lines.join('\n') + '\n';

export const configLdif = (p: ConfigParams): string => {
  const ext = `dn.exact="${p.externalDN}"`;
  const admin = `dn.exact="${p.adminDN}"`;
  const entries = [
    entry(
      'dn: cn=config', 'objectClass: olcGlobal', 'cn: config',
      `olcPidFile: ${p.dir}/slapd.pid`,
      `olcArgsFile: ${p.dir}/slapd.args`,
      `olcLogLevel: ${p.logLevel}`,
      `olcConnMaxPending: ${p.maxPending}`,
      `olcConnMaxPendingAuth: ${p.maxPending}`,
      `olcTLSCertificateFile: ${p.certPath}`,
      `olcTLSCertificateKeyFile: ${p.keyPath}`,
      `olcTLSCACertificateFile: ${p.caCertPath}`,
      // Ask for a client certificate but do not require one: SASL EXTERNAL over TLS uses it,
      // every other connection goes on without.
      'olcTLSVerifyClient: allow',
    ),
    entry(
      'dn: cn=module{0},cn=config', 'objectClass: olcModuleList', 'cn: module{0}',
      `olcModulePath: ${p.moduleDir}`,
      'olcModuleLoad: back_mdb',
      'olcModuleLoad: syncprov',
      ...(p.withSssvlv ? ['olcModuleLoad: sssvlv'] : []),
      ...(p.ppolicy === undefined ? [] : ['olcModuleLoad: ppolicy']),
    ),
    entry('dn: cn=schema,cn=config', 'objectClass: olcSchemaConfig', 'cn: schema'),
    ...SCHEMAS.map((name) => entry(`include: file://${p.schemaDir}/${name}.ldif`)),
    entry(
      'dn: olcDatabase={-1}frontend,cn=config', 'objectClass: olcDatabaseConfig', 'objectClass: olcFrontendConfig',
      'olcDatabase: {-1}frontend',
      `olcSizeLimit: ${p.sizeLimit}`,
      `olcAccess: {0}to * by ${ext} manage by * break`,
      'olcAccess: {1}to dn.base="" by * read',
      'olcAccess: {2}to dn.base="cn=Subschema" by * read',
    ),
    // Only the EXTERNAL root may read or change the configuration (over ldapi).
    entry(
      'dn: olcDatabase={0}config,cn=config', 'objectClass: olcDatabaseConfig',
      'olcDatabase: {0}config',
      `olcAccess: {0}to * by ${ext} manage by * none`,
    ),
    entry(
      'dn: olcDatabase={1}mdb,cn=config', 'objectClass: olcDatabaseConfig', 'objectClass: olcMdbConfig',
      'olcDatabase: {1}mdb',
      `olcSuffix: ${p.baseDN}`,
      `olcRootDN: ${p.adminDN}`,
      `olcRootPW: ${p.adminPasswordHash}`,
      `olcDbDirectory: ${p.dir}/data`,
      // The map size is virtual: a sparse file grows only as far as the data does.
      'olcDbMaxSize: 4294967296',
      'olcDbIndex: objectClass eq',
      'olcDbIndex: entryCSN,entryUUID eq',
      'olcDbIndex: uid,mail,employeeNumber eq',
      'olcDbIndex: cn,sn,givenName eq,sub',
      'olcDbIndex: member eq',
      `olcLimits: {0}${admin} size=unlimited time=unlimited`,
      `olcLimits: {1}${ext} size=unlimited time=unlimited`,
      ...p.extraLimits.map((limit, i) => `olcLimits: {${i + 2}}${limit}`),
      `olcAccess: {0}to attrs=userPassword by ${ext} manage by self write by anonymous auth by * none`,
      `olcAccess: {1}to * by ${ext} manage by self write by users read by * none`,
    ),
    // checkpoint: write the contextCSN every 100 operations or 10 minutes; the session log
    // lets a syncrepl refresh send only what changed instead of the whole present phase.
    entry(
      'dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config', 'objectClass: olcOverlayConfig', 'objectClass: olcSyncProvConfig',
      'olcOverlay: {0}syncprov',
      'olcSpCheckpoint: 100 10',
      'olcSpSessionlog: 10000',
    ),
    ...(p.withSssvlv
      ? [entry('dn: olcOverlay={1}sssvlv,olcDatabase={1}mdb,cn=config', 'objectClass: olcOverlayConfig', 'objectClass: olcSssVlvConfig', 'olcOverlay: {1}sssvlv')]
      : []),
    ...(p.ppolicy === undefined
      ? []
      : [
          entry(
            `dn: olcOverlay={${p.withSssvlv ? 2 : 1}}ppolicy,olcDatabase={1}mdb,cn=config`, 'objectClass: olcOverlayConfig', 'objectClass: olcPPolicyConfig',
            `olcOverlay: {${p.withSssvlv ? 2 : 1}}ppolicy`,
            `olcPPolicyDefault: ${passwordPolicyDN(p.baseDN)}`,
          ),
        ]),
  ];
  return entries.join('\n');
};

export interface SaslConfigParams {
  /** Where the SASL user names live: `uid=<name>,<peopleDN>`. */
  peopleDN: string;
  /** olcSaslHost, the server's name for SASL: the host of a DIGEST-MD5 digest-uri must equal it. */
  saslHost: string;
}

/**
 * What `startSlapd({ sasl: true })` changes in the cn=config made by configLdif, as an LDIF of
 * modifications for `slapmodify -n0` (applied offline, before slapd starts), so that
 * DIGEST-MD5 and SCRAM work against the cleartext userPassword of the people entries:
 *
 * - olcSaslAuxprops slapd: Cyrus SASL reads the secret from the directory (userPassword)
 *   instead of a sasldb file.
 * - olcAuthzRegexp: slapd names a SASL user `uid=<name>[,cn=<realm>],cn=<mechanism>,cn=auth`
 *   (the realm is left out when it is the default one); both forms map to the person's entry.
 *   slapd compiles it as a POSIX extended, case-insensitive regex.
 * - olcSaslHost: a fixed server name, so the digest-uri does not depend on the machine.
 * - an ACL before the `to *` rule: the auxprop lookup runs as anonymous and needs auth access
 *   to the entry and its objectClass (userPassword already allows `anonymous auth`). `auth`
 *   grants no read, and `by * break` leaves everyone else to the rules that follow.
 */
export const saslConfigLdif = (p: SaslConfigParams): string =>
  [
    entry(
      'dn: cn=config', 'changetype: modify',
      'add: olcSaslAuxprops', 'olcSaslAuxprops: slapd', '-',
      'add: olcAuthzRegexp', `olcAuthzRegexp: {0}"^uid=([^,]+)(,cn=[^,]+)?,cn=[^,]+,cn=auth$" "uid=$1,${p.peopleDN}"`, '-',
      'add: olcSaslHost', `olcSaslHost: ${p.saslHost}`, '-',
    ),
    entry(
      'dn: olcDatabase={1}mdb,cn=config', 'changetype: modify',
      'add: olcAccess', `olcAccess: {1}to dn.subtree="${p.peopleDN}" attrs=entry,objectClass by anonymous auth by * break`, '-',
    ),
  ].join('\n');
