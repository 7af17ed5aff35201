/**
 * A throw-away certificate authority and a server certificate it signs, made with the openssl
 * command for one run. Tests trust the CA file, so they check the chain and the name the way a
 * real client does (a bare self-signed server certificate would only test "trust this one").
 *
 * We write our own openssl config instead of relying on the system openssl.cnf, whose default
 * extensions differ between distributions. EC P-256 keys take milliseconds to generate, RSA
 * keys noticeably longer, and GnuTLS (slapd, ldap-utils) and Node both accept them.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { OPENSSL, requireSuccess, runTool } from './tools';

export interface TestCertificates {
  caCertPath: string;
  certPath: string;
  keyPath: string;
  /** A client certificate the CA signed, for SASL EXTERNAL over TLS (subject CLIENT_CERT_DN). */
  clientCertPath: string;
  clientKeyPath: string;
}

/** The RFC 4514 form of the client certificate's subject, as slapd reports it for EXTERNAL. */
export const CLIENT_CERT_DN = 'cn=tls-client,o=rxldap tests';
export const clientCertificatePaths = (caCertPath: string): { certPath: string; keyPath: string } => ({
  certPath: join(dirname(caCertPath), 'client.crt'),
  keyPath: join(dirname(caCertPath), 'client.key'),
});

/**
 * libldap (GnuTLS) checks a certificate for "localhost" against the machine's own hostname
 * instead (tls_g.c, tlsg_session_chkhost), so ldaps://localhost with the OpenLDAP tools fails
 * unless the certificate names the host too. Node checks "localhost" as written.
 */
const altNames = (): string => {
  const host = hostname();
  const names = ['DNS:localhost', 'IP:127.0.0.1'];
  if (/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host) && host !== 'localhost') names.splice(1, 0, `DNS:${host}`);
  return names.join(', ');
};

const opensslConfig = (): string => `
[req]
distinguished_name = dn
prompt = no

[dn]
CN = localhost

[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${altNames()}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export const createTestCertificates = async (dir: string): Promise<TestCertificates> => {
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'openssl.cnf');
  const caKey = join(dir, 'ca.key');
  const caCertPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certPath = join(dir, 'server.crt');
  const clientCsr = join(dir, 'client.csr');
  const { certPath: clientCertPath, keyPath: clientKeyPath } = clientCertificatePaths(caCertPath);
  await writeFile(config, opensslConfig());
  const openssl = async (args: string[]): Promise<void> => {
    requireSuccess(await runTool(OPENSSL, args, { cwd: dir }));
  };
  // Both keys at once: the CA self-signs, the server only makes its request.
  await Promise.all([
    openssl(['req', '-x509', '-config', config, ...EC_KEY, '-keyout', caKey, '-out', caCertPath,
      '-days', '7', '-subj', '/O=rxldap tests/CN=rxldap throw-away CA', '-extensions', 'ca']),
    openssl(['req', '-new', '-config', config, ...EC_KEY, '-keyout', keyPath, '-out', csr, '-subj', '/CN=localhost']),
    openssl(['req', '-new', '-config', config, ...EC_KEY, '-keyout', clientKeyPath, '-out', clientCsr, '-subj', '/O=rxldap tests/CN=tls-client']),
  ]);
  await Promise.all([
    openssl(['x509', '-req', '-in', csr, '-CA', caCertPath, '-CAkey', caKey, '-set_serial', String(Date.now()),
      '-days', '7', '-extfile', config, '-extensions', 'server', '-out', certPath]),
    openssl(['x509', '-req', '-in', clientCsr, '-CA', caCertPath, '-CAkey', caKey, '-set_serial', String(Date.now() + 1),
      '-days', '7', '-extfile', config, '-extensions', 'client', '-out', clientCertPath]),
  ]);
  await chmod(keyPath, 0o600);
  await chmod(clientKeyPath, 0o600);
  return { caCertPath, certPath, keyPath, clientCertPath, clientKeyPath };
};

/** A certificate and its key, in PEM, as node:tls takes them. */
export interface IssuedCertificate {
  cert: Buffer;
  key: Buffer;
}

/**
 * A throw-away CA and one server certificate per entry of `subjectAltNames` (openssl syntax,
 * `DNS:localhost` or `IP:::1`), for tests of which name a client verifies. The subject CN is
 * deliberately not a host name: node:tls falls back to the CN when a certificate has no DNS
 * names, which would let an IP-only certificate pass for "localhost" by its CN.
 */
export const createCertificatesFor = async <Label extends string>(
  dir: string,
  subjectAltNames: Record<Label, string>,
): Promise<{ ca: Buffer; issued: Record<Label, IssuedCertificate> }> => {
  await mkdir(dir, { recursive: true });
  const labels = Object.keys(subjectAltNames) as Label[];
  const sections = labels.map((label, index) => `
[leaf${index}]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${subjectAltNames[label]}
`);
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, `[req]\ndistinguished_name = dn\nprompt = no\n\n[dn]\nCN = rxldap test server\n\n[ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n${sections.join('')}`);
  const openssl = async (args: string[]): Promise<void> => {
    requireSuccess(await runTool(OPENSSL, args, { cwd: dir }));
  };
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.crt');
  await openssl(['req', '-x509', '-config', config, ...EC_KEY, '-keyout', caKey, '-out', caCert, '-days', '7', '-subj', '/CN=rxldap name-check CA', '-extensions', 'ca']);
  const issued = {} as Record<Label, IssuedCertificate>;
  await Promise.all(
    labels.map(async (label, index) => {
      const key = join(dir, `leaf${index}.key`);
      const csr = join(dir, `leaf${index}.csr`);
      const cert = join(dir, `leaf${index}.crt`);
      await openssl(['req', '-new', '-config', config, ...EC_KEY, '-keyout', key, '-out', csr, '-subj', '/CN=rxldap test server']);
      await openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', String(Date.now() + index),
        '-days', '7', '-extfile', config, '-extensions', `leaf${index}`, '-out', cert]);
      issued[label] = { cert: await readFile(cert), key: await readFile(key) };
    }),
  );
  return { ca: await readFile(caCert), issued };
};
