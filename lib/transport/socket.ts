import type { Socket } from 'node:net';
import { nodeNet, nodeTls } from '../util/lazy-builtins';
import type { ConnectionOptions as TlsOptions, TLSSocket } from 'node:tls';
import { ConnectionError, TimeoutError } from '../errors';
import type { LdapUrl } from './ldap-url';

export interface OpenSocketOptions {
  /** Passed to node:tls for ldaps:// and StartTLS; certificates are verified unless told otherwise. */
  tls?: TlsOptions;
  /** Milliseconds to establish the connection (and the TLS handshake) before TimeoutError. */
  connectTimeout?: number;
  /** Milliseconds of silence before TCP keepalive probes start (TCP only); 0 or absent: none. */
  keepAlive?: number;
}

/**
 * What node:tls needs to verify `host` the way a browser would: `host` is the name the
 * certificate must carry (checkServerIdentity matches an IP literal against IP SANs only), and
 * `servername` is SNI, which RFC 6066 §3 allows for host names, never IP addresses. Without
 * `host`, a TLS socket wrapped around an existing one (StartTLS) checks "localhost" instead.
 * IPv6 literals are verified bare: brackets belong to the URL, not to the address.
 */
const verifiedPeer = (host: string): { host?: string; servername?: string } => {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === '') return {}; // ldapi has no host: node:tls then checks "localhost", as before
  return nodeNet().isIP(bare) === 0 ? { host: bare, servername: bare } : { host: bare };
};

const describe = (url: LdapUrl): string => (url.scheme === 'ldapi' ? `ldapi://${url.socketPath ?? ''}` : `${url.scheme}://${url.host}:${url.port}`);

/** Opens the transport an LDAP URL names; resolves once it is connected (and TLS is up). */
export const openSocket = (url: LdapUrl, options: OpenSocketOptions = {}): Promise<Socket | TLSSocket> =>
  new Promise((resolve, reject) => {
    let socket: Socket | TLSSocket;
    const ready = url.scheme === 'ldaps' ? 'secureConnect' : 'connect';
    if (url.scheme === 'ldapi') {
      socket = nodeNet().connect({ path: url.socketPath ?? '' });
    } else if (url.scheme === 'ldaps') {
      socket = nodeTls().connect({ ...verifiedPeer(url.host), port: url.port, ...options.tls });
    } else {
      socket = nodeNet().connect({ host: url.host, port: url.port });
    }
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      socket.off('error', onError);
      socket.off(ready, onReady);
    };
    const onError = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(new ConnectionError(`cannot connect to ${describe(url)}: ${error.message}`, { cause: error }));
    };
    const onReady = (): void => {
      cleanup();
      socket.setNoDelay?.(true);
      // A server that vanishes without a FIN (a crash, a cut cable, a NAT that forgot us)
      // otherwise leaves a long-lived search waiting forever: keepalive turns that into an error.
      if (url.scheme !== 'ldapi' && options.keepAlive !== undefined && options.keepAlive > 0) socket.setKeepAlive(true, options.keepAlive);
      resolve(socket);
    };
    socket.once('error', onError);
    socket.once(ready, onReady);
    if (options.connectTimeout !== undefined && options.connectTimeout > 0) {
      const ms = options.connectTimeout;
      timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(new TimeoutError(`connecting to ${describe(url)} timed out after ${ms} ms`));
      }, ms);
    }
  });

/**
 * Upgrades a connected plain socket to TLS (after a successful StartTLS response). The
 * certificate is checked against `host`, the URL's host, exactly as ldaps:// checks it.
 */
export const upgradeToTls = (socket: Socket, host: string, options: OpenSocketOptions = {}): Promise<TLSSocket> =>
  new Promise((resolve, reject) => {
    const secure = nodeTls().connect({ socket, ...verifiedPeer(host), ...options.tls });
    let timer: NodeJS.Timeout | undefined;
    const onError = (error: Error): void => {
      if (timer !== undefined) clearTimeout(timer);
      secure.destroy();
      reject(new ConnectionError(`TLS negotiation after StartTLS failed: ${error.message}`, { cause: error }));
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      if (timer !== undefined) clearTimeout(timer);
      secure.off('error', onError);
      resolve(secure);
    });
    if (options.connectTimeout !== undefined && options.connectTimeout > 0) {
      const ms = options.connectTimeout;
      timer = setTimeout(() => {
        secure.off('error', onError);
        secure.on('error', () => undefined); // destroying mid-handshake may still emit one
        secure.destroy();
        reject(new TimeoutError(`TLS negotiation after StartTLS timed out after ${ms} ms`));
      }, ms);
    }
  });
