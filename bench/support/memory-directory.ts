import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The in-memory directory running in a child process (bench/memory-server.ts). */
export interface MemoryServerProcess {
  url: string;
  pid: number;
  /** How long loading the LDIF took, in ms. */
  loadMs: number;
  entries: number;
  stop(): Promise<void>;
}

export const startMemoryServer = (ldifPath: string): Promise<MemoryServerProcess> =>
  new Promise((resolve, reject) => {
    // Loading 100,000 entries holds them all as objects: give the heap room and a larger young
    // generation, as one would run such a server.
    const child = spawn(process.execPath, ['--max-old-space-size=4096', '--max-semi-space-size=64', join(__dirname, '..', 'memory-server.js'), ldifPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the in-memory directory exited with ${code} before it listened`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const ready = JSON.parse(line) as { url: string; pid: number; loadMs: number; entries: number };
      resolve({
        ...ready,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
