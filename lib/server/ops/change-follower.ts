import type { DirectoryChange } from '../changes';
import type { OperationContext } from '../context';
import type { DirectoryStore } from '../directory';

/** The changes a live search (persistent search, syncrepl's persist stage) has yet to send. */
export interface ChangeFollower {
  /** The oldest change not yet taken, if any. */
  take(): DirectoryChange | undefined;
  /** Resolves when a change is waiting, the operation has stopped or the follower fell behind. */
  more(): Promise<void>;
  /**
   * True once more changes waited than the server's maxPendingChanges: the client reads slower
   * than the directory changes. The follower then holds nothing more, and the search must end.
   */
  readonly overflowed: boolean;
}

/**
 * Subscribes to the directory's changes from now until the operation stops. Changes are kept
 * in arrival order; taking one is O(1) (an index, with the array compacted once half of it is
 * taken), where Array.shift per change made a burst of changes quadratic. At most `limit` changes
 * wait: a client that reads slower than the directory changes would otherwise hold every change
 * made meanwhile in the server's memory.
 */
export const followChanges = (context: OperationContext, directory: DirectoryStore, limit = context.settings.maxPendingChanges): ChangeFollower => {
  let queued: DirectoryChange[] = [];
  let next = 0;
  let overflowed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = directory.subscribe((change) => {
    if (overflowed) return;
    if (queued.length - next >= limit) {
      overflowed = true;
      [queued, next] = [[], 0];
      unsubscribe();
    } else {
      queued.push(change);
    }
    wake?.();
  });
  context.onStop(() => {
    unsubscribe();
    wake?.();
  });
  return {
    take: () => {
      const change = queued[next];
      if (change === undefined) return undefined;
      next += 1;
      if (next === queued.length) [queued, next] = [[], 0];
      else if (next > 1024 && next * 2 > queued.length) [queued, next] = [queued.slice(next), 0];
      return change;
    },
    more: async () => {
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (next < queued.length || context.stopped !== undefined || overflowed) resolve();
      });
      wake = undefined;
    },
    get overflowed() {
      return overflowed;
    },
  };
};
