import type { TaskExecutor } from './attempt-types.js';
import { mergeTask, type HeadTracker } from './merge-task.js';
import { attemptLog } from './names.js';
import type { RunContext } from './run-context.js';
import { runTaskAttempt } from './task-attempt.js';

/** The real executor: agents in git worktrees, merges through merge-tree and compare-and-swap. */
export function createGitExecutor(context: RunContext, tracker: HeadTracker): TaskExecutor {
  const lastAttempt = new Map<string, number>();
  const logFile = (taskId: string, attempt: number) =>
    attemptLog(context.repo.stateDir, context.run, taskId, attempt);
  return {
    logFile: (task, attempt) => logFile(task.id, attempt),
    attempt(task, attempt, hooks) {
      lastAttempt.set(task.id, attempt);
      return runTaskAttempt(context, task, attempt, tracker.current, hooks.previousFailure, hooks.onPid);
    },
    merge(task, head) {
      return mergeTask(context, tracker, task, head, logFile(task.id, lastAttempt.get(task.id) ?? 0));
    },
  };
}
