import type { TaskExecutor } from './attempt-types.js';
import { mergeTask, type HeadTracker } from './merge-task.js';
import { attemptLog } from './names.js';
import type { RunContext } from './run-context.js';
import { runTaskAttempt } from './task-attempt.js';

/** The real executor: agents in git worktrees, merges through merge-tree and compare-and-swap. */
export function createGitExecutor(context: RunContext, tracker: HeadTracker): TaskExecutor {
  const lastAttempt = new Map<string, number>();
  return {
    logFile: (task, attempt) => attemptLog(context.repo.stateDir, context.run, task.id, attempt),
    attempt(task, attempt, hooks) {
      lastAttempt.set(task.id, attempt);
      return runTaskAttempt(context, task, attempt, tracker.current, hooks);
    },
    merge(task, head) {
      return mergeTask(context, tracker, task, head, lastAttempt.get(task.id) ?? 0);
    },
  };
}
