/**
 * A server that closes its side of the connection (a FIN: slapd shutting down, the in-memory
 * directory's close()) ends the connection for the client at once. Before, the client waited for
 * 'close', which comes only once its own side has shut down too: an operation started in between
 * was written to a dead socket and failed ("This socket has been ended by the other party")
 * instead of going out on the next connection.
 */
import { expect } from 'chai';
import { Duplex } from 'node:stream';
import { Client } from '../../../lib';
import { encodeMessage, MessageParser } from '../../../lib/wire';
import type { LdapMessage } from '../../../lib/wire';

/**
 * One connection's server side, in-process: answers binds and Who am I?, and with `halfClose`
 * ends its side after the bind's answer while never letting the client's side finish shutting
 * down (so 'close' never comes: the widest form of the window between FIN and close).
 */
const scriptedConnection = (name: string, halfClose: boolean): Duplex => {
  const parser = new MessageParser();
  const stream: Duplex = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _encoding, callback) => {
      if (stream.readableEnded || stream.writableEnded) {
        callback(new Error('This socket has been ended by the other party'));
        return;
      }
      parser.feed(chunk, (request: LdapMessage) => {
        const { messageId, protocolOp } = request;
        if (protocolOp.type === 'bindRequest') {
          stream.push(encodeMessage({ messageId, protocolOp: { type: 'bindResponse', resultCode: 0, matchedDN: '', diagnosticMessage: '' } }));
          if (halfClose) stream.push(null);
        } else if (protocolOp.type === 'extendedReq') {
          stream.push(encodeMessage({ messageId, protocolOp: { type: 'extendedResp', resultCode: 0, matchedDN: '', diagnosticMessage: '', responseValue: Buffer.from(`dn:${name}`) } }));
        }
      });
      callback();
    },
    final: (callback) => {
      if (!halfClose) callback();
    },
  });
  return stream;
};

describe('Client: the server half-closes the connection', function () {
  this.timeout(10_000);

  it('an operation started after the FIN, before the socket closed, goes out on a new connection', async () => {
    let opened = 0;
    const client = new Client({
      url: 'ldap://in-process',
      connect: () => (++opened === 1 ? scriptedConnection('first', true) : scriptedConnection('second', false)),
      reconnect: { initialDelay: 10, maxDelay: 50, maxTime: 5_000 },
    });
    try {
      await client.bind('cn=someone', 'secret');
      // Let the FIN be read (its 'end' is emitted on a later tick than the bind's answer).
      await new Promise((resolve) => setImmediate(resolve));
      expect(await client.whoami()).to.equal('dn:second');
      expect(opened).to.equal(2);
    } finally {
      client.destroy();
    }
  });
});
