import { expect } from 'chai';
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as sinon from 'sinon';
import { nodeFs } from '../../../../lib/util/lazy-builtins';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncStoreCorruptError, SyncStoreStateError } from '../../../../lib/errors';
import { FileSyncStore } from '../../../../lib/search/sync';
import type { SyncBatch, SyncRecord, SyncStore } from '../../../../lib/search/sync';
import { seededRandom } from '../../../support/data';
import { readStore } from '../../../support/sync-stores';
import { uuid } from './sync-events';

const record = (name: string, extra: Record<string, string[]> = {}): SyncRecord => ({ dn: `uid=${name},ou=people,dc=example,dc=com`, attributes: { uid: [name], cn: [`${name} ✓`], ...extra } });

const batch = (puts: Array<[number, SyncRecord]>, deletes: number[] = [], cookie?: string): SyncBatch => ({
  puts: new Map(puts.map(([n, r]) => [uuid(n), r])),
  deletes: new Set(deletes.map(uuid)),
  seen: new Set(),
  ...(cookie === undefined ? {} : { cookie: Buffer.from(cookie) }),
});

/** Plain data for deep comparison: cookie text and records sorted by UUID. */
type Plain = { cookie: string | undefined; records: Array<[string, SyncRecord]> };
const plain = (state: { cookie?: Buffer; records: Map<string, SyncRecord> }): Plain => ({
  cookie: state.cookie?.toString('utf8'),
  records: [...state.records].sort(([a], [b]) => a.localeCompare(b)),
});

/** What applying the batches in order gives (the model the store must agree with). */
const model = (batches: readonly SyncBatch[]): Plain => {
  const records = new Map<string, SyncRecord>();
  let cookie: string | undefined;
  for (const b of batches) {
    for (const id of b.deletes) records.delete(id);
    for (const [id, r] of b.puts) records.set(id, r);
    if (b.cookie !== undefined) cookie = b.cookie.toString('utf8');
  }
  return plain({ records, ...(cookie === undefined ? {} : { cookie: Buffer.from(cookie) }) });
};

const loadPlain = async (store: SyncStore): Promise<Plain> => plain(await readStore(store));

/** Opens the store and reads what it holds, leaving it open. */
const openPlain = async (store: SyncStore): Promise<Plain> => {
  const state = await store.open();
  const records = new Map<string, SyncRecord>();
  for await (const [id, r] of store.entries()) records.set(id, r);
  return plain(state.cookie === undefined ? { records } : { cookie: state.cookie, records });
};

