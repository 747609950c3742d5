import { existsSync } from 'node:fs';
import { clearInterruptedRegistrations, pruneWorktrees, removeWorktree } from '../git/worktree.js';
import { discardLeftovers } from '../shared/discard.js';
import type { Store } from '../store/types.js';
import { milestoneWorktrees, taskWorktree } from './names.js';
import type { RunContext } from './run-context.js';

/**
 * Removes the worktrees of finished tasks, and registrations whose directory is gone. A run
 * killed between a merge and the removal of the task's worktree leaves one behind; the next
 * run tidies it (the branch stays), the folders a killed removal left half-deleted, and the
 * registrations a killed run began for a task's worktree and never finished.
 */
export async function removeFinishedWorktrees(
  context: Pick<RunContext, 'repo' | 'spec'>,
  store: Store,
): Promise<void> {
  const folder = milestoneWorktrees(context.repo.stateDir, context.spec.id);
  await clearInterruptedRegistrations(context.repo.root, context.repo.commonDir, folder);
  await pruneWorktrees(context.repo.root);
  discardLeftovers(folder);
  for (const task of store.tasks(context.spec.id)) {
    if (task.state !== 'done') continue;
    const dir = taskWorktree(context.repo.stateDir, context.spec.id, task.id);
    if (existsSync(dir)) await removeWorktree(context.repo.root, dir);
  }
}
