/**
 * Which name a TLS certificate is checked against, for StartTLS and for ldaps://. The URL's
 * host is the identity (RFC 4513 §3.1.3): an IP literal must be matched against the
 * certificate's IP addresses, a name against its DNS names. Before the fix, StartTLS to
 * ldap://127.0.0.1 passed neither host nor servername to node:tls, which then checked
 * "localhost": it accepted a certificate for DNS:localhost only and refused a correct
 * IP:127.0.0.1 one.
 *
 * The servers are written here: they answer the StartTLS extended request with success and then
 * do the TLS handshake with a certificate made for the test, on the address the URL names.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';
import { Client, ConnectionError, parseLdapUrl } from '../../../lib';
import { encodeMessage } from '../../../lib/protocol';
import { MessageParser } from '../../../lib/transport/message-parser';
import { openSocket } from '../../../lib/transport/socket';
import { createCertificatesFor } from '../../support/slapd/tls';
import type { IssuedCertificate } from '../../support/slapd/tls';

const START_TLS_OID = '1.3.6.1.4.1.1466.20037';

interface Listening {
  port: number;
  close(): Promise<void>;
}

const listen = async (server: Server, host: string, sockets: Set<Socket>): Promise<Listening> => {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

/** Answers StartTLS with success, then hands the socket to TLS with `certificate`. */
const startTlsServer = (host: string, certificate: IssuedCertificate): Promise<Listening> => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // the client refusing the certificate resets the socket
    const parser = new MessageParser();
    const onData = (chunk: Buffer): void => {
      parser.feed(chunk, (request) => {
        if (request.protocolOp.type !== 'extendedReq' || request.protocolOp.requestName !== START_TLS_OID) return;
        socket.write(encodeMessage({ messageId: request.messageId, protocolOp: { type: 'extendedResp', resultCode: 0, matchedDN: '', diagnosticMessage: '' } }));
        // What follows is the ClientHello: from here on the bytes belong to TLS.
        socket.off('data', onData);
        const secure = new TLSSocket(socket, { isServer: true, key: certificate.key, cert: certificate.cert });
        secure.on('error', () => undefined);
        sockets.add(secure);
      });
    };
    socket.on('data', onData);
  });
  return listen(server, host, sockets);
};

const ldapsServer = (host: string, certificate: IssuedCertificate): Promise<Listening> => {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  return listen(server, host, sockets);
};

/** 'upgraded', or the error startTLS() failed with. */
const startTls = async (url: string, ca: Buffer): Promise<unknown> => {
  const client = new Client({ url, tls: { ca }, connectTimeout: 10_000 });
  try {
    await client.startTLS();
    return 'upgraded';
  } catch (error) {
    return error;
  } finally {
    await client.unbind();
  }
};

/** 'connected', or the error opening the ldaps:// URL failed with. */
const ldaps = async (url: string, ca: Buffer): Promise<unknown> => {
  try {
    const socket = await openSocket(parseLdapUrl(url), { tls: { ca }, connectTimeout: 10_000 });
    socket.destroy();
    return 'connected';
  } catch (error) {
    return error;
  }
};

const expectRefusedName = (outcome: unknown, name: RegExp): void => {
  expect(outcome).to.be.instanceOf(ConnectionError);
  expect((outcome as Error).message).to.match(name);
};

