import type { RepoPaths } from '../../git/repo.js';
import type { CairnEvent } from '../../store/events.js';
import type { Store } from '../../store/types.js';
import { captureCheckpoint } from './capture.js';
import { checkpointInterval } from './interval.js';
import type { CheckpointReason } from './types.js';

export interface Checkpointer {
  /** The store, with every append watched for checkpoint triggers. */
  watch(store: Store): Store;
  /** Queues a checkpoint now (e.g. when the run is interrupted). */
  take(reason: CheckpointReason): void;
  /** Resolves when every queued checkpoint is written. */
  flush(): Promise<void>;
}

const WINDOW = 50;

/**
 * Checkpoint triggers during a run: after every merge, and every N events where N adapts to
 * recent failures and event rate (see interval.ts). Captures run one at a time in the
 * background; a failed capture is reported, never fatal to the run.
 */
export function createCheckpointer(options: {
  repo: RepoPaths;
  store: Store;
  milestone: string;
  branch: string;
  onNotice: (message: string) => void;
  now?: () => number;
}): Checkpointer {
  const now = options.now ?? Date.now;
  const recent: { at: number; failed: boolean }[] = [];
  let sinceLast = 0;
  let chain: Promise<void> = Promise.resolve();

  // A routine checkpoint queued behind a running capture will see the newest state anyway:
  // while one waits, further routine triggers are folded into it (merges can come fast).
  let routineQueued = false;
  const take = (reason: CheckpointReason) => {
    sinceLast = 0;
    const routine = reason === 'task-merged' || reason === 'interval';
    if (routine && routineQueued) return;
    if (routine) routineQueued = true;
    chain = chain
      .then(() => {
        if (routine) routineQueued = false;
        return captureCheckpoint({ ...options, reason });
      })
      .then(
        () => undefined,
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          options.onNotice(`checkpoint (${reason}) not written: ${message.split('\n')[0]}`);
        },
      );
  };

  const observe = (events: CairnEvent[]) => {
    for (const event of events) {
      recent.push({ at: now(), failed: event.type === 'attempt.ended' && event.outcome === 'failed' });
      sinceLast++;
    }
    recent.splice(0, Math.max(0, recent.length - WINDOW));
    if (events.some((event) => event.type === 'task.merged')) return take('task-merged');
    const minutes = Math.max(1_000, now() - (recent[0]?.at ?? now())) / 60_000;
    const interval = checkpointInterval({
      recentFailures: recent.filter((entry) => entry.failed).length,
      eventsPerMinute: recent.length / minutes,
    });
    if (sinceLast >= interval) take('interval');
  };

  return {
    watch(store) {
      return {
        ...store,
        append(events) {
          store.append(events);
          observe(Array.isArray(events) ? events : [events]);
        },
      };
    },
    take,
    flush: () => chain,
  };
}
