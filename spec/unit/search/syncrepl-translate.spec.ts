import { expect } from 'chai';
import { NoSuchObjectError, ProtocolError, SyncRefreshRequiredError } from '../../../lib/errors';
import { ControlOid } from '../../../lib/protocol/controls/oids';
import type { Control, SyncStateName } from '../../../lib/protocol/controls/types';
import { encodeSyncInfoValue, SYNC_INFO_OID } from '../../../lib/protocol/intermediate/sync-info';
import type { SyncInfo } from '../../../lib/protocol/intermediate/sync-info';
import type { LdapMessage } from '../../../lib/protocol/types';
import { SearchEntry } from '../../../lib/search/entry';
import type { SyncEvent } from '../../../lib/search/syncrepl-events';
import { SyncMessageTranslator } from '../../../lib/search/syncrepl-translate';
import { syncUUIDFromString } from '../../../lib/search/syncrepl-uuid';

const UUID_A = '11111111-2222-4333-8444-555555555555';
const UUID_B = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const ID = 7;

const syncState = (state: SyncStateName, uuid: string, cookie?: string): Control => ({
  type: 'syncState',
  oid: ControlOid.syncState,
  criticality: false,
  value: cookie === undefined ? { state, entryUUID: syncUUIDFromString(uuid) } : { state, entryUUID: syncUUIDFromString(uuid), cookie: Buffer.from(cookie) },
});
const entry = (dn: string, controls: Control[], attributes = [{ type: 'cn', vals: [Buffer.from('x')] }]): LdapMessage => ({
  messageId: ID,
  protocolOp: { type: 'searchResEntry', objectName: dn, attributes },
  controls,
});
const info = (value: SyncInfo): LdapMessage => ({
  messageId: ID,
  protocolOp: { type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: encodeSyncInfoValue(value) },
});
const done = (resultCode: number, syncDone?: { cookie?: string; refreshDeletes?: boolean }): LdapMessage => {
  const message: LdapMessage = { messageId: ID, protocolOp: { type: 'searchResDone', resultCode, matchedDN: '', diagnosticMessage: '' } };
  if (syncDone !== undefined) {
    const value = syncDone.cookie === undefined ? { refreshDeletes: syncDone.refreshDeletes ?? false } : { cookie: Buffer.from(syncDone.cookie), refreshDeletes: syncDone.refreshDeletes ?? false };
    message.controls = [{ type: 'syncDone', oid: ControlOid.syncDone, criticality: false, value }];
  }
  return message;
};

/** Events as plain data (cookies as text, entries as their DN) for deep comparison. */
const plain = (events: readonly SyncEvent[]): unknown[] =>
  events.map((event) => {
    if (event.type === 'cookie') return { type: 'cookie', cookie: event.cookie.toString() };
    if (event.type === 'refreshDone' || event.type === 'refreshRequired') return { type: event.type, cookie: event.cookie?.toString() };
    if (event.type === 'add' || event.type === 'modify') return { type: event.type, entryUUID: event.entryUUID, dn: event.dn, entry: event.entry.dn };
    return { ...event };
  });

