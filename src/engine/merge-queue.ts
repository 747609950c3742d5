import type { Clock } from '../shared/clock.js';
import type { TaskSpec } from '../spec/types.js';
import type { TaskExecutor } from './attempt-types.js';

type Merged = Awaited<ReturnType<TaskExecutor['merge']>>;

/** How long a merge waited in the queue, then took. */
export interface MergeTiming {
  waitMs: number;
  mergeMs: number;
}

/**
 * The git manager's queue: merges run one at a time, in the order tasks reach it, each timed;
 * a merge that throws fails its own task and not the ones behind it.
 */
export function createMergeQueue(
  clock: Clock,
  merge: TaskExecutor['merge'],
): (task: TaskSpec, head: string) => Promise<{ merged: Merged; timing: MergeTiming }> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task, head) => {
    const queued = clock.now();
    const timing = { waitMs: 0, mergeMs: 0 };
    const result = tail.then(async () => {
      const started = clock.now();
      timing.waitMs = Math.round(started - queued);
      try {
        return await merge(task, head);
      } finally {
        timing.mergeMs = Math.round(clock.now() - started);
      }
    });
    tail = result.catch(() => undefined);
    return result.then((merged) => ({ merged, timing }));
  };
}
