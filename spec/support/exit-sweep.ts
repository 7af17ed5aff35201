/**
 * One set of process 'exit' and signal handlers for every rig that must not outlive the test run
 * (slapd, 389-ds). Each rig registers a synchronous sweep; on exit or SIGINT/SIGTERM/SIGHUP all
 * of them run once. One owner of the handlers means the decision to re-raise the signal is made
 * once, after every sweep, instead of by whichever rig's handler happened to run last.
 */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const sweeps = new Set<() => void>();
let installed = false;

const sweepAll = (): void => {
  for (const sweep of sweeps) sweep();
};

const onSignal = (sig: NodeJS.Signals): void => {
  sweepAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // We only wanted to clean up, not to change how the process reacts: if nobody else listens,
  // re-raise so node dies of the signal as it would have without us.
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
};

/** Runs `sweep` (synchronous, safe to call twice) when the process exits or is signalled. */
export const sweepOnExit = (sweep: () => void): void => {
  sweeps.add(sweep);
  if (installed) return;
  installed = true;
  process.on('exit', sweepAll);
  for (const sig of SIGNALS) process.on(sig, onSignal);
};

/** SIGKILLs a detached watchdog's whole process group (the shell and its `sleep`); gone is fine. */
export const killProcessGroup = (pid: number | undefined): void => {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
