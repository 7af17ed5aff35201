/**
 * A scripted LDAP server on a loopback port, for what no real server produces on demand:
 * answers out of order, a connection cut in the middle of a PDU, a malformed PDU, a Notice of
 * Disconnection. Each accepted socket decodes requests with rxldap's own parser and hands them
 * to the test's `onRequest`.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { encodeMessage } from '../../lib/protocol';
import type { LdapMessage } from '../../lib/protocol';
import { MessageParser } from '../../lib/transport/message-parser';

export interface FakeSession {
  socket: Socket;
  /** Every request received on this socket, in order. */
  received: LdapMessage[];
  send(message: LdapMessage): void;
  sendRaw(bytes: Buffer): void;
  /** Set to stop reading: bytes that follow (a TLS ClientHello, say) are left unanswered. */
  silent: boolean;
}

export interface FakeServer {
  port: number;
  url: string;
  sessions: FakeSession[];
  close(): Promise<void>;
}

export const startFakeServer = async (onRequest: (request: LdapMessage, session: FakeSession) => void): Promise<FakeServer> => {
  const sessions: FakeSession[] = [];
  const server: Server = createServer((socket) => {
    const session: FakeSession = {
      socket,
      received: [],
      send: (message) => {
        if (!socket.destroyed) socket.write(encodeMessage(message));
      },
      sendRaw: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      silent: false,
    };
    sessions.push(session);
    const parser = new MessageParser();
    socket.on('error', () => undefined); // the client may reset; that is what some tests do
    socket.on('data', (chunk: Buffer) => {
      if (session.silent) return;
      try {
        parser.feed(chunk, (request) => {
          session.received.push(request);
          onRequest(request, session);
        });
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `ldap://127.0.0.1:${port}`,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.socket.destroy();
        server.close(() => resolve());
      }),
  };
};
