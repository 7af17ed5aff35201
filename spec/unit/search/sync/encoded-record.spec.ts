/**
 * The records of the consumer's own sync carry their attributes as JSON text and make the
 * objects only when read (EncodedRecord), and so do their 'add' events (LazyAddEvent). What must
 * hold: what an application reads is exactly what undecodedEntryAttributes gives (same values,
 * same key order, same prototype, `__proto__` an attribute like any other); JSON.stringify,
 * util.inspect and a spread of a record or an event show the attributes as the plain objects
 * they stand for do; every store reads back exactly the record written, and stores the same
 * text it stored before, even once the attributes were read (and, against the readonly types,
 * changed: the application's copy, not the replica); an assignment of `attributes` replaces it.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import { inspect } from 'node:util';
import { undecodedEntryAttributes } from '../../../../lib/search/sync/attributes';
import { undecodedAttributesJson } from '../../../../lib/search/sync/attributes-json';
import { attributesJson, EncodedRecord, LazyAddEvent } from '../../../../lib/search/sync/encoded-record';
import { copyRecord } from '../../../../lib/search/sync/memory-store';
import type { SyncAttributes, SyncRecord } from '../../../../lib/search/sync';
import { encodeRecord } from '../../../../lib/search/sync/record-codec';
import { readStore } from '../../../support/sync-stores';
import { STORE_KINDS, uuid } from './sync-events';
import { attributeList, BINARY_SETS, undecodedEntry } from './undecoded-arbitraries';

const DN = 'uid=p1,ou=people,dc=example,dc=com';

/** What a store or an application sees of an attributes object: key order, text, values, prototype. */
const shape = (attributes: SyncAttributes): { keys: string[]; json: string; values: string[][]; proto: unknown } => ({
  keys: Object.keys(attributes),
  json: JSON.stringify(attributes),
  values: Object.keys(attributes).map((key) => attributes[key] ?? []),
  proto: Object.getPrototypeOf(attributes),
});

const encoded = (list: Parameters<typeof undecodedEntry>[1], binary: ReadonlySet<string>): { record: EncodedRecord; expected: SyncAttributes } => {
  const entry = undecodedEntry(DN, list);
  return { record: new EncodedRecord(DN, undecodedAttributesJson(entry, binary)), expected: undecodedEntryAttributes(entry, binary) };
};

const SAMPLE = [
  { type: 'cn', vals: [Buffer.from('Jos\u00e9 "J" \\ \n')] },
  { type: '__proto__', vals: [Buffer.from('p')] },
  { type: 'constructor', vals: [] },
  { type: 'CN', vals: [Buffer.from([0xff])] },
];

