import { expect } from 'chai';
import sinon from 'sinon';
import { inspect } from 'node:util';
import { ConnectionError, InvalidCredentialsError, ProtocolError, ResultCode } from '../../../lib/errors';
import type { LdapMessage, ProtocolOp } from '../../../lib/protocol';
import { Client } from '../../../lib/client';
import type { ClientMetrics, LevelLogger, LogFields, LogLevel } from '../../../lib/client';
import { Telemetry } from '../../../lib/client/telemetry';
import type { TelemetryOptions } from '../../../lib/client/telemetry';
import { toLogFunction } from '../../../lib/client/logging';

const result = { matchedDN: '', diagnosticMessage: '' };
const message = (messageId: number, protocolOp: ProtocolOp, controls?: LdapMessage['controls']): LdapMessage =>
  controls === undefined ? { messageId, protocolOp } : { messageId, protocolOp, controls };

interface Line {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

/** A Telemetry whose log lines land in `lines`. */
const capturing = (options: TelemetryOptions = {}): { telemetry: Telemetry; lines: Line[] } => {
  const lines: Line[] = [];
  const telemetry = new Telemetry({ logger: (level, text, fields) => lines.push({ level, message: text, fields }), ...options });
  return { telemetry, lines };
};

/** A day's traffic of one connection, as the Connection reports it. */
const traffic = (telemetry: Telemetry): void => {
  const observer = telemetry.observer;
  observer.sent?.({ type: 'bindRequest', messageId: 1, bytes: 40 });
  observer.read?.(14);
  observer.received?.(message(1, { type: 'bindResponse', resultCode: ResultCode.invalidCredentials, ...result }));
  observer.sent?.({ type: 'bindRequest', messageId: 2, bytes: 40 });
  observer.received?.(message(2, { type: 'bindResponse', resultCode: ResultCode.saslBindInProgress, ...result, serverSaslCreds: Buffer.from('server-secret') }));
  observer.sent?.({ type: 'searchRequest', messageId: 3, bytes: 60 });
  observer.read?.(300);
  for (let i = 0; i < 3; i++) {
    observer.received?.(message(3, { type: 'searchResEntry', objectName: `uid=u${i},dc=x`, attributes: [{ type: 'userPassword', vals: [Buffer.from('pw-value')] }] }));
  }
  observer.received?.(message(3, { type: 'searchResRef', uris: ['ldap://other/??sub?bindname=x'] }));
  observer.received?.(message(3, { type: 'searchResDone', resultCode: ResultCode.sizeLimitExceeded, ...result }));
  observer.sent?.({ type: 'compareRequest', messageId: 4, bytes: 30 });
  observer.received?.(message(4, { type: 'compareResponse', resultCode: ResultCode.compareTrue, ...result }));
  observer.sent?.({ type: 'modifyRequest', messageId: 5, bytes: 50 });
  observer.received?.(message(5, { type: 'modifyResponse', resultCode: ResultCode.invalidCredentials, ...result }));
  observer.sent?.({ type: 'unbindRequest', messageId: 6, bytes: 7 });
  observer.closed?.(new ConnectionError('connection closed by the client'));
};

describe('Telemetry', () => {
  describe('counters', () => {
    it('count bytes, messages, operations by type, entries, references and errors by result code', () => {
      const telemetry = new Telemetry({});
      traffic(telemetry);
      const metrics = telemetry.metrics;
      expect(metrics).to.include({
        bytesSent: 40 + 40 + 60 + 30 + 50 + 7,
        bytesReceived: 314,
        messagesSent: 6,
        messagesReceived: 9,
        entries: 3,
        references: 1,
        socketsClosed: 1,
      });
      expect(metrics.operations).to.deep.equal({ bind: 2, unbind: 1, search: 1, modify: 1, add: 0, delete: 0, modifyDN: 0, compare: 1, abandon: 0, extended: 0 });
      // compareTrue and saslBindInProgress are answers, not errors
      expect(metrics.errors).to.deep.equal({ sizeLimitExceeded: 1, invalidCredentials: 2 });
    });

    it('count connections, restarts, reconnection attempts and failovers from the client events', () => {
      const telemetry = new Telemetry({});
      const reason = new ConnectionError('lost');
      telemetry.event({ type: 'connected', server: 'ldap://a', secure: false });
      telemetry.event({ type: 'disconnected', server: 'ldap://a', reason, expected: false });
      telemetry.event({ type: 'reconnecting', server: 'ldap://a', attempt: 1, delay: 100, reason });
      telemetry.event({ type: 'reconnecting', server: 'ldap://a', attempt: 2, delay: 200, reason });
      telemetry.event({ type: 'failover', from: 'ldap://a', to: 'ldap://b' });
      telemetry.event({ type: 'connected', server: 'ldap://b', secure: false });
      expect(telemetry.metrics).to.include({ socketsOpened: 2, restarts: 1, reconnectAttempts: 2, failovers: 1 });
    });

    it('an unknown result code is counted under unknown(<code>)', () => {
      const telemetry = new Telemetry({});
      telemetry.observer.received?.(message(1, { type: 'delResponse', resultCode: 999, ...result }));
      expect(telemetry.metrics.errors).to.deep.equal({ 'unknown(999)': 1 });
    });

    it('a snapshot is a frozen plain object that later counts do not change', () => {
      const telemetry = new Telemetry({});
      telemetry.observer.sent?.({ type: 'addRequest', messageId: 1, bytes: 10 });
      const before = telemetry.metrics;
      telemetry.observer.sent?.({ type: 'addRequest', messageId: 2, bytes: 10 });
      expect(Object.isFrozen(before) && Object.isFrozen(before.operations) && Object.isFrozen(before.errors)).to.equal(true);
      expect(before.operations.add).to.equal(1);
      expect(telemetry.metrics.operations.add).to.equal(2);
      expect(Object.getPrototypeOf(before)).to.equal(Object.prototype);
    });

    it('times: openedAt from the first request, closedAt from the last close, elapsed since openedAt', () => {
      const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
      try {
        const telemetry = new Telemetry({});
        expect(telemetry.metrics).to.include({ openedAt: undefined, closedAt: undefined, elapsedMs: 0 });
        telemetry.observer.sent?.({ type: 'searchRequest', messageId: 1, bytes: 10 });
        clock.tick(250);
        telemetry.observer.closed?.(new ConnectionError('closed'));
        clock.tick(50);
        expect(telemetry.metrics).to.include({ openedAt: 1_000_000, closedAt: 1_000_250, elapsedMs: 300 });
      } finally {
        clock.restore();
      }
    });
  });

  describe('metrics$', () => {
    let clock: sinon.SinonFakeTimers | undefined;
    afterEach(() => clock?.restore());

    it('emits a snapshot on subscribe, then at most one per interval while counts change, and none while idle', () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const telemetry = new Telemetry({ metricsInterval: 100 });
      const seen: ClientMetrics[] = [];
      const subscription = telemetry.metrics$.subscribe((metrics) => seen.push(metrics));
      expect(seen.map((m) => m.bytesReceived)).to.deep.equal([0]);
      for (let i = 0; i < 10; i++) telemetry.observer.read?.(1);
      clock.tick(99);
      expect(seen).to.have.length(1);
      clock.tick(1);
      expect(seen.map((m) => m.bytesReceived)).to.deep.equal([0, 10]);
      clock.tick(10_000);
      expect(seen, 'nothing changed, nothing emitted').to.have.length(2);
      expect(clock.countTimers(), 'an idle watcher runs no timer').to.equal(0);
      telemetry.observer.read?.(5);
      clock.tick(100);
      expect(seen.map((m) => m.bytesReceived)).to.deep.equal([0, 10, 15]);
      subscription.unsubscribe();
    });

    it('runs no timer when nobody subscribes, and stops it when the last watcher leaves', () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const telemetry = new Telemetry({ metricsInterval: 100 });
      telemetry.observer.read?.(1);
      expect(clock.countTimers()).to.equal(0);
      const first = telemetry.metrics$.subscribe();
      const second = telemetry.metrics$.subscribe();
      telemetry.observer.read?.(1);
      expect(clock.countTimers(), 'one timer for all watchers').to.equal(1);
      first.unsubscribe();
      expect(clock.countTimers()).to.equal(1);
      second.unsubscribe();
      expect(clock.countTimers()).to.equal(0);
    });

    it('its timer never keeps the process alive (unref)', () => {
      const timers = (): number => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
      const telemetry = new Telemetry({ metricsInterval: 3_600_000 });
      const before = timers();
      const subscription = telemetry.metrics$.subscribe();
      telemetry.observer.read?.(1);
      expect(timers()).to.equal(before);
      subscription.unsubscribe();
    });

    it('metricsInterval must be a positive number', () => {
      for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => new Telemetry({ metricsInterval: bad })).to.throw(RangeError, /metricsInterval/);
    });
  });

  describe('logging', () => {
    it('logs nothing without a logger, and only up to logLevel with one', () => {
      const levels = (logLevel: LogLevel): LogLevel[] => {
        const { telemetry, lines } = capturing({ logLevel });
        telemetry.event({ type: 'connected', server: 'ldap://a', secure: false });
        telemetry.event({ type: 'unavailable', reason: new ConnectionError('no server') });
        traffic(telemetry);
        return [...new Set(lines.map((line) => line.level))].sort();
      };
      expect(levels('error')).to.deep.equal(['error']);
      expect(levels('basic')).to.deep.equal(['basic', 'error']);
      expect(levels('protocol')).to.deep.equal(['basic', 'error', 'protocol']);
      expect(levels('network')).to.deep.equal(['basic', 'error', 'network', 'protocol']);
      expect(() => traffic(new Telemetry({}))).not.to.throw();
    });

    it("logLevel defaults to 'basic' and refuses an unknown level", () => {
      const { telemetry, lines } = capturing();
      traffic(telemetry);
      telemetry.event({ type: 'bound', server: 'ldap://a', identity: { method: 'simple', dn: 'cn=admin' }, rebind: false });
      expect(lines.map((line) => line.level)).to.deep.equal(['basic']);
      expect(() => new Telemetry({ logLevel: 'debug' as LogLevel })).to.throw(RangeError, /logLevel/);
    });

    it('maps events to levels: unexpected disconnections and unavailability are errors, the rest basic', () => {
      const { telemetry, lines } = capturing({ logLevel: 'basic' });
      const reason = new ProtocolError('garbage');
      telemetry.event({ type: 'connected', server: 'ldap://a', secure: true });
      telemetry.event({ type: 'bound', server: 'ldap://a', identity: { method: 'sasl', mechanism: 'EXTERNAL' }, rebind: true });
      telemetry.event({ type: 'disconnected', server: 'ldap://a', reason, expected: false });
      telemetry.event({ type: 'reconnecting', server: 'ldap://a', attempt: 1, delay: 10, reason });
      telemetry.event({ type: 'failover', from: 'ldap://a', to: 'ldap://b' });
      telemetry.event({ type: 'disconnected', server: 'ldap://b', reason: new ConnectionError('unbind'), expected: true });
      telemetry.event({ type: 'unavailable', reason: new InvalidCredentialsError({ diagnosticMessage: 'rebind refused' }) });
      expect(lines.map((line) => `${line.level} ${String(line.fields['event'])}`)).to.deep.equal([
        'basic connected',
        'basic bound',
        'error disconnected',
        'basic reconnecting',
        'basic failover',
        'basic disconnected',
        'error unavailable',
      ]);
      expect(lines[2]!.fields['reason']).to.deep.equal({ name: 'ProtocolError', message: 'garbage' });
      expect(lines[6]!.fields['reason']).to.include({ name: 'InvalidCredentialsError', code: ResultCode.invalidCredentials });
    });

    it('protocol lines summarize: types, messageIDs, result codes, DNs and attribute names, never values, credentials or control values', () => {
      const { telemetry, lines } = capturing({ logLevel: 'network' });
      traffic(telemetry);
      telemetry.observer.received?.(
        message(7, { type: 'extendedResp', resultCode: 0, ...result, diagnosticMessage: 'echo pw-value', responseName: '1.3.6.1.4.1.4203.1.11.3', responseValue: Buffer.from('dn:secret-id') }, [
          { type: 'raw', oid: '1.2.3.4', criticality: false, value: Buffer.from('control-secret') },
        ]),
      );
      const entry = lines.find((line) => line.fields['type'] === 'searchResEntry');
      expect(entry?.fields).to.deep.equal({ messageId: 3, type: 'searchResEntry', dn: 'uid=u0,dc=x', attributes: ['userPassword'] });
      expect(lines.find((line) => line.fields['type'] === 'searchResDone')?.fields).to.deep.equal({ messageId: 3, type: 'searchResDone', resultCode: 4, result: 'sizeLimitExceeded' });
      expect(lines.find((line) => line.message === 'sent bindRequest #1')?.fields).to.deep.equal({ messageId: 1, type: 'bindRequest' });
      expect(lines.filter((line) => line.level === 'network').map((line) => line.message)).to.include.members(['read 14 bytes', 'wrote 40 bytes', 'socket closed']);
      const everything = JSON.stringify(lines) + inspect(lines, { depth: Infinity });
      for (const secret of ['pw-value', 'server-secret', 'secret-id', 'control-secret', 'bindname']) expect(everything).not.to.include(secret);
    });
  });

  describe('the logger option', () => {
    /** The calls a logger with only the methods `names` receives for one line of each level. */
    const callsOf = (...names: (keyof LevelLogger)[]): string[] => {
      const calls: string[] = [];
      const logger: LevelLogger = {};
      for (const name of names) {
        logger[name] = (fields: unknown, text: unknown): void => {
          calls.push(`${name}:${String(text)}`);
          expect(fields).to.be.an('object');
        };
      }
      const log = toLogFunction(logger);
      log('error', 'e', {});
      log('basic', 'b', {});
      log('protocol', 'p', {});
      log('network', 'n', {});
      return calls;
    };

    it('maps error, basic, protocol and network onto error, info, debug and trace, as pino calls them (fields, message)', () => {
      expect(callsOf('error', 'info', 'debug', 'trace', 'log')).to.deep.equal(['error:e', 'info:b', 'debug:p', 'trace:n']);
    });

    it('falls back to log, then info, for a missing method', () => {
      expect(callsOf('log')).to.deep.equal(['log:e', 'log:b', 'log:p', 'log:n']);
      expect(callsOf('info')).to.deep.equal(['info:e', 'info:b', 'info:p', 'info:n']);
      expect(callsOf('error', 'info')).to.deep.equal(['error:e', 'info:b', 'info:p', 'info:n']);
    });

    it('looks the method up at each line (pino swaps methods when its level changes) and calls it on the logger', () => {
      const calls: string[] = [];
      const logger = {
        prefix: 'first',
        info(this: { prefix: string }, _fields: unknown, text: unknown): void {
          calls.push(`${this.prefix}:${String(text)}`);
        },
      };
      const log = toLogFunction(logger);
      log('basic', 'one', {});
      logger.info = function (this: { prefix: string }, _fields: unknown, text: unknown): void {
        calls.push(`swapped:${this.prefix}:${String(text)}`);
      };
      log('basic', 'two', {});
      expect(calls).to.deep.equal(['first:one', 'swapped:first:two']);
    });

    it("sends the global console's network lines to debug, not trace (console.trace prints a stack)", () => {
      const debug = sinon.stub(console, 'debug');
      const trace = sinon.stub(console, 'trace');
      try {
        toLogFunction(console)('network', 'read 5 bytes', { bytes: 5 });
      } finally {
        debug.restore();
        trace.restore();
      }
      expect([debug.callCount, trace.callCount]).to.deep.equal([1, 0]);
      expect(debug.firstCall.args).to.deep.equal([{ bytes: 5 }, 'read 5 bytes']);
    });

    it('refuses what is not a logger', () => {
      expect(() => toLogFunction({})).to.throw(TypeError, /none of the methods/);
      expect(() => toLogFunction('console' as unknown as LevelLogger)).to.throw(TypeError, /logger must be/);
      expect(() => new Client({ url: 'ldap://127.0.0.1', logger: 42 as unknown as LevelLogger })).to.throw(TypeError);
    });

    it('a logger that throws loses its lines, and the counts go on', () => {
      const telemetry = new Telemetry({ logLevel: 'network', logger: () => { throw new Error('broken logger'); } });
      expect(() => traffic(telemetry)).not.to.throw();
      expect(() => telemetry.event({ type: 'connected', server: 'ldap://a', secure: false })).not.to.throw();
      expect(telemetry.metrics.messagesSent).to.equal(6);
      const object = new Telemetry({ logLevel: 'network', logger: { info: () => { throw new Error('broken'); } } });
      expect(() => traffic(object)).not.to.throw();
    });
  });

  describe('on the Client', () => {
    it('util.inspect and JSON show a logger by its presence only', () => {
      const circular: LevelLogger & { self?: unknown } = { info: () => undefined };
      circular.self = circular;
      const client = new Client({ url: 'ldap://127.0.0.1', logger: circular });
      expect((JSON.parse(JSON.stringify(client)) as { options: { logger: unknown } }).options.logger).to.equal('[logger]');
      expect(inspect(client)).to.include("logger: '[logger]'");
    });

    it('metrics is a snapshot before anything happened', () => {
      const client = new Client({ url: 'ldap://127.0.0.1' });
      expect(client.metrics).to.include({ socketsOpened: 0, messagesSent: 0, elapsedMs: 0 });
    });
  });
});
