/**
 * The process behind the `rxldap` bin: wires stdin/stdout/stderr, SIGINT and SIGTERM (which
 * stop the command cleanly: a watch flushes, saves its state and exits 0) and EPIPE on stdout
 * (`rxldap search | head`: the reader is gone, so the command stops) to main().
 */
import { OUTPUT_CLOSED } from './command';
import { main } from './main';

const stop = new AbortController();
const interrupt = (): void => stop.abort('signal');
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') stop.abort(OUTPUT_CLOSED);
  else stop.abort(error);
});

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, stop: stop.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rxldap: ${String(error)}\n`);
    process.exitCode = 82;
  },
);
