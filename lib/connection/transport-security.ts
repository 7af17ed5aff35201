import type { Duplex } from 'node:stream';
import { nodeNet } from '../util/lazy-builtins';

/**
 * How far the bytes of a connection travel in clear: 'tls' (encrypted), 'local' (a Unix domain
 * socket or an in-process stream: they never leave the machine), 'loopback' (TCP to 127.0.0.0/8
 * or ::1: they never leave the machine either, but any local user may listen), 'network'.
 */
export type TransportSecurity = 'tls' | 'local' | 'loopback' | 'network';

/** Whether cleartext credentials may go out: true everywhere, 'loopback' (default) also there, false only TLS and local. */
export type CleartextCredentialsPolicy = boolean | 'loopback';

export const isLoopbackAddress = (address: string): boolean => {
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (nodeNet().isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
};

/** Classifies a connected socket; decided from the socket itself, not from the URL that named it. */
export const transportSecurity = (socket: Duplex): TransportSecurity => {
  if ((socket as { encrypted?: unknown }).encrypted === true) return 'tls';
  if (!(socket instanceof nodeNet().Socket)) return 'local';
  const address = socket.remoteAddress;
  // A connected TCP socket always has a remote address; a Unix domain socket (ldapi) has none.
  if (address === undefined) return 'local';
  return isLoopbackAddress(address) ? 'loopback' : 'network';
};

export const mayCarryCleartextCredentials = (security: TransportSecurity, policy: CleartextCredentialsPolicy): boolean => {
  if (policy === true || security === 'tls' || security === 'local') return true;
  return security === 'loopback' && policy === 'loopback';
};
