import { existsSync } from 'node:fs';
import { git, tryGit } from '../git/git.js';
import { settleDiscards } from '../shared/discard.js';
import { mergeIntoBranch } from '../git/merge.js';
import { addWorktree, removeWorktree } from '../git/worktree.js';
import type { TaskSpec } from '../spec/types.js';
import type { MergeResult } from './attempt-types.js';
import { runAcceptance } from './task-attempt.js';
import { taskMergeMessage } from './messages.js';
import { taskBranch, taskWorktree } from './names.js';
import { profileNamed, type RunContext, dependentsIn } from './run-context.js';

/**
 * Worktree removals after merges, done outside the one-at-a-time merge queue so the next
 * merge need not wait for a directory to be deleted; `settle()` waits for all of them.
 */
export function createCleanups() {
  const pending = new Set<Promise<void>>();
  return {
    add(context: RunContext, dir: string) {
      const removal = removeWorktree(context.repo.root, dir).finally(() => pending.delete(removal));
      pending.add(removal);
    },
    async settle() {
      await Promise.allSettled([...pending]);
      await settleDiscards();
    },
  };
}

export type Cleanups = ReturnType<typeof createCleanups>;

/** The milestone branch head as the merge queue last saw it. */
export interface HeadTracker {
  current: string;
}

// A human may move the milestone branch while we merge; a few CAS retries absorb that.
const MAX_CAS_RETRIES = 5;

async function mergeOnce(
  context: RunContext,
  tracker: HeadTracker,
  task: TaskSpec,
  head: string,
  agent: string,
) {
  const profile = profileNamed(context, agent);
  const branch = taskBranch(context.spec.id, task.id);
  const message = taskMergeMessage(
    {
      milestoneId: context.spec.id,
      run: context.run,
      task,
      agent: profile,
      unblocks: dependentsIn(context, task),
    },
    branch,
    task.acceptance,
  );
  for (let tries = 0; tries < MAX_CAS_RETRIES; tries++) {
    const outcome = await mergeIntoBranch({
      repo: context.repo.root,
      branch: context.branch,
      head: tracker.current,
      source: head,
      message,
      env: context.commitEnv,
    });
    if (outcome.kind === 'moved') {
      tracker.current = outcome.head;
      continue;
    }
    if (outcome.kind === 'merged') tracker.current = outcome.commit;
    return outcome;
  }
  throw new Error(`milestone branch ${context.branch} kept moving during the merge of ${task.id}`);
}

/** Rebases the task branch onto the milestone head in its worktree; returns the new head or the conflict. */
async function rebaseTask(context: RunContext, dir: string, onto: string) {
  const result = await tryGit(dir, ['rebase', '--quiet', onto], { env: context.commitEnv });
  if (result.code === 0) return { head: await git(dir, ['rev-parse', 'HEAD']) };
  await tryGit(dir, ['rebase', '--abort']);
  return { failed: (result.stderr || result.stdout).trim().split('\n')[0] ?? 'rebase failed' };
}

/**
 * Merges a checked task into the milestone branch. On conflict the task is rebased onto the
 * milestone head, re-checked, and merged again; a second conflict blocks it.
 */
export async function mergeTask(
  context: RunContext,
  tracker: HeadTracker,
  task: TaskSpec,
  head: string,
  attempt: { number: number; agent: string },
  cleanups: Cleanups,
): Promise<MergeResult> {
  const dir = taskWorktree(context.repo.stateDir, context.spec.id, task.id);
  const first = await mergeOnce(context, tracker, task, head, attempt.agent);
  if (first.kind === 'merged') {
    cleanups.add(context, dir);
    return { kind: 'merged', commit: first.commit, head };
  }
  if (!existsSync(dir))
    await addWorktree(context.repo.root, dir, taskBranch(context.spec.id, task.id), undefined);
  const rebased = await rebaseTask(context, dir, tracker.current);
  if ('failed' in rebased) {
    return {
      kind: 'blocked',
      reason: `merge conflict in ${first.paths.join(', ')}; rebase onto ${context.branch} failed too`,
      paths: first.paths,
    };
  }
  const checks = await runAcceptance(
    context,
    task,
    attempt.number,
    attempt.agent,
    dir,
    'acceptance after rebase',
  );
  if (!checks.ok) return { kind: 'blocked', reason: checks.reason, paths: [] };
  const second = await mergeOnce(context, tracker, task, rebased.head, attempt.agent);
  if (second.kind === 'merged') {
    cleanups.add(context, dir);
    return { kind: 'merged', commit: second.commit, head: rebased.head };
  }
  return {
    kind: 'blocked',
    reason: `merge conflict in ${second.paths.join(', ')} even after rebasing`,
    paths: second.paths,
  };
}