describe('FileSyncStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxldap-filestore-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Batches that add, change and delete, with and without cookies. */
  const SCRIPT: readonly SyncBatch[] = [
    batch([[1, record('ann')], [2, record('bob')], [3, record('cy')]], [], 'c1'),
    batch([[2, record('bob', { mail: ['bob@example.com'] })]]),
    batch([], [1], 'c2'),
    batch([[4, record('dee')], [3, { ...record('cy'), dn: 'uid=cy,ou=staff,dc=example,dc=com' }]], [], 'c3'),
    batch([], [], 'c4'),
  ];

  it('gives back what was committed after close and reopen, in a new instance', async () => {
    const store = new FileSyncStore(dir);
    expect(await openPlain(store)).to.deep.equal({ cookie: undefined, records: [] });
    for (const b of SCRIPT) await store.commit(b);
    await store.close();
    expect(await loadPlain(new FileSyncStore(dir))).to.deep.equal(model(SCRIPT));
    // and commits after a reopen go on from there
    const again = new FileSyncStore(dir);
    await again.open();
    await again.commit(batch([[5, record('eve')]], [2], 'c5'));
    await again.close();
    expect(await loadPlain(new FileSyncStore(dir))).to.deep.equal(model([...SCRIPT, batch([[5, record('eve')]], [2], 'c5')]));
  });

  it('drops a torn last journal line, and cuts it off so the next commit is not lost behind it', async () => {
    const store = new FileSyncStore(dir);
    await store.open();
    for (const b of SCRIPT.slice(0, 2)) await store.commit(b);
    await store.close();
    await appendFile(store.journalPath, '0badc0de {"p":[["00000000-0000-0000-0000-000000000009","uid=x"');
    const reopened = new FileSyncStore(dir);
    expect(await openPlain(reopened)).to.deep.equal(model(SCRIPT.slice(0, 2)));
    await reopened.commit(SCRIPT[2]!);
    await reopened.close();
    expect(await loadPlain(new FileSyncStore(dir))).to.deep.equal(model(SCRIPT.slice(0, 3)));
  });

  it('after a crash cut the journal at any byte, loads exactly the batches whose lines are whole: the cookie never runs ahead of the data', async function () {
    this.timeout(60_000);
    const store = new FileSyncStore(dir);
    await store.open();
    const ends: number[] = []; // journal length after each commit
    for (const b of SCRIPT) {
      await store.commit(b);
      ends.push((await readFile(store.journalPath)).length);
    }
    await store.close();
    expect(await readdir(dir), 'everything is in the journal').to.deep.equal([store.journalPath.slice(dir.length + 1)]);
    const journalName = store.journalPath.slice(dir.length + 1);
    const full = await readFile(store.journalPath);
    const crashed = await mkdtemp(join(tmpdir(), 'rxldap-filestore-crash-'));
    try {
      for (let length = 0; length <= full.length; length++) {
        await writeFile(join(crashed, journalName), full.subarray(0, length));
        const whole = ends.filter((end) => end <= length).length;
        expect(await loadPlain(new FileSyncStore(crashed)), `journal cut at byte ${length}`).to.deep.equal(model(SCRIPT.slice(0, whole)));
      }
    } finally {
      await rm(crashed, { recursive: true, force: true });
    }
  });

  it('refuses a journal damaged before its last line', async () => {
    const store = new FileSyncStore(dir);
    await store.open();
    for (const b of SCRIPT) await store.commit(b);
    await store.close();
    const data = await readFile(store.journalPath);
    data[20] = data[20] === 0x41 ? 0x42 : 0x41; // inside the first line's JSON
    await writeFile(store.journalPath, data);
    const error = await new FileSyncStore(dir).open().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(SyncStoreCorruptError);
    expect((error as SyncStoreCorruptError).path).to.equal(store.journalPath);
  });

  it('compaction folds the journal into a snapshot and keeps the content, also across random commits', async () => {
    const random = seededRandom(4533);
    const store = new FileSyncStore(dir, { compactAtBytes: 600 });
    await store.open();
    const applied: SyncBatch[] = [];
    for (let i = 0; i < 300; i++) {
      const puts: Array<[number, SyncRecord]> = [];
      const deletes: number[] = [];
      for (let k = Math.floor(random() * 4); k > 0; k--) puts.push([1 + Math.floor(random() * 40), record(`p${i}-${k}`)]);
      for (let k = Math.floor(random() * 2); k > 0; k--) deletes.push(1 + Math.floor(random() * 40));
      const b = batch(puts.filter(([n]) => !deletes.includes(n)), deletes, random() < 0.5 ? `c${i}` : undefined);
      await store.commit(b);
      applied.push(b);
    }
    await store.close();
    expect(store.compactions).to.be.greaterThan(5);
    const files = (await readdir(dir)).sort();
    expect(files).to.deep.equal([store.journalPath.slice(dir.length + 1), 'snapshot.jsonl']);
    expect(await loadPlain(new FileSyncStore(dir))).to.deep.equal(model(applied));
  });

  it('a batch larger than the journal may grow goes straight into a snapshot', async () => {
    const store = new FileSyncStore(dir, { compactAtBytes: 1000 });
    await store.open();
    const big = batch(Array.from({ length: 50 }, (_, i): [number, SyncRecord] => [i + 1, record(`p${i}`)]), [], 'big');
    await store.commit(big);
    await store.close();
    expect(store.compactions).to.equal(1);
    expect((await readFile(store.journalPath)).length).to.equal(0);
    expect(await loadPlain(new FileSyncStore(dir))).to.deep.equal(model([big]));
  });

  it('ignores what a crash during compaction leaves behind: a half-written snapshot and an older journal', async () => {
    const store = new FileSyncStore(dir, { compactAtBytes: 300 });
    await store.open();
    for (const b of SCRIPT) await store.commit(b);
    await store.close();
    expect(store.compactions).to.be.greaterThan(0);
    await writeFile(join(dir, 'snapshot.jsonl.tmp'), '{"rxldapSyncSnapshot":1,"generation":99,"cou');
    await writeFile(join(dir, 'journal-0.jsonl'), 'whatever an old generation held\n');
    expect(await loadPlain(new FileSyncStore(dir))).to.deep.equal(model(SCRIPT));
    expect((await readdir(dir)).sort()).to.deep.equal([store.journalPath.slice(dir.length + 1), 'snapshot.jsonl']);
  });

  it('refuses a commit before load()', async () => {
    const error = await new FileSyncStore(dir).commit(SCRIPT[0]!).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(SyncStoreStateError);
  });

  it('refuses a snapshot whose record count does not match its header', async () => {
    const store = new FileSyncStore(dir, { compactAtBytes: 10 });
    await store.open();
    await store.commit(SCRIPT[0]!);
    await store.close();
    const text = await readFile(store.snapshotPath, 'utf8');
    await writeFile(store.snapshotPath, text.split('\n').slice(0, -2).join('\n') + '\n');
    const error = await new FileSyncStore(dir).open().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(SyncStoreCorruptError);
  });
});

