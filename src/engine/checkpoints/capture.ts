import { existsSync } from 'node:fs';
import { tryGit } from '../../git/git.js';
import { resolveCommit } from '../../git/refs.js';
import type { RepoPaths } from '../../git/repo.js';
import type { Store } from '../../store/types.js';
import { taskBranch, taskWorktree } from '../names.js';
import { parseCheckpoint } from './parse.js';
import type { Checkpoint, CheckpointContent, CheckpointReason, WorktreeState } from './types.js';

export interface CaptureOptions {
  repo: RepoPaths;
  store: Store;
  milestone: string;
  branch: string;
  reason: CheckpointReason;
}

/** Task branch → head, for every task branch of the milestone, in one git call. */
async function taskBranchHeads(root: string, milestone: string): Promise<Map<string, string>> {
  const prefix = `refs/heads/${taskBranch(milestone, '')}`;
  const result = await tryGit(root, ['for-each-ref', '--format=%(refname) %(objectname)', prefix]);
  const heads = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [ref, head] = line.trim().split(' ');
    if (ref?.startsWith(prefix) && head) heads.set(ref.slice(prefix.length), head);
  }
  return heads;
}

async function worktreeState(dir: string): Promise<WorktreeState> {
  if (!existsSync(dir)) return 'missing';
  // Read-only: without optional locks, status never takes index.lock from an agent or a merge.
  // A worktree removed meanwhile (a merged task's, moved aside at once) cannot be entered: missing.
  const result = await tryGit(
    dir,
    ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=normal'],
    {
      env: { GIT_OPTIONAL_LOCKS: '0' },
    },
  ).catch(() => undefined);
  if (result?.code !== 0) return 'missing';
  return result.stdout.trim() === '' ? 'clean' : 'dirty';
}

/**
 * Records a checkpoint: git heads and worktree states are read first, then the projection is
 * read and written with the journal position in one transaction.
 */
export async function captureCheckpoint(options: CaptureOptions): Promise<Checkpoint> {
  const { repo, store, milestone, branch } = options;
  const milestoneHead = (await resolveCommit(repo.root, `refs/heads/${branch}`)) ?? null;
  const branchHeads = await taskBranchHeads(repo.root, milestone);
  const worktrees = new Map<string, WorktreeState>();
  for (const task of store.tasks(milestone)) {
    worktrees.set(task.id, await worktreeState(taskWorktree(repo.stateDir, milestone, task.id)));
  }
  const row = store.addCheckpoint(milestone, options.reason, (): CheckpointContent => ({
    version: 1,
    branch,
    milestoneHead,
    tasks: store.tasks(milestone).map((task) => ({
      id: task.id,
      state: task.state,
      attempts: task.attempts,
      mergeCommit: task.state === 'done' ? task.merge_commit : null,
      branchHead: branchHeads.get(task.id) ?? null,
      worktree: worktrees.get(task.id) ?? 'missing',
    })),
    running: store
      .attempts(milestone)
      .filter((attempt) => attempt.state === 'running' || attempt.state === 'checking')
      .map((attempt) => ({
        task: attempt.task,
        attempt: attempt.attempt,
        agent: attempt.agent,
        pid: attempt.pid,
      })),
  }));
  return parseCheckpoint(row);
}
