/**
 * One slapd for the whole mocha run, started by the first test that asks for it (so unit-only
 * runs never pay for it) and stopped by the root hook in spec/support/mocha-hooks.ts — or, if
 * mocha dies first, by the exit and signal handlers in cleanup.ts.
 *
 * Tests must leave the shared data as they found it (or use entries they create under their
 * own names); a test that needs other data or config starts its own with startSlapd().
 */
import { startSlapd, type SlapdInstance } from './instance';

let shared: Promise<SlapdInstance> | undefined;

/** The run's shared instance with the default data (generatePeople(DEFAULT_PEOPLE)). */
export const sharedSlapd = (): Promise<SlapdInstance> => {
  // A failed start stays cached: every later test then fails fast with the same cause
  // instead of each spending the start timeout again.
  shared ??= startSlapd();
  return shared;
};

export const stopSharedSlapd = async (): Promise<void> => {
  const pending = shared;
  shared = undefined;
  const instance = await pending?.catch(() => undefined);
  await instance?.stop();
};
