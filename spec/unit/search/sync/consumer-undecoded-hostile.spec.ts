/**
 * Hostile entries through the consumer's own (undecoded) path into every store: values of every
 * octet, invalid UTF-8, an encoded surrogate, U+2028/2029; names an object could inherit,
 * `__proto__`, array indices, a type repeated in another case, an empty value set, binary
 * attributes by option and by list; the same entryUUID twice in one refresh; add events read only
 * after the sync ended; and a second sync whose modifies compare the records read back from the
 * store with the new ones (same attributes in another order and case: no change). Everything
 * seen and stored is what undecodedEntryAttributes makes of the same BER.
 */
import { expect } from 'chai';
import type { SearchEntry } from '../../../../lib/search/entry';
import type { SyncEvent } from '../../../../lib/search/syncrepl-events';
import { SyncReplConsumer } from '../../../../lib/search/sync';
import type { ConsumerEvent, SyncAttributes } from '../../../../lib/search/sync';
import { undecodedEntryAttributes } from '../../../../lib/search/sync/attributes';
import type { PartialAttribute } from '../../../../lib/protocol/types';
import { readStore } from '../../../support/sync-stores';
import { STORE_KINDS, ScriptedSource, newCookie, phaseEnd, present, refreshDone, uuid } from './sync-events';
import { undecodedEntry } from './undecoded-arbitraries';

