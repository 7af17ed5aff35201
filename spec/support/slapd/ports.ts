/**
 * Free loopback ports. The kernel picks one for a listener on port 0; we close it and hand the
 * number to slapd. Another process may take it in between, so the launcher retries with fresh
 * ports when slapd reports "Address already in use".
 */
import { createServer, connect } from 'node:net';

export const LOOPBACK = '127.0.0.1';

const onePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });

/** `count` distinct free ports on 127.0.0.1. */
export const freePorts = async (count: number): Promise<number[]> => {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await onePort());
  return [...ports];
};

/** Whether something accepts TCP connections on 127.0.0.1:port (within timeoutMs). */
export const canConnect = (port: number, timeoutMs = 500): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
