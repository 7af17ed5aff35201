import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full GC between timed runs, so one decoder's garbage is not collected on the next one's
 * clock. Uses global.gc when node runs with --expose-gc, else enables it at run time.
 */
export const garbageCollector = (): (() => void) => {
  const existing: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return () => void (existing as () => unknown)();
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return () => void (gc as () => unknown)();
  } catch {
    // fall through: run without forced collections
  }
  console.warn('warning: cannot force GC between runs; timings will be noisier');
  return () => undefined;
};
