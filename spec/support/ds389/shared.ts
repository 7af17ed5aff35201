/**
 * One 389-ds for the whole mocha run, created by the first test that asks for it (creation
 * takes ~10–40 s, so unit-only runs must never pay for it) and stopped by stopSharedDs389() —
 * from the root hook, or, if the run ends another way, by the exit and signal handlers in
 * cleanup.ts.
 *
 * Tests must leave the shared data as they found it, or work on entries with names of their own.
 */
import { startDs389, type Ds389Instance } from './instance';

let shared: Promise<Ds389Instance> | undefined;

/** The run's shared instance (suffix dc=example,dc=com, an empty ou=people). */
export const sharedDs389 = (): Promise<Ds389Instance> => {
  // A failed start stays cached: later tests fail fast with the same cause instead of each
  // spending another creation on it.
  shared ??= startDs389();
  return shared;
};

export const stopSharedDs389 = async (): Promise<void> => {
  const pending = shared;
  shared = undefined;
  const instance = await pending?.catch(() => undefined);
  await instance?.stop();
};