describe('EncodedRecord and LazyAddEvent (attributes made only when read)', () => {
  for (const [name, binary] of BINARY_SETS) {
    it(`reads exactly undecodedEntryAttributes' result, the same object each time: ${name}`, () => {
      fc.assert(
        fc.property(attributeList, (list) => {
          const { record, expected } = encoded(list, binary);
          expect(attributesJson(record)).to.equal(JSON.stringify(expected));
          const attributes = record.attributes;
          expect(shape(attributes)).to.deep.equal(shape(expected));
          expect(record.attributes).to.equal(attributes);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('shows its attributes to JSON.stringify, util.inspect, a spread and Object.entries, as { dn, attributes } does', () => {
    const { record, expected } = encoded(SAMPLE, new Set());
    const plain = { dn: DN, attributes: expected };
    expect(JSON.stringify(record)).to.equal(JSON.stringify(plain));
    expect(inspect(record, { depth: 5 })).to.equal(inspect(plain, { depth: 5 }));
    const spread = { ...new EncodedRecord(DN, attributesJson(record)) };
    expect(Object.keys(spread)).to.deep.equal(['dn', 'attributes']);
    expect(shape(spread.attributes)).to.deep.equal(shape(expected));
    expect(Object.entries(new EncodedRecord(DN, attributesJson(record))).map(([key]) => key)).to.deep.equal(['dn', 'attributes']);
  });

  it('makes add events that show the record\'s attributes (the same object) to JSON.stringify, util.inspect and a spread', () => {
    const { record, expected } = encoded(SAMPLE, new Set());
    const event = new LazyAddEvent(uuid(1), record);
    const plain = { type: 'add', entryUUID: uuid(1), dn: DN, attributes: expected };
    expect(Object.keys(event)).to.deep.equal(['type', 'entryUUID', 'dn', 'attributes']);
    expect(JSON.stringify(event)).to.equal(JSON.stringify(plain));
    expect(inspect(event, { depth: 5 })).to.equal(inspect(plain, { depth: 5 }));
    const spread = { ...event };
    expect(Object.keys(spread)).to.deep.equal(['type', 'entryUUID', 'dn', 'attributes']);
    expect(spread.attributes).to.equal(record.attributes);
    expect(event.attributes).to.equal(record.attributes);
    expect(shape(event.attributes)).to.deep.equal(shape(expected));
  });

  it('stores the text it carries even after the attributes were read and changed: the replica is what the server sent, not serialised again', () => {
    const { record, expected } = encoded(SAMPLE, new Set());
    const text = attributesJson(record);
    (record.attributes.cn ?? []).push('added'); // against the readonly types: the application's copy only
    const stringify = sinon.spy(JSON, 'stringify');
    try {
      expect(attributesJson(record)).to.equal(text); // not made again from the objects
      expect(stringify.callCount).to.equal(0);
    } finally {
      stringify.restore();
    }
    expect(text).to.equal(JSON.stringify(expected));
    expect(JSON.parse(encodeRecord(uuid(1), record))).to.deep.equal([uuid(1), DN, JSON.parse(text)]);
    const copy = copyRecord(record);
    expect(copy).to.be.instanceOf(EncodedRecord); // copied as text, read or not
    expect(copy.attributes.cn).to.deep.equal(['Jos\u00e9 "J" \\ \n', '\ufffd']);
    expect(copy.attributes).not.to.equal(record.attributes);
  });

  it('lets attributes be assigned, as { dn, attributes } and the plain add event did: the record stores what was assigned, the event keeps it', () => {
    // Against the readonly types, but JavaScript callers (and casts) could: a getter alone threw a TypeError in strict code.
    const { record } = encoded(SAMPLE, new Set());
    const event = new LazyAddEvent(uuid(1), record);
    const replaced: SyncAttributes = { sn: ['replaced'] };
    (event as { attributes: SyncAttributes }).attributes = replaced;
    expect(event.attributes).to.equal(replaced);
    expect(Object.keys(event)).to.deep.equal(['type', 'entryUUID', 'dn', 'attributes']);
    expect(JSON.stringify(event)).to.equal(JSON.stringify({ type: 'add', entryUUID: uuid(1), dn: DN, attributes: replaced }));
    expect(record.attributes).not.to.equal(replaced); // the event's own, as before
    expect(attributesJson(record)).to.equal(JSON.stringify(record.attributes));
    const other: SyncAttributes = { mail: ['a@example.com'] };
    (record as { attributes: SyncAttributes }).attributes = other;
    expect(record.attributes).to.equal(other);
    expect(attributesJson(record)).to.equal('{"mail":["a@example.com"]}');
    expect(encodeRecord(uuid(1), record)).to.equal(JSON.stringify([uuid(1), DN, other]));
    expect(copyRecord(record).attributes).to.deep.equal(other);
    const untouched = new EncodedRecord(DN, attributesJson(encoded(SAMPLE, new Set()).record));
    (untouched as { attributes: SyncAttributes }).attributes = other; // assigned before ever being read
    expect(attributesJson(untouched)).to.equal('{"mail":["a@example.com"]}');
    expect(Object.keys(untouched)).to.deep.equal(['dn', 'attributes']);
  });

  for (const kind of STORE_KINDS) {
    it(`${kind.name} reads back exactly the records written, and the text it always stored`, async () => {
      const lists = fc.sample(attributeList, { numRuns: 40, seed: 15 });
      const [, binary] = BINARY_SETS[0] ?? ['', new Set<string>()];
      const records = new Map<string, SyncRecord>();
      const expected = new Map<string, string>();
      lists.forEach((list, i) => {
        const { record, expected: attributes } = encoded(list, binary);
        records.set(uuid(i + 1), record);
        expected.set(uuid(i + 1), JSON.stringify(attributes));
      });
      const fixture = await kind.create();
      try {
        await fixture.store.open();
        await fixture.store.commit({ puts: records, deletes: new Set(), seen: new Set(), mark: 1, cookie: Buffer.from('c') });
        for (const [entryUUID, text] of expected) {
          const got = await fixture.store.get(entryUUID);
          expect(got?.dn).to.equal(DN);
          expect(JSON.stringify(got?.attributes)).to.equal(text);
        }
        await fixture.store.close();
        const { records: read } = await readStore(fixture.reopen());
        expect(new Map([...read].map(([entryUUID, record]) => [entryUUID, JSON.stringify(record.attributes)]))).to.deep.equal(expected);
        for (const record of read.values()) expect(record.dn).to.equal(DN);
      } finally {
        await fixture.dispose();
      }
    });
  }
});
