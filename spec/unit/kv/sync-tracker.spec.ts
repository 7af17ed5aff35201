import { expect } from 'chai';
import { ConnectionError } from '../../../lib/errors';
import { SyncTracker } from '../../../lib/kv/sync-tracker';
import type { StoreChange } from '../../../lib/kv';
import { SearchEntry } from '../../../lib/search';
import type { SyncEvent } from '../../../lib/search';

const entry = (type: 'add' | 'modify', entryUUID: string, dn: string): SyncEvent => ({ type, entryUUID, dn, entry: new SearchEntry(dn, []) });
const present = (entryUUID: string): SyncEvent => ({ type: 'present', entryUUID, dn: '' });
const idDelete = (entryUUID: string): SyncEvent => ({ type: 'delete', entryUUID, dn: '' });
const refreshDone: SyncEvent = { type: 'refreshDone' };

const run = (tracker: SyncTracker, events: readonly SyncEvent[]): string[][] =>
  events.flatMap((event) => tracker.changes(event)).map((change: StoreChange) =>
    change.type === 'ready' ? ['ready'] : change.type === 'move' ? ['move', change.dn, change.previousDN] : change.type === 'put' ? ['put', change.dn, String(change.initial)] : ['delete', change.dn],
  );

/** A tracker past its first refresh, knowing a, b and c under ou=x. */
const liveTracker = (): SyncTracker => {
  const tracker = new SyncTracker(false);
  expect(run(tracker, [entry('add', 'a', 'cn=a,ou=x'), entry('add', 'b', 'cn=b,ou=x'), entry('add', 'c', 'cn=c,ou=x'), refreshDone])).to.deep.equal([['ready']]);
  return tracker;
};

describe('kv/SyncTracker: syncrepl events as store changes', () => {
  it('reports nothing of the first refresh without initial, then ready; with initial, puts marked initial', () => {
    liveTracker();
    const initial = new SyncTracker(true);
    expect(run(initial, [entry('add', 'a', 'cn=a,ou=x'), refreshDone])).to.deep.equal([['put', 'cn=a,ou=x', 'true'], ['ready']]);
  });

  it('names a delete that comes by entryUUID alone (a syncIdSet) by the DN it had', () => {
    expect(run(liveTracker(), [idDelete('b')])).to.deep.equal([['delete', 'cn=b,ou=x']]);
  });

  it('tells a rename from a modify, comparing DNs by their normalised form', () => {
    const tracker = liveTracker();
    expect(run(tracker, [entry('modify', 'a', 'CN=A, OU=X'), entry('modify', 'a', 'cn=z,ou=x')])).to.deep.equal([
      ['put', 'CN=A, OU=X', 'false'],
      ['move', 'cn=z,ou=x', 'CN=A, OU=X'],
    ]);
  });

  it('after a resume, a present phase deletes what it did not name (RFC 4533 §3.3.1)', () => {
    const tracker = liveTracker();
    const resumed: SyncEvent = { type: 'resumed', reason: new ConnectionError('lost') };
    expect(run(tracker, [resumed, present('a'), entry('add', 'd', 'cn=d,ou=x'), { type: 'phaseEnd', phase: 'present', refreshDone: true }, refreshDone])).to.deep.equal([
      ['put', 'cn=d,ou=x', 'false'],
      ['delete', 'cn=b,ou=x'],
      ['delete', 'cn=c,ou=x'],
    ]);
    // and what it deleted is forgotten: a later delete of b names nothing
    expect(run(tracker, [idDelete('b')])).to.deep.equal([]);
  });

  it('a delete phase deletes only what it names', () => {
    const tracker = liveTracker();
    expect(run(tracker, [{ type: 'resumed', reason: new ConnectionError('lost') }, idDelete('c'), { type: 'phaseEnd', phase: 'delete', refreshDone: true }, refreshDone])).to.deep.equal([['delete', 'cn=c,ou=x']]);
  });

  it('a full reload (refreshRequired without cookie) drops at refreshDone what it did not send again', () => {
    const tracker = liveTracker();
    expect(run(tracker, [{ type: 'refreshRequired' }, entry('add', 'a', 'cn=a,ou=x'), { type: 'phaseEnd', phase: 'delete', refreshDone: true }, refreshDone])).to.deep.equal([
      ['put', 'cn=a,ou=x', 'false'],
      ['delete', 'cn=b,ou=x'],
      ['delete', 'cn=c,ou=x'],
    ]);
  });

  it('ignores a delete of an entry it never knew', () => {
    expect(run(liveTracker(), [{ type: 'delete', entryUUID: 'zz', dn: 'cn=zz,ou=x' }])).to.deep.equal([]);
  });
});
