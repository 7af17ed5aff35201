import { X509Certificate } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import { escapeDNValue } from './deps';

/**
 * Client certificates for SASL EXTERNAL (RFC 4513 §5.2.3): requested when the server knows a CA
 * to check them against, never required (a client without one just cannot use EXTERNAL), and
 * the identity is the subject of a certificate the CA vouches for, as an RFC 4514 DN (most
 * specific RDN first, as slapd writes it: `cn=tls-client,o=rxldap tests`).
 */
export const clientCertificates = (tls: SecureContextOptions): { requestCert?: boolean; rejectUnauthorized?: boolean } =>
  tls.ca === undefined ? {} : { requestCert: true, rejectUnauthorized: false };

/**
 * Whether the CA signed the certificate and it is within its validity. A TLS server sets
 * `authorized` itself; a socket upgraded by StartTLS (a TLSSocket made from the plain one) does
 * not, so the check is made here for both, against the configured CA certificates.
 */
const vouchedFor = (certificate: X509Certificate, ca: SecureContextOptions['ca']): boolean => {
  const now = Date.now();
  if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) return false;
  const authorities = (Array.isArray(ca) ? ca : ca === undefined ? [] : [ca]).flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return authorities.some((authority) => certificate.checkIssued(authority) && certificate.verify(authority.publicKey));
};

/** The subject DN of the client certificate on a TLS socket, when the CA vouches for it. */
export const certificateSubject = (socket: Duplex, ca: SecureContextOptions['ca']): string | undefined => {
  const tls = socket as Partial<TLSSocket>;
  if (tls.encrypted !== true || tls.getPeerX509Certificate === undefined) return undefined;
  const certificate = tls.getPeerX509Certificate();
  if (certificate === undefined || !vouchedFor(certificate, ca)) return undefined;
  return certificate.subject
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => {
      const at = line.indexOf('=');
      return `${line.slice(0, at).toLowerCase()}=${escapeDNValue(line.slice(at + 1))}`;
    })
    .reverse()
    .join(',');
};
