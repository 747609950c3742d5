import type { TaskExecutor } from './attempt-types.js';
import { mergeTask, type HeadTracker } from './merge-task.js';
import { attemptLog } from './names.js';
import { agentNameOf, type RunContext } from './run-context.js';
import { runTaskAttempt } from './task-attempt.js';

/** The real executor: agents in git worktrees, merges through merge-tree and compare-and-swap. */
export function createGitExecutor(context: RunContext, tracker: HeadTracker): TaskExecutor {
  const lastAttempt = new Map<string, { number: number; agent: string }>();
  return {
    logFile: (task, attempt) => attemptLog(context.repo.stateDir, context.run, task.id, attempt),
    attempt(task, attempt, hooks) {
      lastAttempt.set(task.id, { number: attempt, agent: hooks.agent });
      return runTaskAttempt(context, task, attempt, tracker.current, hooks);
    },
    merge(task, head) {
      // A task resumed straight into the merge queue has no attempt in this run: use its own profile.
      const attempt = lastAttempt.get(task.id) ?? { number: 0, agent: agentNameOf(context, task) };
      return mergeTask(context, tracker, task, head, attempt);
    },
  };
}
