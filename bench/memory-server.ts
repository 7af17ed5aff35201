/**
 * The in-memory directory as the benchmark's second server: a process of its own (so its CPU is
 * measured apart from the client's, as slapd's is), serving the bench LDIF with the rig's root
 * DN. Prints one JSON line ({ url, pid, loadMs, entries }) when it listens; ends on SIGTERM.
 *
 *   node dist/bench/memory-server.js <ldif file>
 */
import { readFileSync } from 'node:fs';
import { startDirectory } from '../lib/server';

const main = async (): Promise<void> => {
  const [path] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: node dist/bench/memory-server.js <ldif file>');
  const started = performance.now();
  const server = await startDirectory({ ldif: readFileSync(path, 'utf8'), rootDN: 'cn=admin,dc=example,dc=com', rootPassword: 'secret' });
  process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid, loadMs: Math.round(performance.now() - started), entries: server.directory.size })}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