describe('TLS verifies the URL host exactly (StartTLS and ldaps://, names, IPv4, IPv6)', function () {
  this.timeout(60_000);
  let dir: string;
  let ca: Buffer;
  let certificates: Record<'dnsLocalhost' | 'ipv4' | 'ipv6', IssuedCertificate>;
  let localhostAddress: string;
  const servers: Listening[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxldap-tls-names-'));
    ({ ca, issued: certificates } = await createCertificatesFor(dir, { dnsLocalhost: 'DNS:localhost', ipv4: 'IP:127.0.0.1', ipv6: 'IP:::1' }));
    // Listen where the client will connect for "localhost", whichever family the resolver gives.
    localhostAddress = (await lookup('localhost')).address;
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const serve = async (make: (host: string, certificate: IssuedCertificate) => Promise<Listening>, host: string, certificate: IssuedCertificate): Promise<number> => {
    const server = await make(host, certificate);
    servers.push(server);
    return server.port;
  };

  describe('StartTLS', () => {
    it('ldap://127.0.0.1 accepts a certificate for IP:127.0.0.1', async () => {
      const port = await serve(startTlsServer, '127.0.0.1', certificates.ipv4);
      expect(await startTls(`ldap://127.0.0.1:${port}`, ca)).to.equal('upgraded');
    });

    it('ldap://127.0.0.1 refuses a certificate for DNS:localhost only (it used to check "localhost")', async () => {
      const port = await serve(startTlsServer, '127.0.0.1', certificates.dnsLocalhost);
      expectRefusedName(await startTls(`ldap://127.0.0.1:${port}`, ca), /IP: 127\.0\.0\.1 is not in the cert's list/);
    });

    it('ldap://[::1] accepts a certificate for IP:::1', async () => {
      const port = await serve(startTlsServer, '::1', certificates.ipv6);
      expect(await startTls(`ldap://[::1]:${port}`, ca)).to.equal('upgraded');
    });

    it('ldap://[::1] refuses a certificate for DNS:localhost only, and one for IP:127.0.0.1', async () => {
      const port = await serve(startTlsServer, '::1', certificates.dnsLocalhost);
      expectRefusedName(await startTls(`ldap://[::1]:${port}`, ca), /IP: ::1 is not in the cert's list/);
      const other = await serve(startTlsServer, '::1', certificates.ipv4);
      expectRefusedName(await startTls(`ldap://[::1]:${other}`, ca), /IP: ::1 is not in the cert's list/);
    });

    it('ldap://localhost accepts a certificate for DNS:localhost and refuses one for IP:127.0.0.1 only', async () => {
      const good = await serve(startTlsServer, localhostAddress, certificates.dnsLocalhost);
      expect(await startTls(`ldap://localhost:${good}`, ca)).to.equal('upgraded');
      const bad = await serve(startTlsServer, localhostAddress, certificates.ipv4);
      expectRefusedName(await startTls(`ldap://localhost:${bad}`, ca), /Host: localhost\. is not cert's CN/);
    });
  });

  describe('ldaps:// (the reference StartTLS must agree with)', () => {
    it('ldaps://127.0.0.1 accepts IP:127.0.0.1 and refuses DNS:localhost only', async () => {
      const good = await serve(ldapsServer, '127.0.0.1', certificates.ipv4);
      expect(await ldaps(`ldaps://127.0.0.1:${good}`, ca)).to.equal('connected');
      const bad = await serve(ldapsServer, '127.0.0.1', certificates.dnsLocalhost);
      expectRefusedName(await ldaps(`ldaps://127.0.0.1:${bad}`, ca), /IP: 127\.0\.0\.1 is not in the cert's list/);
    });

    it('ldaps://[::1] accepts IP:::1 and refuses DNS:localhost only', async () => {
      const good = await serve(ldapsServer, '::1', certificates.ipv6);
      expect(await ldaps(`ldaps://[::1]:${good}`, ca)).to.equal('connected');
      const bad = await serve(ldapsServer, '::1', certificates.dnsLocalhost);
      expectRefusedName(await ldaps(`ldaps://[::1]:${bad}`, ca), /IP: ::1 is not in the cert's list/);
    });

    it('ldaps://localhost accepts DNS:localhost and refuses IP:127.0.0.1 only', async () => {
      const good = await serve(ldapsServer, localhostAddress, certificates.dnsLocalhost);
      expect(await ldaps(`ldaps://localhost:${good}`, ca)).to.equal('connected');
      const bad = await serve(ldapsServer, localhostAddress, certificates.ipv4);
      expectRefusedName(await ldaps(`ldaps://localhost:${bad}`, ca), /Host: localhost\. is not cert's CN/);
    });
  });
});
