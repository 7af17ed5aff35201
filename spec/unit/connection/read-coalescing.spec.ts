import { expect } from 'chai';
import * as sinon from 'sinon';
import { Duplex } from 'node:stream';
import { Client } from '../../../lib/client';
import { Connection } from '../../../lib/connection';
import type { ResponseHandler } from '../../../lib/connection';
import { ReadCoalescer, SMALL_TURN_BYTES } from '../../../lib/connection/read-coalescing';
import { encodeMessage } from '../../../lib/protocol';
import type { LdapMessage, RequestOp } from '../../../lib/protocol';
import { parseFilter } from '../../../lib/filter';

/** A ReadHolder that records each hold the coalescer began ('hold') or ended ('release'). */
const fakeHolder = (pending = true) => {
  const calls: string[] = [];
  let coalescer: ReadCoalescer | undefined;
  return {
    calls,
    pending,
    /** The coalescer under test, so holdChanged can read `holding` as a connection does. */
    watch(watched: ReadCoalescer): ReadCoalescer {
      coalescer = watched;
      return watched;
    },
    onlyStreamsPending(): boolean {
      return this.pending;
    },
    holdChanged: () => calls.push(coalescer?.holding === true ? 'hold' : 'release'),
  };
};

describe('ReadCoalescer', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => clock.restore());

  it('holds the next read for delayMs after a small turn that ended no operation, then releases it', () => {
    const holder = fakeHolder();
    const coalescer = holder.watch(new ReadCoalescer(1, holder));
    coalescer.afterRead(900);
    expect(holder.calls, 'judged only once the turn is over').to.deep.equal([]);
    clock.tick(0);
    expect(holder.calls).to.deep.equal(['hold']);
    expect(coalescer.holding).to.equal(true);
    clock.tick(1);
    expect(holder.calls).to.deep.equal(['hold', 'release']);
    expect(coalescer.holding).to.equal(false);
  });

  it('reads on at once after a turn that ended an operation (request/response keeps its latency)', () => {
    const holder = fakeHolder();
    const coalescer = holder.watch(new ReadCoalescer(1, holder));
    coalescer.afterRead(300);
    coalescer.operationEnded();
    clock.tick(5);
    expect(holder.calls).to.deep.equal([]);
    // The next turn is judged on its own.
    coalescer.afterRead(300);
    clock.tick(0);
    expect(holder.calls).to.deep.equal(['hold']);
  });

  it('sums the chunks of one turn (TLS delivers a record at a time): a large turn is not held', () => {
    const holder = fakeHolder();
    const coalescer = holder.watch(new ReadCoalescer(1, holder));
    const record = 16 * 1024;
    for (let i = 0; i < SMALL_TURN_BYTES / record; i++) coalescer.afterRead(record);
    clock.tick(5);
    expect(holder.calls).to.deep.equal([]);
  });

  it('does not hold unless only streams are pending, and never with a delay of 0', () => {
    const idle = fakeHolder(false);
    idle.watch(new ReadCoalescer(1, idle)).afterRead(10);
    const off = fakeHolder();
    off.watch(new ReadCoalescer(0, off)).afterRead(10);
    expect(clock.countTimers(), 'a delay of 0 schedules nothing at all').to.equal(1);
    clock.tick(5);
    expect(idle.calls).to.deep.equal([]);
    expect(off.calls).to.deep.equal([]);
  });

  it('takes 0 to 10 ms and refuses anything else with a RangeError', () => {
    for (const bad of [-1, 11, 250, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new ReadCoalescer(bad, fakeHolder()), String(bad)).to.throw(RangeError, /coalesceReadsMs/);
    expect(() => new Client({ url: 'ldap://127.0.0.1:1', coalesceReadsMs: 250 }), 'at construction, not at connect').to.throw(RangeError);
    expect(() => new Client({ url: 'ldap://127.0.0.1:1', coalesceReadsMs: 10 })).to.not.throw();
  });

  it('cancel() drops a hold without releasing it (the connection releases on its own terms)', () => {
    const holder = fakeHolder();
    const coalescer = holder.watch(new ReadCoalescer(1, holder));
    coalescer.afterRead(10);
    clock.tick(0);
    coalescer.cancel();
    clock.tick(5);
    expect(holder.calls).to.deep.equal(['hold']);
    expect(coalescer.holding).to.equal(false);
  });
});

