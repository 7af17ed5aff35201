import { expect } from 'chai';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { Connection, MessageIdAllocator } from '../../../lib/connection';
import type { ResponseHandler } from '../../../lib/connection';
import { ConnectionError, NoticeOfDisconnectionError, ProtocolError } from '../../../lib/errors';
import { encodeMessage } from '../../../lib/protocol';
import type { LdapMessage, ProtocolOp } from '../../../lib/protocol';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer, FakeSession } from '../../support/fake-server';

const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
const del = (entry: string): ProtocolOp & { type: 'delRequest' } => ({ type: 'delRequest', entry });

/** A handler that records what it gets and ends on the first response. */
const recorder = (): ResponseHandler & { messages: LdapMessage[]; errors: unknown[]; settled: Promise<void> } => {
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const record = {
    messages: [] as LdapMessage[],
    errors: [] as unknown[],
    settled,
    onMessage: (message: LdapMessage) => {
      record.messages.push(message);
      settle();
      return true;
    },
    onError: (error: unknown) => {
      record.errors.push(error);
      settle();
    },
  };
  return record;
};

const until = async (condition: () => boolean): Promise<void> => {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2000) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const withinMs = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);

describe('Connection', () => {
  let server: FakeServer | undefined;
  let socket: Socket;
  let onRequest: (request: LdapMessage, session: FakeSession) => void;

  const open = async (): Promise<Connection> => {
    server = await startFakeServer((request, session) => onRequest(request, session));
    socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    return new Connection(socket);
  };

  afterEach(async () => {
    socket?.destroy();
    await server?.close();
    server = undefined;
  });

  it('routes responses to their operations by messageID, whatever order they come in', async () => {
    const held: LdapMessage[] = [];
    onRequest = (request, session) => {
      held.push(request);
      if (held.length === 50) {
        for (const r of held.reverse()) {
          const op = r.protocolOp as { entry: string };
          session.send({ messageId: r.messageId, protocolOp: { type: 'delResponse', ...ok, diagnosticMessage: op.entry } });
        }
      }
    };
    const connection = await open();
    const records = Array.from({ length: 50 }, (_, i) => {
      const record = recorder();
      connection.request(del(`cn=${i}`), undefined, record);
      return record;
    });
    await withinMs(Promise.all(records.map((r) => r.settled)), 2000);
    records.forEach((record, i) => {
      const op = record.messages[0]!.protocolOp;
      expect(op.type === 'delResponse' && op.diagnosticMessage).to.equal(`cn=${i}`);
    });
    expect(connection.pendingCount).to.equal(0);
  });

  it('joins the requests made in one tick into one socket write, and each still gets its answer', async () => {
    onRequest = (request, session) => session.send({ messageId: request.messageId, protocolOp: { type: 'delResponse', ...ok } });
    const connection = await open();
    const writes: number[] = [];
    const write: (chunk: Buffer) => boolean = socket.write.bind(socket);
    socket.write = ((chunk: Buffer) => {
      writes.push(chunk.length);
      return write(chunk);
    });
    const records = Array.from({ length: 200 }, (_, i) => {
      const record = recorder();
      connection.request(del(`cn=${i}`), undefined, record);
      return record;
    });
    expect(writes, 'nothing is written before the tick ends').to.have.length(0);
    await withinMs(Promise.all(records.map((r) => r.settled)), 2000);
    expect(writes).to.have.length(1);
    const expected = records.reduce((sum, _, i) => sum + encodeMessage({ messageId: i + 1, protocolOp: del(`cn=${i}`) }).length, 0);
    expect(writes[0]).to.equal(expected);
    expect(server!.sessions[0]!.received).to.have.length(200);
  });

  it('delivers messageID 0 to notifications and keeps the connection open', async () => {
    onRequest = (request, session) => {
      session.send({ messageId: 0, protocolOp: { type: 'extendedResp', ...ok, responseName: '1.3.6.1.1.21.4' } });
      session.send({ messageId: request.messageId, protocolOp: { type: 'delResponse', ...ok } });
    };
    const connection = await open();
    const notes: LdapMessage[] = [];
    connection.notifications.subscribe((n) => notes.push(n));
    const record = recorder();
    connection.request(del('cn=x'), undefined, record);
    await withinMs(record.settled, 2000);
    expect(notes).to.have.length(1);
    expect(connection.isClosed).to.equal(false);
  });

  it('a Notice of Disconnection errors every pending operation with its result code and closes', async () => {
    let count = 0;
    onRequest = (_request, session) => {
      if (++count === 3) session.send({ messageId: 0, protocolOp: { type: 'extendedResp', resultCode: 52, matchedDN: '', diagnosticMessage: 'shutting down', responseName: '1.3.6.1.4.1.1466.20036' } });
    };
    const connection = await open();
    const records = [recorder(), recorder(), recorder()];
    for (const record of records) connection.request(del('cn=x'), undefined, record);
    await withinMs(Promise.all(records.map((r) => r.settled)), 2000);
    for (const record of records) {
      expect(record.errors[0]).to.be.instanceOf(NoticeOfDisconnectionError);
      expect((record.errors[0] as NoticeOfDisconnectionError).code).to.equal(52);
      expect((record.errors[0] as Error).message).to.match(/Notice of Disconnection \(result 52: shutting down\)/);
    }
    expect(connection.isClosed).to.equal(true);
    expect(() => connection.request(del('cn=y'), undefined, recorder())).to.throw(NoticeOfDisconnectionError);
  });

  it('a connection cut in the middle of a PDU errors every pending operation with ConnectionError', async () => {
    onRequest = (request, session) => {
      if (request.messageId === 2) {
        const pdu = encodeMessage({ messageId: 1, protocolOp: { type: 'delResponse', ...ok } });
        session.sendRaw(pdu.subarray(0, 6));
        setTimeout(() => session.socket.destroy(), 20);
      }
    };
    const connection = await open();
    const records = [recorder(), recorder()];
    for (const record of records) connection.request(del('cn=x'), undefined, record);
    await withinMs(Promise.all(records.map((r) => r.settled)), 2000);
    for (const record of records) expect(record.errors[0]).to.be.instanceOf(ConnectionError);
    expect(connection.closeReason).to.be.instanceOf(ConnectionError);
  });

  it('a malformed PDU errors every pending operation with ProtocolError and closes the socket', async () => {
    onRequest = (_request, session) => session.sendRaw(Buffer.from('3005020101ff00', 'hex'));
    const connection = await open();
    const records = [recorder(), recorder()];
    for (const record of records) connection.request(del('cn=x'), undefined, record);
    await withinMs(Promise.all(records.map((r) => r.settled)), 2000);
    for (const record of records) expect(record.errors[0]).to.be.instanceOf(ProtocolError);
    await withinMs(once(socket, 'close'), 2000);
  });

  it('abandon sends an AbandonRequest and drops the late response', async () => {
    const pendingReplies: Array<() => void> = [];
    onRequest = (request, session) => {
      if (request.protocolOp.type === 'delRequest') pendingReplies.push(() => session.send({ messageId: request.messageId, protocolOp: { type: 'delResponse', ...ok } }));
    };
    const connection = await open();
    const abandoned = recorder();
    const kept = recorder();
    const id = connection.request(del('cn=a'), undefined, abandoned);
    connection.request(del('cn=b'), undefined, kept);
    await until(() => pendingReplies.length === 2); // both on the wire: only then is an Abandon due
    connection.abandon(id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const reply of pendingReplies) reply();
    await withinMs(kept.settled, 2000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(abandoned.messages).to.have.length(0);
    const abandonRequest = server!.sessions[0]!.received.find((m) => m.protocolOp.type === 'abandonRequest');
    expect(abandonRequest?.protocolOp).to.deep.equal({ type: 'abandonRequest', idToAbandon: id });
  });

  it('close() sends Unbind, fails pending operations and never emits an unhandled error', async () => {
    onRequest = () => undefined;
    const connection = await open();
    const record = recorder();
    connection.request(del('cn=x'), undefined, record);
    await until(() => server!.sessions[0]?.received.length === 1);
    void connection.close();
    await withinMs(record.settled, 1000);
    expect(record.errors[0]).to.be.instanceOf(ConnectionError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server!.sessions[0]!.received.map((m) => m.protocolOp.type)).to.deep.equal(['delRequest', 'unbindRequest']);
  });
});

describe('Connection: requests that end before they are written', () => {
  it('close() drops what is still queued: the server sees only the Unbind, never the failed request', async () => {
    const server = await startFakeServer(() => undefined);
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    try {
      const connection = new Connection(socket);
      const record = recorder();
      connection.request(del('cn=x'), undefined, record);
      void connection.close();
      await withinMs(record.settled, 1000);
      expect(record.errors[0]).to.be.instanceOf(ConnectionError);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.sessions[0]!.received.map((m) => m.protocolOp.type)).to.deep.equal(['unbindRequest']);
    } finally {
      socket.destroy();
      await server.close();
    }
  });

  it('abandon() of a request still queued withdraws it: neither it nor an Abandon goes out', async () => {
    const server = await startFakeServer((request, session) => {
      if (request.protocolOp.type === 'delRequest') session.send({ messageId: request.messageId, protocolOp: { type: 'delResponse', ...ok } });
    });
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    try {
      const connection = new Connection(socket);
      const kept = recorder();
      const id = connection.request(del('cn=withdrawn'), undefined, recorder());
      expect(connection.queuedCount).to.equal(1);
      connection.abandon(id);
      expect(connection.queuedCount, 'withdrawn at once').to.equal(0);
      expect(connection.queuedBytes).to.equal(0);
      connection.request(del('cn=kept'), undefined, kept);
      await withinMs(kept.settled, 2000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const received = server.sessions[0]!.received.map((m) => (m.protocolOp.type === 'delRequest' ? m.protocolOp.entry : m.protocolOp.type));
      expect(received).to.deep.equal(['cn=kept']);
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});

describe('Connection states', () => {
  it('open, then closing while the Unbind goes out, then closed once the socket is', async () => {
    const server = await startFakeServer(() => undefined);
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    try {
      const connection = new Connection(socket);
      expect(connection.state).to.equal('open');
      const closed = connection.close();
      expect(connection.state).to.equal('closing');
      await closed;
      expect(connection.state).to.equal('closed');
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});

describe('MessageIdAllocator', () => {
  it('counts from 1, wraps from 2^31-1 to 1, and skips IDs in flight', () => {
    const inFlight = new Set<number>([1, 2]);
    const ids = new MessageIdAllocator(inFlight);
    expect(ids.allocate()).to.equal(3);
    ids.restartAt(2147483646);
    expect(ids.allocate()).to.equal(2147483646);
    inFlight.add(2147483647);
    expect(ids.allocate()).to.equal(3); // skips 2^31-1, 1 and 2, never 0
    expect(ids.allocate()).to.equal(4);
  });
});
