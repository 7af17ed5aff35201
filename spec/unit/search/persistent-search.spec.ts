import { expect } from 'chai';
import { concat, from, NEVER, Observable } from 'rxjs';
import { ProtocolError, UnavailableCriticalExtensionError } from '../../../lib/errors';
import type { ExchangeOptions } from '../../../lib/operations/exchange';
import { persistentSearchControl } from '../../../lib/protocol/controls/factories';
import { ControlOid } from '../../../lib/protocol/controls/oids';
import type { Control, EntryChangeNotificationControl, PersistentSearchControl } from '../../../lib/protocol/controls/types';
import type { LdapMessage, SearchRequest } from '../../../lib/protocol/types';
import type { SearchChannel } from '../../../lib/search/channel';
import { SearchEntry } from '../../../lib/search/entry';
import { persistentSearch } from '../../../lib/search/persistent-search';
import type { ChangeEvent } from '../../../lib/search/persistent-search';

/*
 * The translation from search messages to ChangeEvents, over a channel that replays scripted
 * messages: what 389-ds never sends on demand (a changeNumber, a search it ends by itself) and
 * what a request carries. The behaviour against a real server is in
 * spec/integration/client/persistent-search.spec.ts.
 */

const ID = 5;
const BASE = 'ou=people,dc=example,dc=com';

const notification = (value: EntryChangeNotificationControl['value']): EntryChangeNotificationControl => ({
  type: 'entryChangeNotification',
  oid: ControlOid.entryChangeNotification,
  criticality: false,
  value,
});
const entry = (dn: string, controls?: Control[]): LdapMessage => {
  const message: LdapMessage = { messageId: ID, protocolOp: { type: 'searchResEntry', objectName: dn, attributes: [{ type: 'cn', vals: [Buffer.from(dn.slice(3, dn.indexOf(',')))] }] } };
  if (controls !== undefined) message.controls = controls;
  return message;
};
const done = (resultCode: number, diagnosticMessage = ''): LdapMessage => ({
  messageId: ID,
  protocolOp: { type: 'searchResDone', resultCode, matchedDN: '', diagnosticMessage },
});

/** A channel that answers every search with `messages` (then, unless `ends`, stays open). */
interface ScriptedChannel extends SearchChannel {
  readonly sent: Array<{ request: SearchRequest; options: ExchangeOptions }>;
  /** Searches unsubscribed from (the client's Abandon). */
  readonly stopped: { count: number };
}
const scripted = (messages: LdapMessage[], ends = true): ScriptedChannel => {
  const sent: Array<{ request: SearchRequest; options: ExchangeOptions }> = [];
  const stopped = { count: 0 };
  const channel: ScriptedChannel = {
    sent,
    stopped,
    session: () => channel,
    search: (request, options) =>
      new Observable<LdapMessage>((subscriber) => {
        sent.push({ request, options });
        const source = ends ? from(messages) : concat(from(messages), NEVER);
        let ended = false;
        const subscription = source.subscribe({
          next: (message) => subscriber.next(message),
          complete: () => {
            ended = true;
            subscriber.complete();
          },
        });
        return () => {
          if (!ended) stopped.count++;
          subscription.unsubscribe();
        };
      }),
    flow: { pause: () => undefined, resume: () => undefined },
  };
  return channel;
};

const psearchControl = (options: ExchangeOptions): PersistentSearchControl => {
  const control = options.controls?.[0];
  if (control?.type !== 'persistentSearch') throw new Error(`first control is ${String(control?.type)}, not persistentSearch`);
  return control;
};

