/**
 * Issue 13: syncrepl changes as LDIF that deletes what is gone. A SyncReplConsumer's recordChange
 * has the entry's old and new attributes; syncChangeToLdif makes an exact modify of them. Written
 * as LDIF and applied by ldapmodify to a copy of the directory, it leaves the copy equal to the
 * source, an attribute removed altogether included (the replace-only translation of the feed's
 * events, SyncLdifTranslator, leaves that attribute behind).
 */
import { expect } from 'chai';
import { Client, FileSyncStore, SyncLdifTranslator, SyncReplConsumer, formatLdif, syncChangeToLdif } from '../../../lib';
import type { LdifRecord, SyncCallbacks, SyncEvent } from '../../../lib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter, tap } from 'rxjs';
import { generatePeople, PEOPLE_DN, personDN, personUid } from '../../support/data';
import { requireSuccess, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

const PEOPLE = 20;

describe('syncChangeToLdif: a SyncReplConsumer\'s changes as exact LDIF modifies (issue 13)', function () {
  this.timeout(120_000);
  let source: SlapdInstance;
  let copy: SlapdInstance;
  let dir: string;

  before(async () => {
    const ldif = generatePeople(PEOPLE, { groupSize: 0 });
    [source, copy] = await Promise.all([startSlapd({ ldif }), startSlapd({ ldif })]);
    dir = await mkdtemp(join(tmpdir(), 'rxldap-sync-ldif-'));
  });
  after(async () => {
    await Promise.all([source?.stop(), copy?.stop()]);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const entryOf = async (slapd: SlapdInstance, dn: string): Promise<Record<string, string[]>> => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDN, slapd.adminPassword);
    const [entry] = await client.search(dn, { scope: 'base' });
    await client.unbind();
    return Object.fromEntries(entry!.attributes.map((a) => [a.type.toLowerCase(), a.vals.map((v) => v.toString('utf8')).sort()]));
  };

  /** One refreshOnly run of a consumer over the store in `dir`: the change records it gives, and the feed's events. */
  const sync = async (): Promise<{ records: LdifRecord[]; events: SyncEvent[] }> => {
    const client = new Client({ url: source.url });
    const records: LdifRecord[] = [];
    const callbacks: Partial<SyncCallbacks> = {
      recordChange: (dn, oldAttributes, newAttributes) => void records.push(syncChangeToLdif(dn, oldAttributes, newAttributes)),
    };
    const events: SyncEvent[] = [];
    const consumer = new SyncReplConsumer({
      base: PEOPLE_DN, scope: 'one', mode: 'refreshOnly', store: new FileSyncStore(join(dir, 'replica')), callbacks,
      source: (cookie) => client.syncrepl(PEOPLE_DN, { scope: 'one', mode: 'refreshOnly', ...(cookie === undefined ? {} : { cookie }) }).pipe(tap((event) => events.push(event))),
    });
    await client.bind(source.adminDN, source.adminPassword);
    const done = firstValueFrom(consumer.events.pipe(filter((event) => event.type === 'refreshDone')));
    const running = consumer.start();
    await done;
    await running;
    await client.unbind();
    return { records, events };
  };

  it('deletes the attributes that are gone, replaces the changed ones, and ldapmodify makes the copy equal to the source', async () => {
    expect((await sync()).records).to.deep.equal([]); // the initial refresh: adds only
    const dn = personDN(personUid(3));
    const writer = new Client({ url: source.url });
    await writer.bind(source.adminDN, source.adminPassword);
    await writer.modify(dn, [
      { operation: 'delete', attribute: 'description' },
      { operation: 'replace', attribute: 'mail', values: ['moved@example.com'] },
      { operation: 'add', attribute: 'title', values: ['Engineer'] },
    ]);
    await writer.unbind();
    const before = await entryOf(copy, dn);
    expect(before).to.have.property('description');

    const { records } = await sync();
    expect(records).to.have.length(1);
    const ldif = formatLdif(records);
    expect(ldif).to.contain('\ndelete: description\n-\n');
    expect(ldif).to.contain('\nreplace: mail\nmail: moved@example.com\n-\n');
    expect(ldif).to.contain('\nreplace: title\ntitle: Engineer\n-\n');
    expect(ldif).not.to.contain('replace: sn'); // unchanged attributes are left alone

    requireSuccess(await copy.run('ldapmodify', ['-x', '-H', copy.url, '-D', copy.adminDN, '-w', copy.adminPassword], { input: ldif }));
    expect(await entryOf(copy, dn)).to.deep.equal(await entryOf(source, dn));
  });

  it('the replace-only translation of the feed (no old attributes) leaves a removed attribute behind, as documented', async () => {
    const dn = personDN(personUid(4));
    const writer = new Client({ url: source.url });
    await writer.bind(source.adminDN, source.adminPassword);
    await writer.modify(dn, [{ operation: 'delete', attribute: 'description' }]);
    await writer.unbind();
    const { records, events } = await sync();
    expect(formatLdif(records)).to.contain('delete: description');
    // The same change from the feed's events alone, for a target that already holds the entry (a
    // refresh sends a changed entry with the state `add`: the translator tells by what it knows).
    const translator = new SyncLdifTranslator(new Map(events.flatMap((event) => (event.type === 'add' || event.type === 'modify' ? [[event.entryUUID, event.dn] as const] : []))));
    const fromFeed = events.flatMap((event) => translator.translate(event));
    const text = formatLdif(fromFeed);
    expect(text).to.contain(`dn: ${dn}\nchangetype: modify\n`);
    expect(text).not.to.contain('description');
  });
});
