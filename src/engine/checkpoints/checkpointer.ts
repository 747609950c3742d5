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
const ROUTINE_GAP_MS = 2_000;

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

  // Routine checkpoints (after merges, every N events) are at most one per ROUTINE_GAP_MS:
  // a trigger inside the gap is deferred to its end, and all triggers in between fold into
  // that one capture, which sees the newest state anyway. Merges can come every few
  // milliseconds; a capture costs git calls, so capturing each one would slow the run down.
  let lastRoutine = Number.NEGATIVE_INFINITY;
  // The reconciliation at a run's start journals many events at once: the interval checkpoint
  // they trigger waits a gap, so that it does not compete with starting the first agents. A
  // merge does not wait for it.
  const startedAt = now();
  let deferred: { timer: NodeJS.Timeout; reason: CheckpointReason } | undefined;
  const capture = (reason: CheckpointReason) => {
    sinceLast = 0;
    chain = chain
      .then(() => captureCheckpoint({ ...options, reason }))
      .then(
        () => undefined,
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          options.onNotice(`checkpoint (${reason}) not written: ${message.split('\n')[0]}`);
        },
      );
  };
  const take = (reason: CheckpointReason) => {
    const routine = reason === 'task-merged' || reason === 'interval';
    if (!routine) return capture(reason);
    const earliest = reason === 'interval' ? Math.max(lastRoutine, startedAt) : lastRoutine;
    const wait = earliest + ROUTINE_GAP_MS - now();
    if (deferred) {
      if (wait > 0 || deferred.reason === reason) return;
      clearTimeout(deferred.timer);
      deferred = undefined;
    }
    const run = () => {
      deferred = undefined;
      lastRoutine = now();
      capture(reason);
    };
    if (wait <= 0) return run();
    deferred = { timer: setTimeout(run, wait), reason };
    deferred.timer.unref();
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
    flush() {
      // A deferred routine checkpoint is taken now rather than lost.
      if (deferred) {
        clearTimeout(deferred.timer);
        const { reason } = deferred;
        deferred = undefined;
        capture(reason);
      }
      return chain;
    },
  };
}