describe('persistentSearch (scripted channel)', () => {
  describe('events', () => {
    it('turns each Entry Change Notification into a typed event with previousDN and changeNumber', async () => {
      const channel = scripted([
        entry(`cn=a,${BASE}`, [notification({ changeType: 'add', changeNumber: 41 })]),
        entry(`cn=a,${BASE}`, [notification({ changeType: 'modify', changeNumber: 42 })]),
        entry(`cn=b,${BASE}`, [notification({ changeType: 'modDN', previousDN: `cn=a,${BASE}`, changeNumber: 43 })]),
        entry(`cn=b,${BASE}`, [notification({ changeType: 'delete' })]),
        done(0),
      ]);
      const events = await persistentSearch(channel, BASE);
      expect(events.map((e) => [e.type, e.entry.dn, e.previousDN, e.changeNumber])).to.deep.equal([
        ['add', `cn=a,${BASE}`, undefined, 41],
        ['modify', `cn=a,${BASE}`, undefined, 42],
        ['modDN', `cn=b,${BASE}`, `cn=a,${BASE}`, 43],
        ['delete', `cn=b,${BASE}`, undefined, undefined],
      ]);
      expect(events.every((e) => e.entry instanceof SearchEntry && e.entry.messageId === ID)).to.equal(true);
      expect(events[1]!.entry.get('cn')).to.equal('a');
      // Absent, not present-and-undefined: an event spreads or serializes without empty keys.
      expect(Object.keys(events[3]!).sort()).to.deep.equal(['entry', 'type']);
    });

    it('an entry without a notification is `initial` when notifications were asked for, `unknown` when not', async () => {
      const messages = [entry(`cn=a,${BASE}`), entry(`cn=b,${BASE}`, [notification({ changeType: 'add' })]), done(0)];
      const withECs = await persistentSearch(scripted(messages), BASE, { changesOnly: false });
      expect(withECs.map((e) => e.type)).to.deep.equal(['initial', 'add']);
      const withoutECs = await persistentSearch(scripted(messages.slice(0, 1).concat(done(0))), BASE, { returnECs: false });
      expect(withoutECs.map((e) => e.type)).to.deep.equal(['unknown']);
    });

    it('ignores search references and intermediate responses', async () => {
      const events = await persistentSearch(
        scripted([
          { messageId: ID, protocolOp: { type: 'searchResRef', uris: ['ldap://elsewhere/dc=example,dc=com'] } },
          { messageId: ID, protocolOp: { type: 'intermediateResponse', responseName: '1.2.3' } },
          entry(`cn=a,${BASE}`, [notification({ changeType: 'add' })]),
          done(0),
        ]),
        BASE,
      );
      expect(events.map((e) => e.entry.dn)).to.deep.equal([`cn=a,${BASE}`]);
    });
  });

  describe('how it ends', () => {
    it('a successful searchResDone (the server ending the search) completes it', async () => {
      let completed = false;
      const seen: ChangeEvent[] = [];
      await new Promise<void>((resolve, reject) =>
        persistentSearch(scripted([entry(`cn=a,${BASE}`, [notification({ changeType: 'add' })]), done(0)]), BASE).subscribe({
          next: (e) => seen.push(e),
          error: reject,
          complete: () => {
            completed = true;
            resolve();
          },
        }),
      );
      expect(completed).to.equal(true);
      expect(seen).to.have.length(1);
    });

    it('a failing searchResDone is the LdapError for its code, with the messageID, after the events before it', async () => {
      const seen: ChangeEvent[] = [];
      const failure = await new Promise<unknown>((resolve) =>
        persistentSearch(scripted([entry(`cn=a,${BASE}`, [notification({ changeType: 'add' })]), done(12, 'no psearch here')]), BASE).subscribe({
          next: (e) => seen.push(e),
          error: resolve,
          complete: () => resolve('completed'),
        }),
      );
      expect(seen).to.have.length(1);
      expect(failure).to.be.instanceOf(UnavailableCriticalExtensionError);
      expect((failure as UnavailableCriticalExtensionError).code).to.equal(12);
      expect((failure as UnavailableCriticalExtensionError).diagnosticMessage).to.equal('no psearch here');
      expect((failure as UnavailableCriticalExtensionError).messageId).to.equal(ID);
    });

    it('a response that has no place in a search is a ProtocolError, and the search is abandoned', async () => {
      const channel = scripted([{ messageId: ID, protocolOp: { type: 'modifyResponse', resultCode: 0, matchedDN: '', diagnosticMessage: '' } }], false);
      const failure = await persistentSearch(channel, BASE).then(
        () => 'resolved',
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(ProtocolError);
      expect((failure as ProtocolError).message).to.equal(`unexpected modifyResponse in a persistent search (messageID ${ID})`);
      expect(channel.stopped.count).to.equal(1);
    });

    it('does not end while the server keeps it open: an iterator gets the events and `return()` unsubscribes', async () => {
      const channel = scripted([entry(`cn=a,${BASE}`, [notification({ changeType: 'add' })])], false);
      const iterator = persistentSearch(channel, BASE)[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).to.equal(false);
      expect((first.value as ChangeEvent).type).to.equal('add');
      expect(channel.stopped.count).to.equal(0);
      expect(await iterator.return!()).to.deep.equal({ value: undefined, done: true });
      expect(channel.stopped.count).to.equal(1);
    });
  });

  describe('the request', () => {
    it('defaults: the critical control for every change type, changes only, with notifications; no timeout; abandon on stop', () => {
      const channel = scripted([done(0)]);
      persistentSearch(channel, BASE, { filter: '(objectClass=person)', scope: 'one', attributes: ['cn'] }).subscribe({ error: () => undefined });
      expect(channel.sent).to.have.length(1);
      const { request, options } = channel.sent[0]!;
      expect(psearchControl(options)).to.deep.equal(persistentSearchControl({ changeTypes: 15, changesOnly: true, returnECs: true }, { critical: true }));
      expect(options.controls).to.have.length(1);
      // 0 and not undefined: the client's default timeout must not end a healthy, quiet search.
      expect(options.timeout).to.equal(0);
      expect(options.stopWith).to.equal(undefined);
      expect(request.baseObject).to.equal(BASE);
      expect(request.scope).to.equal('singleLevel');
      expect(request.attributes).to.deep.equal(['cn']);
      expect(request.filter).to.deep.equal({ type: 'equalityMatch', attributeDesc: 'objectClass', assertionValue: Buffer.from('person') });
    });

    it('passes changeTypes (names or mask), changesOnly, returnECs and criticality into the control, then the other controls', () => {
      const channel = scripted([done(0)]);
      const extra: Control = { type: 'manageDsaIT', oid: ControlOid.manageDsaIT, criticality: false };
      const signal = new AbortController().signal;
      persistentSearch(channel, BASE, { changeTypes: ['add', 'modDN'], changesOnly: false, returnECs: false, critical: false, controls: [extra], timeout: 1234, signal }).subscribe({ error: () => undefined });
      persistentSearch(channel, BASE, { changeTypes: 2 | 4 }).subscribe({ error: () => undefined });
      expect(channel.sent).to.have.length(2);
      const [first, second] = [channel.sent[0]!, channel.sent[1]!];
      expect(psearchControl(first.options)).to.deep.include({ criticality: false, value: { changeTypes: 1 | 8, changesOnly: false, returnECs: false } });
      expect(first.options.controls?.[1]).to.equal(extra);
      expect(first.options.timeout).to.equal(1234);
      expect(first.options.signal).to.equal(signal);
      expect(psearchControl(second.options).value.changeTypes).to.equal(6);
    });

    it('bad changeTypes are a TypeError or RangeError at the call, before anything is sent', () => {
      const channel = scripted([done(0)]);
      expect(() => persistentSearch(channel, BASE, { changeTypes: ['rename' as 'modDN'] })).to.throw(TypeError, /rename/);
      expect(() => persistentSearch(channel, BASE, { changeTypes: [] })).to.throw(RangeError);
      expect(() => persistentSearch(channel, BASE, { changeTypes: 16 })).to.throw(RangeError);
      expect(channel.sent).to.have.length(0);
    });

    it('is cold, and hands highWaterMark to the Operation', () => {
      const channel = scripted([done(0)]);
      const operation = persistentSearch(channel, BASE, { highWaterMark: 7 });
      expect(channel.sent).to.have.length(0);
      expect(operation.highWaterMark).to.equal(7);
    });
  });
});
