import { expect } from 'chai';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bulkModel } from '../../support/bulk-writer-child';
import { seededRandom } from '../../support/data';
import { durableStore, readStore } from '../../support/sync-stores';

const CHILD = join(__dirname, '../../support/bulk-writer-child.js');
const ROUNDS = 3;

/** Runs the writer until it has said `end` `ends` times, lets it go on for a moment, SIGKILLs it; resolves with its last line. */
const killMidRefresh = (store: string, dir: string, ends: number, waitMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, store, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killing = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!killing && (out.match(/^end /gm) ?? []).length >= ends) {
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

for (const storeName of ['sqlite', 'sqlite-thread'] as const) {
  describe(`A ${storeName} store killed with SIGKILL during a first refresh, while it appends without its uuid index (child processes)`, function () {
    this.timeout(120_000);

    it(`reopened after each of ${ROUNDS} kills, has its index and exactly the batches it committed, each entry once, its last version`, async () => {
      const random = seededRandom(storeName === 'sqlite' ? 21 : 22);
      for (let round = 1; round <= ROUNDS; round++) {
        const dir = await mkdtemp(join(tmpdir(), `rxldap-store-kill-bulk-${storeName}-`));
        try {
          const last = await killMidRefresh(storeName, dir, 2 + Math.floor(random() * 6), Math.floor(random() * 30));
          const [word, number] = last.split(' ');
          const ended = word === 'end' ? Number(number) : Number(number) - 1;
          const file = join(dir, 'replica.sqlite');
          const before = new Database(file, { readonly: true });
          const flagged = before.prepare("SELECT count(*) FROM meta WHERE key = 'bulk'").pluck().get();
          before.close();
          expect(flagged, `round ${round}: killed mid-refresh, the flag is set`).to.equal(1);
          const stored = await readStore(durableStore(storeName, dir));
          expect(stored.cookie).to.equal(undefined);
          // A kill between begin and end may or may not have let that batch commit; nothing else may differ.
          const candidates = word === 'begin' ? [ended, ended + 1] : [ended];
          const matches = candidates.filter((c) => stored.records.size === bulkModel(c).size);
          expect(matches, `round ${round}: ${stored.records.size} entries after ${last}`).to.have.length(1);
          expect(stored.records).to.deep.equal(bulkModel(matches[0]!));
          const after = new Database(file, { readonly: true });
          try {
            expect(after.prepare("SELECT count(*) FROM meta WHERE key = 'bulk'").pluck().get()).to.equal(0);
            expect(after.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'entries_uuid'").pluck().get()).to.equal(1);
            expect(after.prepare('SELECT count(*) FROM entries').pluck().get()).to.equal(stored.records.size);
          } finally {
            after.close();
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
    });
  });
}
