import type { AttemptResult, TaskExecutor } from './attempt-types.js';
import { createCleanups, mergeTask, type HeadTracker } from './merge-task.js';
import { attemptLog } from './names.js';
import { agentNameOf, type RunContext } from './run-context.js';
import { firstLines, runTaskAttempt } from './task-attempt.js';
import { StateWriteError } from '../store/open-checked.js';

/** The real executor: agents in git worktrees, merges through merge-tree and compare-and-swap. */
export function createGitExecutor(context: RunContext, tracker: HeadTracker): TaskExecutor {
  const lastAttempt = new Map<string, { number: number; agent: string }>();
  const cleanups = createCleanups();
  return {
    logFile: (task, attempt) => attemptLog(context.repo.stateDir, context.run, task.id, attempt),
    attempt(task, attempt, hooks) {
      lastAttempt.set(task.id, { number: attempt, agent: hooks.agent });
      // A git fault during an attempt (a lock, a vanished worktree) fails that attempt, which the
      // retry policy handles, rather than the task.
      // The attempt stops on the run's interruption or its own (a blocker); either way its work is kept.
      const own = hooks.signal
        ? { ...context, signal: AbortSignal.any([context.signal, hooks.signal]) }
        : context;
      return runTaskAttempt(own, task, attempt, tracker.current, hooks).catch(
        (error: unknown): AttemptResult => {
          // A journal that cannot be written is the run's fault, not the attempt's.
          if (error instanceof StateWriteError) throw error;
          return {
            outcome: 'failed',
            reason: `git failed during the attempt: ${firstLines(error instanceof Error ? error.message : String(error))}`,
            exitCode: null,
            signal: null,
          };
        },
      );
    },
    merge(task, head) {
      // A task resumed straight into the merge queue has no attempt in this run: use its own profile.
      const attempt = lastAttempt.get(task.id) ?? { number: 0, agent: agentNameOf(context, task) };
      return mergeTask(context, tracker, task, head, attempt, cleanups);
    },
    settle: () => cleanups.settle(),
  };
}