const allBytes = Buffer.from(Array.from({ length: 120 }, (_, i) => i));
const highBytes = Buffer.from(Array.from({ length: 127 }, (_, i) => 0x80 + i));
const hostile = (extra: string): PartialAttribute[] => [
  { type: 'cn', vals: [allBytes, highBytes, Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\u2028\u2029'), Buffer.from([0xc0, 0xaf]), Buffer.from(extra)] },
  { type: '__proto__', vals: [Buffer.from('p')] },
  { type: 'constructor', vals: [] },
  { type: 'toString', vals: [Buffer.from('t')] },
  { type: 'jpegPhoto', vals: [allBytes] },
  { type: 'sn;binary', vals: [highBytes] },
];
/** What the text is not written for straight from the BER (attributes-json.ts's exact path): array-index names, a repeated type. */
const odd = (extra: string): PartialAttribute[] => [
  ...hostile(extra).slice(0, 2),
  { type: '12', vals: [Buffer.from('twelve')] },
  { type: '0', vals: [Buffer.from('zero')] },
  { type: 'CN', vals: [Buffer.from('again')] },
];
const ev = (type: 'add' | 'modify', n: number, list: PartialAttribute[]): SyncEvent => {
  const dn = `uid=p${n},dc=x`;
  return { type, entryUUID: uuid(n), dn, entry: undecodedEntry(dn, list) as unknown as SearchEntry };
};
const expectedOf = (n: number, list: PartialAttribute[]): string => JSON.stringify(undecodedEntryAttributes(undecodedEntry(`uid=p${n},dc=x`, list), new Set(['jpegphoto'])));

describe('SyncReplConsumer: hostile entries received undecoded, into every store', () => {
  for (const kind of STORE_KINDS) {
    it(`${kind.name}: events and store hold what undecodedEntryAttributes makes of the BER`, async () => {
      const fixture = await kind.create();
      try {
        const first: SyncEvent[] = [ev('add', 1, hostile('one')), ev('add', 2, hostile('two')), ev('add', 1, hostile('one-again')), ev('add', 3, [{ type: 'cn', vals: [] }]), ev('add', 4, odd('four')),
          phaseEnd('present'), newCookie('c1'), refreshDone('c1')];
        const adds: ConsumerEvent[] = [];
        const changes: Array<[string, SyncAttributes, SyncAttributes]> = [];
        const consumer = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store: fixture.store, binaryAttributes: ['jpegPhoto'], source: new ScriptedSource([first]).source,
          callbacks: { recordChange: (dn, a, b) => void changes.push([dn, a, b]) } });
        consumer.events.subscribe((e) => void adds.push(e));
        await consumer.start();
        await consumer.stop();
        await new Promise((resolve) => setImmediate(resolve));
        const addEvents = adds.filter((e): e is Extract<ConsumerEvent, { type: 'add' }> => e.type === 'add');
        expect(addEvents.map((e) => e.entryUUID)).to.deep.equal([uuid(1), uuid(2), uuid(3), uuid(4)]);
        expect(JSON.stringify(addEvents[3]?.attributes)).to.equal(expectedOf(4, odd('four')));
        expect(JSON.stringify(addEvents[0]?.attributes)).to.equal(expectedOf(1, hostile('one')));
        expect(JSON.stringify(addEvents[1]?.attributes)).to.equal(expectedOf(2, hostile('two')));
        expect(changes.map(([dn, a, b]) => [dn, JSON.stringify(a), JSON.stringify(b)])).to.deep.equal([['uid=p1,dc=x', expectedOf(1, hostile('one')), expectedOf(1, hostile('one-again'))]]);
        const reopened = fixture.reopen();
        const { records } = await readStore(reopened);
        expect(JSON.stringify(records.get(uuid(1))?.attributes)).to.equal(expectedOf(1, hostile('one-again')));
        expect(JSON.stringify(records.get(uuid(2))?.attributes)).to.equal(expectedOf(2, hostile('two')));
        expect(JSON.stringify(records.get(uuid(3))?.attributes)).to.equal('{"cn":[]}');
        expect(JSON.stringify(records.get(uuid(4))?.attributes)).to.equal(expectedOf(4, odd('four')));
        // A second sync: the same attributes in another order and case are no change; changed ones are, with the stored ones as the old.
        const same = [...hostile('two')].reverse().map((a) => ({ ...a, type: a.type === 'cn' ? 'Cn' : a.type }));
        const changes2: Array<[string, string, string]> = [];
        const second = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store: reopened, binaryAttributes: ['jpegPhoto'],
          source: new ScriptedSource([[ev('modify', 2, same), ev('modify', 1, hostile('changed')), ev('modify', 4, odd('four').reverse()), present(3), phaseEnd('present'), newCookie('c2'), refreshDone('c2')]]).source,
          callbacks: { recordChange: (dn, a, b) => void changes2.push([dn, JSON.stringify(a), JSON.stringify(b)]) } });
        await second.start();
        await second.stop();
        expect(changes2).to.deep.equal([['uid=p1,dc=x', expectedOf(1, hostile('one-again')), expectedOf(1, hostile('changed'))]]);
        const { records: after } = await readStore(fixture.reopen());
        expect(JSON.stringify(after.get(uuid(1))?.attributes)).to.equal(expectedOf(1, hostile('changed')));
        expect(JSON.stringify(after.get(uuid(3))?.attributes)).to.equal('{"cn":[]}');
      } finally {
        await fixture.dispose();
      }
    });
  }

  for (const kind of STORE_KINDS) {
    it(`${kind.name}: a recordAdd that changes the attributes it reads changes its copy, not the replica (no change reported on the next sync)`, async () => {
      const fixture = await kind.create();
      try {
        const list = hostile('kept');
        const consumer = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store: fixture.store, binaryAttributes: ['jpegPhoto'],
          source: new ScriptedSource([[ev('add', 1, list), phaseEnd('present'), newCookie('c1'), refreshDone('c1')]]).source,
          callbacks: { recordAdd: (_dn, attributes) => { (attributes.cn ?? []).push('local'); attributes.mine = ['x']; } } });
        await consumer.start();
        await consumer.stop();
        const reopened = fixture.reopen();
        const { records } = await readStore(reopened);
        expect(JSON.stringify(records.get(uuid(1))?.attributes)).to.equal(expectedOf(1, list));
        const changes: string[] = [];
        const second = new SyncReplConsumer({ base: 'dc=x', mode: 'refreshOnly', store: reopened, binaryAttributes: ['jpegPhoto'],
          source: new ScriptedSource([[ev('modify', 1, list), phaseEnd('present'), newCookie('c2'), refreshDone('c2')]]).source,
          callbacks: { recordChange: (dn) => void changes.push(dn) } });
        await second.start();
        await second.stop();
        expect(changes).to.deep.equal([]);
      } finally {
        await fixture.dispose();
      }
    });
  }
});