describe('SyncMessageTranslator (RFC 4533 messages to events)', () => {
  it('turns each Sync State into its event, with the entryUUID as text and the cookie after it', () => {
    const t = new SyncMessageTranslator(true);
    const events = [
      ...t.translate(entry('cn=p', [syncState('present', UUID_A)], [])).events,
      ...t.translate(entry('cn=a', [syncState('add', UUID_B, 'c1')])).events,
      ...t.translate(entry('cn=m', [syncState('modify', UUID_A)])).events,
      ...t.translate(entry('cn=d', [syncState('delete', UUID_B, 'c2')], [])).events,
    ];
    expect(plain(events)).to.deep.equal([
      { type: 'present', entryUUID: UUID_A, dn: 'cn=p' },
      { type: 'add', entryUUID: UUID_B, dn: 'cn=a', entry: 'cn=a' },
      { type: 'cookie', cookie: 'c1' },
      { type: 'modify', entryUUID: UUID_A, dn: 'cn=m', entry: 'cn=m' },
      { type: 'delete', entryUUID: UUID_B, dn: 'cn=d' },
      { type: 'cookie', cookie: 'c2' },
    ]);
    const added = events[1];
    expect(added?.type === 'add' && added.entry).to.be.instanceOf(SearchEntry);
    if (added?.type === 'add') {
      expect(added.entry.get('cn')).to.equal('x');
      expect(added.entry.messageId).to.equal(ID);
      expect(added.entry.controls.map((c) => c.type)).to.deep.equal(['syncState']);
    }
    expect(t.cookie?.toString()).to.equal('c2');
  });

  it('an entry without a Sync State control is a ProtocolError naming the entry', () => {
    const t = new SyncMessageTranslator(true);
    expect(() => t.translate(entry('cn=plain', []))).to.throw(ProtocolError, /'cn=plain' has no Sync State control/);
  });

  it('newcookie is a cookie event; refreshPresent without refreshDone ends only the phase', () => {
    const t = new SyncMessageTranslator(true);
    const events = [
      ...t.translate(info({ type: 'newcookie', cookie: Buffer.from('n1') })).events,
      ...t.translate(info({ type: 'refreshPresent', cookie: Buffer.from('p1'), refreshDone: false })).events,
    ];
    expect(plain(events)).to.deep.equal([
      { type: 'cookie', cookie: 'n1' },
      { type: 'phaseEnd', phase: 'present', refreshDone: false },
      { type: 'cookie', cookie: 'p1' },
    ]);
    expect(t.refreshDone).to.equal(false);
  });

  it('refreshDelete with refreshDone ends the phase and the refresh, once', () => {
    const t = new SyncMessageTranslator(true);
    const first = t.translate(info({ type: 'refreshDelete', cookie: Buffer.from('d1'), refreshDone: true })).events;
    expect(plain(first)).to.deep.equal([
      { type: 'phaseEnd', phase: 'delete', refreshDone: true },
      { type: 'cookie', cookie: 'd1' },
      { type: 'refreshDone', cookie: 'd1' },
    ]);
    expect(t.refreshDone).to.equal(true);
    const again = t.translate(info({ type: 'refreshPresent', refreshDone: true })).events;
    expect(again.map((e) => e.type)).to.deep.equal(['phaseEnd']);
  });

  it('refreshDone reports the newest cookie, or the one the sync started with when none came', () => {
    const started = new SyncMessageTranslator(true, Buffer.from('start'));
    expect(plain(started.translate(done(0, { refreshDeletes: true })).events)).to.deep.equal([
      { type: 'phaseEnd', phase: 'delete', refreshDone: true },
      { type: 'refreshDone', cookie: 'start' },
    ]);
    const fresh = new SyncMessageTranslator(true);
    fresh.translate(entry('cn=a', [syncState('add', UUID_A, 'e1')]));
    expect(plain(fresh.translate(info({ type: 'refreshPresent', refreshDone: true })).events)).to.deep.equal([
      { type: 'phaseEnd', phase: 'present', refreshDone: true },
      { type: 'refreshDone', cookie: 'e1' },
    ]);
    expect(plain(new SyncMessageTranslator(true).translate(info({ type: 'refreshPresent', refreshDone: true })).events)).to.deep.equal([
      { type: 'phaseEnd', phase: 'present', refreshDone: true },
      { type: 'refreshDone', cookie: undefined },
    ]);
  });

  it('a syncIdSet expands into present or delete events with an empty DN, then its cookie', () => {
    const t = new SyncMessageTranslator(true);
    const uuids = [syncUUIDFromString(UUID_A), syncUUIDFromString(UUID_B)];
    expect(plain(t.translate(info({ type: 'syncIdSet', refreshDeletes: false, syncUUIDs: uuids })).events)).to.deep.equal([
      { type: 'present', entryUUID: UUID_A, dn: '' },
      { type: 'present', entryUUID: UUID_B, dn: '' },
    ]);
    expect(plain(t.translate(info({ type: 'syncIdSet', cookie: Buffer.from('s1'), refreshDeletes: true, syncUUIDs: uuids })).events)).to.deep.equal([
      { type: 'delete', entryUUID: UUID_A, dn: '' },
      { type: 'delete', entryUUID: UUID_B, dn: '' },
      { type: 'cookie', cookie: 's1' },
    ]);
  });

  it('with expandIdSets false a syncIdSet stays one event', () => {
    const t = new SyncMessageTranslator(false);
    const uuids = [syncUUIDFromString(UUID_A), syncUUIDFromString(UUID_B)];
    expect(plain(t.translate(info({ type: 'syncIdSet', cookie: Buffer.from('s1'), refreshDeletes: true, syncUUIDs: uuids })).events)).to.deep.equal([
      { type: 'syncIdSet', entryUUIDs: [UUID_A, UUID_B], refreshDeletes: true },
      { type: 'cookie', cookie: 's1' },
    ]);
  });

  it('a malformed or missing Sync Info value is a ProtocolError; other intermediate responses are ignored', () => {
    const t = new SyncMessageTranslator(true);
    const garbled: LdapMessage = { messageId: ID, protocolOp: { type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: Buffer.from([0xa3, 0x03, 0x04, 0x01, 0x00]) } };
    expect(() => t.translate(garbled)).to.throw(ProtocolError);
    const empty: LdapMessage = { messageId: ID, protocolOp: { type: 'intermediateResponse', responseName: SYNC_INFO_OID } };
    expect(() => t.translate(empty)).to.throw(ProtocolError, /without a responseValue/);
    const other: LdapMessage = { messageId: ID, protocolOp: { type: 'intermediateResponse', responseName: '1.2.3.4', responseValue: Buffer.from('x') } };
    expect(t.translate(other)).to.deep.equal({ events: [] });
  });

  it('a search reference is dropped, with or without a Sync State', () => {
    const t = new SyncMessageTranslator(true);
    const ref: LdapMessage = { messageId: ID, protocolOp: { type: 'searchResRef', uris: ['ldap://elsewhere/dc=x'] }, controls: [syncState('add', UUID_A)] };
    expect(t.translate(ref)).to.deep.equal({ events: [] });
  });

  it('the Sync Done of a refreshOnly search ends the phase it names and the refresh, then completes', () => {
    const present = new SyncMessageTranslator(true).translate(done(0, { cookie: 'z', refreshDeletes: false }));
    expect(plain(present.events)).to.deep.equal([
      { type: 'phaseEnd', phase: 'present', refreshDone: true },
      { type: 'cookie', cookie: 'z' },
      { type: 'refreshDone', cookie: 'z' },
    ]);
    expect(present.outcome).to.deep.equal({ kind: 'complete' });
  });

  it('a persist stage ended by the server gives only its cookie, no phaseEnd', () => {
    const t = new SyncMessageTranslator(true);
    t.translate(info({ type: 'refreshDelete', refreshDone: true }));
    const end = t.translate(done(0, { cookie: 'last' }));
    expect(plain(end.events)).to.deep.equal([{ type: 'cookie', cookie: 'last' }]);
    expect(end.outcome).to.deep.equal({ kind: 'complete' });
  });

  it('a successful end of a refresh without Sync Done fails with ProtocolError rather than implying deletions', () => {
    const end = new SyncMessageTranslator(true).translate(done(0));
    expect(end.events).to.deep.equal([]);
    expect(end.outcome?.kind).to.equal('fail');
    expect(end.outcome?.kind === 'fail' && end.outcome.error).to.be.instanceOf(ProtocolError);
  });

  it('e-syncRefreshRequired asks for a restart with the Sync Done cookie, or none', () => {
    const withCookie = new SyncMessageTranslator(true).translate(done(4096, { cookie: 'again' })).outcome;
    expect(withCookie?.kind).to.equal('restart');
    if (withCookie?.kind === 'restart') {
      expect(withCookie.cookie?.toString()).to.equal('again');
      expect(withCookie.error).to.be.instanceOf(SyncRefreshRequiredError);
      expect(withCookie.error.messageId).to.equal(ID);
    }
    const reload = new SyncMessageTranslator(true, Buffer.from('old')).translate(done(4096)).outcome;
    expect(reload?.kind === 'restart' && reload.cookie).to.equal(undefined);
  });

  it('any other result fails with its typed LdapError', () => {
    const outcome = new SyncMessageTranslator(true).translate(done(32)).outcome;
    expect(outcome?.kind === 'fail' && outcome.error).to.be.instanceOf(NoSuchObjectError);
  });

  it('a response that does not belong to a search is a ProtocolError', () => {
    const stray: LdapMessage = { messageId: ID, protocolOp: { type: 'modifyResponse', resultCode: 0, matchedDN: '', diagnosticMessage: '' } };
    expect(() => new SyncMessageTranslator(true).translate(stray)).to.throw(ProtocolError, /unexpected modifyResponse/);
  });
});