describe('Connection read coalescing', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => clock.restore());

  const search: RequestOp = {
    type: 'searchRequest', baseObject: 'ou=people,dc=example,dc=com', scope: 'wholeSubtree', derefAliases: 'neverDerefAliases',
    sizeLimit: 0, timeLimit: 0, typesOnly: false, filter: parseFilter('(objectClass=*)'), attributes: [],
  };
  const entry = (messageId: number, n: number): Buffer =>
    encodeMessage({ messageId, protocolOp: { type: 'searchResEntry', objectName: `uid=user${n},ou=people,dc=example,dc=com`, attributes: [{ type: 'cn', vals: [Buffer.from(`User ${n}`)] }] } });
  const done = (messageId: number): Buffer =>
    encodeMessage({ messageId, protocolOp: { type: 'searchResDone', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });

  /** A socket stand-in: bytes arrive through emit('data'); pause()/resume() are recorded. */
  const fakeSocket = (): Duplex => new Duplex({ read() {}, write: (_chunk, _encoding, callback) => callback() });

  const streamHandler = (): ResponseHandler & { messages: LdapMessage[] } => {
    const messages: LdapMessage[] = [];
    return { messages, onMessage: (message) => (messages.push(message), message.protocolOp.type === 'searchResDone'), onError: () => undefined };
  };

  it('pauses the socket for 1 ms between small reads of a stream, delivering every entry in order', () => {
    const socket = fakeSocket();
    const connection = new Connection(socket);
    const handler = streamHandler();
    const id = connection.request(search, undefined, handler);
    socket.emit('data', Buffer.concat([entry(id, 1), entry(id, 2)]));
    clock.tick(0);
    expect(socket.isPaused(), 'held after a small read').to.equal(true);
    clock.tick(1);
    expect(socket.isPaused(), 'reading again after the hold').to.equal(false);
    socket.emit('data', Buffer.concat([entry(id, 3), done(id)]));
    clock.tick(5);
    expect(socket.isPaused(), 'the turn that ended the search is not held').to.equal(false);
    expect(handler.messages.map((m) => m.protocolOp.type)).to.deep.equal(['searchResEntry', 'searchResEntry', 'searchResEntry', 'searchResDone']);
    expect(connection.pendingCount).to.equal(0);
  });

  it('never holds while a non-search operation waits on the same connection (its latency is kept)', () => {
    const socket = fakeSocket();
    const connection = new Connection(socket);
    const stream = streamHandler();
    const id = connection.request(search, undefined, stream);
    const compare = { messages: [] as LdapMessage[], onMessage: (message: LdapMessage) => (compare.messages.push(message), true), onError: () => undefined };
    const compareId = connection.request({ type: 'compareRequest', entry: 'uid=user1,ou=people,dc=example,dc=com', ava: { attributeDesc: 'uid', assertionValue: Buffer.from('user1') } }, undefined, compare);
    socket.emit('data', entry(id, 1));
    clock.tick(0);
    expect(socket.isPaused(), 'a compare is waiting').to.equal(false);
    socket.emit('data', encodeMessage({ messageId: compareId, protocolOp: { type: 'compareResponse', resultCode: 6, matchedDN: '', diagnosticMessage: '' } }));
    clock.tick(0);
    expect(socket.isPaused(), 'that turn ended an operation').to.equal(false);
    socket.emit('data', entry(id, 2));
    clock.tick(0);
    expect(socket.isPaused(), 'only the stream is left').to.equal(true);
    expect(compare.messages).to.have.length(1);
  });

  it('coalesceReadsMs: 0 never pauses', () => {
    const socket = fakeSocket();
    const connection = new Connection(socket, { coalesceReadsMs: 0 });
    const id = connection.request(search, undefined, streamHandler());
    socket.emit('data', entry(id, 1));
    clock.tick(0);
    expect(socket.isPaused()).to.equal(false);
  });

  it('a hold ending while a slow consumer applies backpressure leaves the socket paused until resume()', () => {
    const socket = fakeSocket();
    const connection = new Connection(socket);
    const id = connection.request(search, undefined, streamHandler());
    socket.emit('data', entry(id, 1));
    clock.tick(0);
    connection.pause(); // the consumer's buffer filled during the hold
    clock.tick(1);
    expect(socket.isPaused()).to.equal(true);
    expect(connection.isPaused).to.equal(true);
    connection.resume();
    expect(socket.isPaused()).to.equal(false);
  });

  it('a connection that fails during a hold reads again (its close must come through) and holds no timer', () => {
    const socket = fakeSocket();
    const connection = new Connection(socket);
    const handler = streamHandler();
    let failure: unknown;
    handler.onError = (error) => (failure = error);
    const id = connection.request(search, undefined, handler);
    socket.emit('data', entry(id, 1));
    clock.tick(0);
    expect(socket.isPaused()).to.equal(true);
    socket.emit('close');
    expect(failure).to.be.instanceOf(Error);
    expect(socket.isPaused()).to.equal(false);
    expect(clock.countTimers()).to.equal(0);
  });
});
