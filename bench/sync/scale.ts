/**
 * The scale step: for each durable store, a process builds a store of N entries through
 * commit() (no server), and a second process opens it and reads it all back (scale-child.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from '../support/measure';
import type { ScaleRow } from './report';

export const runScale = async (entries: number, gnuTime: boolean): Promise<ScaleRow[]> => {
  const rows: ScaleRow[] = [];
  for (const store of ['sqlite', 'file'] as const) {
    const scratch = mkdtempSync(join(tmpdir(), 'rxldap-bench-scale-'));
    const path = join(scratch, store === 'sqlite' ? 'replica.sqlite' : 'replica');
    const child = join(__dirname, 'scale-child.js');
    try {
      console.log(`\n== scale: ${entries.toLocaleString('en')} entries into the ${store} store through commit(), then read back`);
      // The file store holds every entry's line in memory: give its heap room at millions of entries.
      const heap = store === 'file' ? ['--max-old-space-size=12288'] : [];
      const build = await measure({ command: process.execPath, args: [...heap, child, 'build', store, path, String(entries)], timeoutMs: 3_600_000 }, gnuTime);
      const read = await measure({ command: process.execPath, args: [...heap, child, 'read', store, path, String(entries)], timeoutMs: 3_600_000 }, gnuTime);
      const { counted } = JSON.parse(read.stdout.trim()) as { counted: number };
      const row: ScaleRow = { store, entries, build, read, counted };
      console.log(`${store}: built in ${(build.wallMs / 1000).toFixed(1)} s, read back ${counted.toLocaleString('en')} in ${(read.wallMs / 1000).toFixed(1)} s`);
      rows.push(row);
    } catch (error) {
      console.log(`${store}: FAILED ${error instanceof Error ? error.message : String(error)}`);
      rows.push({ store, entries, failure: error instanceof Error ? error.message.slice(0, 500) : String(error) });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return rows;
};
