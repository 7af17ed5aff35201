/**
 * One server for the whole mocha run, started by the first test that asks for it (so unit-only
 * runs never pay for it) and stopped by the root hook in mocha-hooks.ts — or, if mocha dies
 * first, by the exit and signal handlers in rig-cleanup.ts.
 */
export interface SharedInstance<T> {
  /** The run's instance, started on the first call. */
  get(): Promise<T>;
  /** Stops it if it was started; the next get() starts another. */
  stop(): Promise<void>;
}

export const sharedInstance = <T extends { stop(): Promise<void> }>(start: () => Promise<T>): SharedInstance<T> => {
  let shared: Promise<T> | undefined;
  return {
    get(): Promise<T> {
      // A failed start stays cached: every later test then fails fast with the same cause
      // instead of each spending the start timeout again.
      shared ??= start();
      return shared;
    },
    async stop(): Promise<void> {
      const pending = shared;
      shared = undefined;
      const instance = await pending?.catch(() => undefined);
      await instance?.stop();
    },
  };
};
