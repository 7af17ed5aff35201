/** Change feeds as LDIF change records: persistent-search events and syncrepl events (with the DNs a translator keeps). */
import { expect } from 'chai';
import { changeEventToLdif, SearchEntry, SyncLdifTranslator, syncChangeToLdif } from '../../../lib/search';
import type { ChangeEvent, SyncEvent } from '../../../lib/search';
import { ConnectionError } from '../../../lib/errors';

const b = (text: string): Buffer => Buffer.from(text);
const entry = (dn: string, cn = 'x'): SearchEntry => new SearchEntry(dn, [{ type: 'cn', vals: [b(cn)] }, { type: 'sn', vals: [b('s')] }]);
const replaceAll = (dn: string, cn = 'x'): unknown => ({ type: 'modify', dn, controls: [], changes: [{ operation: 'replace', attribute: 'cn', values: [b(cn)] }, { operation: 'replace', attribute: 'sn', values: [b('s')] }] });

describe('change feeds as LDIF change records', () => {
  it('persistent search: add, delete, modify, modDN (renamed and moved), initial and unknown', () => {
    const event = (type: ChangeEvent['type'], dn: string, previousDN?: string): ChangeEvent => ({ type, entry: entry(dn), ...(previousDN === undefined ? {} : { previousDN }) });
    expect(changeEventToLdif(event('add', 'cn=a,dc=x'))).to.deep.equal([{ type: 'add', dn: 'cn=a,dc=x', controls: [], attributes: entry('cn=a,dc=x').attributes }]);
    expect(changeEventToLdif(event('initial', 'cn=a,dc=x'))[0]).to.include({ type: 'add' });
    expect(changeEventToLdif(event('delete', 'cn=a,dc=x'))).to.deep.equal([{ type: 'delete', dn: 'cn=a,dc=x', controls: [] }]);
    expect(changeEventToLdif(event('modify', 'cn=a,dc=x'))).to.deep.equal([replaceAll('cn=a,dc=x')]);
    expect(changeEventToLdif(event('modDN', 'cn=b,dc=x', 'cn=a,dc=x'))).to.deep.equal([
      { type: 'modrdn', dn: 'cn=a,dc=x', controls: [], newRdn: 'cn=b', deleteOldRdn: false },
      replaceAll('cn=b,dc=x'),
    ]);
    expect(changeEventToLdif(event('modDN', 'cn=b,ou=y,dc=x', 'cn=a,dc=x'))[0]).to.deep.equal({ type: 'modrdn', dn: 'cn=a,dc=x', controls: [], newRdn: 'cn=b', deleteOldRdn: false, newSuperior: 'ou=y,dc=x' });
    expect(changeEventToLdif(event('unknown', 'cn=a,dc=x'))).to.deep.equal([{ type: 'content', dn: 'cn=a,dc=x', attributes: entry('cn=a,dc=x').attributes }]);
  });

  it('syncrepl: adds, modifies, renames and deletes by entryUUID; a present phase deletes what it did not mention', () => {
    const translator = new SyncLdifTranslator(new Map([['u-old', 'cn=old,dc=x'], ['u-kept', 'cn=kept,dc=x'], ['u-gone', 'cn=gone,dc=x']]));
    const events: SyncEvent[] = [
      { type: 'add', entryUUID: 'u-new', dn: 'cn=new,dc=x', entry: entry('cn=new,dc=x') },
      { type: 'modify', entryUUID: 'u-old', dn: 'cn=renamed,dc=x', entry: entry('cn=renamed,dc=x') },
      { type: 'present', entryUUID: 'u-kept', dn: '' },
      { type: 'phaseEnd', phase: 'present', refreshDone: true },
      { type: 'modify', entryUUID: 'u-kept', dn: 'cn=kept,dc=x', entry: entry('cn=kept,dc=x', 'y') },
      { type: 'delete', entryUUID: 'u-new', dn: '' },
      { type: 'delete', entryUUID: 'u-never-seen', dn: '' },
      { type: 'cookie', cookie: b('c') },
    ];
    expect(events.flatMap((event) => translator.translate(event))).to.deep.equal([
      { type: 'add', dn: 'cn=new,dc=x', controls: [], attributes: entry('cn=new,dc=x').attributes },
      { type: 'modrdn', dn: 'cn=old,dc=x', controls: [], newRdn: 'cn=renamed', deleteOldRdn: false },
      replaceAll('cn=renamed,dc=x'),
      { type: 'delete', dn: 'cn=gone,dc=x', controls: [] },
      replaceAll('cn=kept,dc=x', 'y'),
      { type: 'delete', dn: 'cn=new,dc=x', controls: [] },
    ]);
    expect([...translator.known]).to.deep.equal([['u-old', 'cn=renamed,dc=x'], ['u-kept', 'cn=kept,dc=x']]);
  });

  it('syncrepl: a syncIdSet of deletes deletes what it names; a resumed refresh starts its mentions over', () => {
    const translator = new SyncLdifTranslator(new Map([['a', 'cn=a'], ['b', 'cn=b'], ['c', 'cn=c']]));
    expect(translator.translate({ type: 'syncIdSet', entryUUIDs: ['a', 'zz'], refreshDeletes: true })).to.deep.equal([{ type: 'delete', dn: 'cn=a', controls: [] }]);
    translator.translate({ type: 'present', entryUUID: 'b', dn: '' });
    translator.translate({ type: 'resumed', reason: new ConnectionError('lost') });
    translator.translate({ type: 'syncIdSet', entryUUIDs: ['c'], refreshDeletes: false });
    expect(translator.translate({ type: 'phaseEnd', phase: 'present', refreshDone: true })).to.deep.equal([{ type: 'delete', dn: 'cn=b', controls: [] }]);
  });
});

describe('syncChangeToLdif (recordChange as an exact modify)', () => {
  it('replaces changed and new attributes, deletes gone ones, leaves unchanged ones (names in any case, values in any order)', () => {
    const record = syncChangeToLdif(
      'cn=a,dc=x',
      { objectClass: ['top', 'person'], cn: ['a'], sn: ['Old'], description: ['gone'], mail: ['x@y', 'z@y'] },
      { objectclass: ['person', 'top'], cn: ['a'], sn: ['New'], MAIL: ['z@y', 'x@y'], title: ['T'] },
    );
    expect(record).to.deep.equal({
      type: 'modify', dn: 'cn=a,dc=x', controls: [],
      changes: [
        { operation: 'replace', attribute: 'sn', values: [Buffer.from('New')] },
        { operation: 'replace', attribute: 'title', values: [Buffer.from('T')] },
        { operation: 'delete', attribute: 'description', values: [] },
      ],
    });
  });

  it('turns values back into bytes as the consumer made them: base64 for binary attributes, UTF-8 for the rest', () => {
    const photo = Buffer.from([0xff, 0xd8, 0x00, 0x01]);
    const record = syncChangeToLdif('cn=a', {}, { jpegPhoto: [photo.toString('base64')], 'userCertificate;binary': ['AAE='], cn: ['Zoë'], custom: ['AAE='] }, ['jpegPhoto']);
    expect(record.changes.map((change) => [change.attribute, change.values])).to.deep.equal([
      ['jpegPhoto', [photo]],
      ['userCertificate;binary', [Buffer.from([0, 1])]],
      ['cn', [Buffer.from('Zoë')]],
      ['custom', [Buffer.from('AAE=')]],
    ]);
  });
});

