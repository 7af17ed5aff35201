import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncRecord } from '../../../lib/search/sync';
import { seededRandom } from '../../support/data';
import { storeKillBatch } from '../../support/store-writer-child';
import { DURABLE_STORES, durableStore, readStore } from '../../support/sync-stores';

const CHILD = join(__dirname, '../../support/store-writer-child.js');
const ROUNDS = 8;

/** What applying batches 1…c gives. */
const model = (c: number): Map<string, SyncRecord> => {
  const records = new Map<string, SyncRecord>();
  for (let k = 1; k <= c; k++) {
    const batch = storeKillBatch(k);
    for (const id of batch.deletes) records.delete(id);
    for (const [id, record] of batch.puts) records.set(id, record);
  }
  return records;
};

/** Runs the writer until it has said `begin` `begins` times, lets it go on for a random moment, then SIGKILLs it; resolves with its last line. */
const killDuringCommits = (store: string, dir: string, begins: number, waitMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, store, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killing = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!killing && (out.match(/^begin /gm) ?? []).length >= begins) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), waitMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the writer ended by itself: ${err}`));
      else resolve(out.trim().split('\n').pop() ?? '');
    });
  });

for (const storeName of DURABLE_STORES) {
  describe(`A ${storeName} store killed with SIGKILL during commits (child processes)`, function () {
    this.timeout(120_000);
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `rxldap-store-kill-${storeName}-`));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it(`after ${ROUNDS} kills, holds exactly the batches its cookie names: never a cookie without its data, never half a batch`, async () => {
      const random = seededRandom(storeName === 'file' ? 15 : 16);
      let insideCommit = 0;
      let cookie = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const last = await killDuringCommits(storeName, dir, 1 + Math.floor(random() * 3), Math.floor(random() * 40));
        if (last.startsWith('begin ')) insideCommit++;
        const stored = await readStore(durableStore(storeName, dir));
        const now = Number(stored.cookie?.toString() ?? '0');
        expect(now, `round ${round}: the cookie went back`).to.be.at.least(cookie);
        cookie = now;
        // Exactly batches 1…cookie: a batch past the cookie would be data without it; a missing one, a cookie without its data.
        expect(stored.records.size, `round ${round}`).to.equal(model(cookie).size);
        expect(stored.records, `round ${round}, cookie ${cookie}`).to.deep.equal(model(cookie));
      }
      expect(cookie, 'the writer got somewhere').to.be.greaterThan(0);
      expect(insideCommit, 'kills that landed between a batch\'s begin and end').to.be.greaterThan(0);
    });
  });
}
