/**
 * A process that owns a slapd it has killed and restarted, for the rig spec that checks the exit
 * cleanup follows the new slapd process. Run from the compiled tree:
 *
 *   node dist/spec/support/slapd/restarted-child.js
 *
 * Prints one line of JSON, `{"pid":…,"firstPid":…,"dir":"…"}`, once the restarted slapd
 * answers, then waits to be killed (it never stops the slapd itself).
 */
import { generatePeople } from '../data';
import { startSlapd } from './instance';

const main = async (): Promise<void> => {
  const slapd = await startSlapd({ ldif: generatePeople(5, { groupSize: 0 }) });
  const firstPid = slapd.pid;
  await slapd.kill();
  await slapd.restart();
  process.stdout.write(`${JSON.stringify({ pid: slapd.pid, firstPid, dir: slapd.dir })}\n`);
  setInterval(() => undefined, 60_000);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