describe('FileSyncStore reads its files a line at a time', () => {
  const LIMIT = 8 * 1024;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxldap-filestore-stream-'));
  });
  afterEach(async () => {
    sinon.restore();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * V8 refuses strings past about 512 MiB, and a snapshot of a large replica is larger. Here the
   * limit is lowered to 8 KiB (any Buffer-to-string conversion longer than that throws, and
   * whole-file reads are refused), and a store whose snapshot and journal are far larger must
   * still read back. The old readSnapshot turned the whole file into one string and fails this.
   */
  it(`reads back a snapshot and a journal of ${'>'} 100 times a lowered string limit of ${LIMIT} bytes`, async () => {
    const store = new FileSyncStore(dir, { compactAtBytes: 400_000 });
    await store.open();
    const applied: SyncBatch[] = [];
    for (let b = 0; b < 300; b++) {
      const puts: Array<[number, SyncRecord]> = Array.from({ length: 10 }, (_, k) => [b * 10 + k + 1, record(`p${b}-${k}`, { description: ['x'.repeat(200)] })]);
      const next = batch(puts, b % 7 === 0 && b > 0 ? [b * 10 - 3] : [], `c${b}`);
      await store.commit(next);
      applied.push(next);
    }
    await store.close();
    expect(store.compactions, 'a snapshot was written').to.be.greaterThan(0);
    const snapshotBytes = (await stat(store.snapshotPath)).size;
    const journalBytes = (await stat(store.journalPath)).size;
    expect(snapshotBytes).to.be.greaterThan(LIMIT * 30);
    expect(snapshotBytes + journalBytes).to.be.greaterThan(LIMIT * 100);

    const toString = (Buffer.prototype as { toString: (this: Buffer, encoding?: BufferEncoding, start?: number, end?: number) => string }).toString;
    sinon.stub(Buffer.prototype, 'toString').callsFake(function (this: Buffer, ...args: unknown[]) {
      const [encoding, start = 0, end = this.length] = args as [BufferEncoding | undefined, number | undefined, number | undefined];
      if (Math.min(end, this.length) - start > LIMIT) throw new RangeError(`Cannot create a string longer than the lowered limit (${LIMIT})`);
      return toString.call(this, encoding, start, end);
    });
    const fs = nodeFs();
    sinon.stub(fs, 'readFile').rejects(new Error('a whole file read into memory'));
    // The limit bites at these sizes: a whole-file string would be refused.
    const whole = Buffer.alloc(snapshotBytes, 0x61);
    expect(() => whole.toString('utf8')).to.throw(RangeError);
    expect(await loadPlain(new FileSyncStore(dir))).to.deep.equal(model(applied));
  });
});
