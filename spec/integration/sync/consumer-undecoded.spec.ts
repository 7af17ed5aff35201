/**
 * The SyncReplConsumer's own syncrepl search takes its entries undecoded (pull.ts asks through
 * iterateUndecoded) and its replica writes their attributes' JSON text straight from the BER
 * (undecodedAttributesJson), against the in-memory directory: every add of the refresh goes that
 * way, none is decoded into a SearchEntry first, no attribute objects are made when nobody reads
 * them (undecodedEntryAttributes is never called), and the store still equals the directory. A source that is not an
 * rxldap Operation (a piped feed) gets its entries decoded, as before. slapd's own BER takes the
 * same path (the benchmark's server).
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import { map } from 'rxjs';
import sinon from 'sinon';
import { Client, MemorySyncStore, SyncReplConsumer } from '../../../lib';
import type { ConsumerEvent, SyncAttributes, SyncRecord } from '../../../lib';
import { UndecodedEntry } from '../../../lib/protocol/undecoded-entry';
import * as attributes from '../../../lib/search/sync/attributes';
import * as attributesJson from '../../../lib/search/sync/attributes-json';
import { startDirectory } from '../../../lib/server';
import { startSlapd } from '../../support/slapd';
import type { DirectoryServer } from '../../../lib/server';
import { BASE_DN, generatePeople, PEOPLE_DN } from '../../support/data';
import { comparable, serverState } from './directory-state';

const ADMIN_DN = `cn=admin,${BASE_DN}`;
const PASSWORD = 'secret';
const PEOPLE = 60;
const SEARCH = { scope: 'sub', filter: '(objectClass=inetOrgPerson)' } as const;

describe('SyncReplConsumer: its own sync takes entries undecoded (in-memory directory)', function () {
  this.timeout(30_000);
  let server: DirectoryServer;
  const clients: Client[] = [];

  const bound = async (): Promise<Client> => {
    const client = new Client({ url: server.url, timeout: 10_000 });
    await client.bind(ADMIN_DN, PASSWORD);
    clients.push(client);
    return client;
  };
  const stored = async (store: MemorySyncStore): Promise<Map<string, SyncRecord>> => {
    const records = new Map<string, SyncRecord>();
    for await (const [uuid, record] of store.entries()) records.set(uuid, record);
    return records;
  };

  beforeEach(async () => {
    server = await startDirectory({ ldif: generatePeople(PEOPLE, { groupSize: 0 }), rootDN: ADMIN_DN, rootPassword: PASSWORD });
  });

  afterEach(async () => {
    sinon.restore();
    await Promise.all(clients.splice(0).map((client) => client.unbind().catch(() => undefined)));
    await server.close();
  });

  it('reads every entry of the refresh from the BER, decodes none, and the store equals the directory', async () => {
    const fromBer = sinon.spy(attributesJson, 'undecodedAttributesJson');
    const objects = sinon.spy(attributes, 'undecodedEntryAttributes');
    const decoded = sinon.spy(attributes, 'entryAttributes');
    const store = new MemorySyncStore();
    const consumer = new SyncReplConsumer({ client: await bound(), base: PEOPLE_DN, ...SEARCH, attributes: ['*'], mode: 'refreshOnly', store });
    await consumer.start();
    expect(fromBer.callCount).to.equal(PEOPLE);
    for (const call of fromBer.getCalls()) expect(call.args[0]).to.be.instanceOf(UndecodedEntry);
    expect(objects.callCount).to.equal(0);
    expect(decoded.callCount).to.equal(0);
    expect(comparable(await stored(store))).to.deep.equal(comparable(await serverState(await bound(), PEOPLE_DN, SEARCH)));
  });

  it('its add events and recordAdd show the attributes (one object, made from the record\'s text when read): JSON, util.inspect and a spread of an event', async () => {
    const objects = sinon.spy(attributes, 'undecodedEntryAttributes');
    const store = new MemorySyncStore();
    const consumer = new SyncReplConsumer({
      client: await bound(), base: PEOPLE_DN, ...SEARCH, attributes: ['*'], mode: 'refreshOnly', store,
      callbacks: { recordAdd: (dn, added) => void passed.set(dn, added) },
    });
    const passed = new Map<string, SyncAttributes>();
    const adds: Array<Extract<ConsumerEvent, { type: 'add' }>> = [];
    consumer.events.subscribe((event) => event.type === 'add' && adds.push(event));
    await consumer.start();
    expect(objects.callCount).to.equal(0); // made from the records' JSON text, not the BER
    const records = await stored(store);
    expect(adds).to.have.length(PEOPLE);
    for (const event of adds) {
      const expected = JSON.parse(JSON.stringify(records.get(event.entryUUID)?.attributes)) as SyncAttributes;
      expect(passed.get(event.dn)).to.equal(event.attributes); // the callback's object is the event's
      expect(JSON.parse(JSON.stringify(event))).to.deep.equal({ type: 'add', entryUUID: event.entryUUID, dn: event.dn, attributes: expected });
      const spread = { ...event };
      expect(spread.attributes).to.equal(event.attributes);
      expect(inspect(event)).to.include(`uid: [ '${expected.uid?.[0] ?? 'missing'}' ]`);
    }
  });

  it('a source that is not an rxldap Operation gets its entries decoded, to the same store', async () => {
    const fromBer = sinon.spy(attributesJson, 'undecodedAttributesJson');
    const decoded = sinon.spy(attributes, 'entryAttributes');
    const client = await bound();
    const store = new MemorySyncStore();
    const consumer = new SyncReplConsumer({
      base: PEOPLE_DN,
      source: (cookie) => client.syncrepl(PEOPLE_DN, { ...SEARCH, attributes: ['*'], mode: 'refreshOnly', cookie }).pipe(map((event) => event)),
      store,
    });
    await consumer.start();
    expect(fromBer.callCount).to.equal(0);
    expect(decoded.callCount).to.equal(PEOPLE);
    expect(comparable(await stored(store))).to.deep.equal(comparable(await serverState(await bound(), PEOPLE_DN, SEARCH)));
  });

  it('the same search subscribed directly (not through the consumer) still emits SearchEntry objects', async () => {
    const client = await bound();
    const events = await client.syncrepl(PEOPLE_DN, { ...SEARCH, attributes: ['*'], mode: 'refreshOnly' });
    const entries = events.flatMap((event) => (event.type === 'add' || event.type === 'modify' ? [event.entry] : []));
    expect(entries).to.have.length(PEOPLE);
    for (const entry of entries) {
      expect(entry).not.to.be.instanceOf(UndecodedEntry);
      expect(entry.get('uid')).to.be.a('string');
    }
  });
});

describe('SyncReplConsumer: its own sync takes entries undecoded (slapd)', function () {
  this.timeout(60_000);

  it('reads every entry slapd sends from the BER, decodes none, and the store equals the directory', async () => {
    const slapd = await startSlapd({ ldif: generatePeople(PEOPLE, { groupSize: 0 }) });
    const clients: Client[] = [];
    const bound = async (): Promise<Client> => {
      const client = new Client({ url: slapd.url, timeout: 20_000 });
      await client.bind(slapd.adminDN, slapd.adminPassword);
      clients.push(client);
      return client;
    };
    try {
      const fromBer = sinon.spy(attributesJson, 'undecodedAttributesJson');
      const objects = sinon.spy(attributes, 'undecodedEntryAttributes');
      const decoded = sinon.spy(attributes, 'entryAttributes');
      const store = new MemorySyncStore();
      await new SyncReplConsumer({ client: await bound(), base: PEOPLE_DN, ...SEARCH, attributes: ['*'], mode: 'refreshOnly', store }).start();
      expect(fromBer.callCount).to.equal(PEOPLE);
      expect(objects.callCount).to.equal(0);
      expect(decoded.callCount).to.equal(0);
      const records = new Map<string, SyncRecord>();
      for await (const [uuid, record] of store.entries()) records.set(uuid, record);
      expect(comparable(records)).to.deep.equal(comparable(await serverState(await bound(), PEOPLE_DN, SEARCH)));
    } finally {
      sinon.restore();
      await Promise.all(clients.map((client) => client.unbind().catch(() => undefined)));
      await slapd.stop();
    }
  });
});
