import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { git, tryGit } from './git.js';

/** Creates (or re-creates) a worktree at `dir` on `branch`, creating the branch at `start` if needed. */
export async function addWorktree(
  repo: string,
  dir: string,
  branch: string,
  start: string | undefined,
): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const args = start
    ? ['worktree', 'add', '--quiet', '-b', branch, dir, start]
    : ['worktree', 'add', '--quiet', dir, branch];
  const first = await tryGit(repo, args);
  if (first.code === 0) return;
  // A worktree left by a killed run, or a directory without its registration: clear and try once more.
  await removeWorktree(repo, dir);
  await git(repo, args);
}

/**
 * Opens a worktree for a task branch: a new branch at `startIfNew`, or, when the branch is
 * already there from an earlier attempt, the branch as it stands. Returns the start commit.
 */
export async function openBranchWorktree(
  repo: string,
  dir: string,
  branch: string,
  startIfNew: string,
): Promise<string> {
  await mkdir(path.dirname(dir), { recursive: true });
  const fresh = await tryGit(repo, ['worktree', 'add', '--quiet', '-b', branch, dir, startIfNew]);
  if (fresh.code === 0) return startIfNew;
  await removeWorktree(repo, dir);
  const existing = await tryGit(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  if (existing.code !== 0) {
    await git(repo, ['worktree', 'add', '--quiet', '-b', branch, dir, startIfNew]);
    return startIfNew;
  }
  await git(repo, ['worktree', 'add', '--quiet', dir, branch]);
  return existing.stdout.trim();
}

/** Removes a worktree and its directory; never fails when it is already gone. */
export async function removeWorktree(repo: string, dir: string): Promise<void> {
  const result = await tryGit(repo, ['worktree', 'remove', '--force', '--force', dir]);
  if (result.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    await tryGit(repo, ['worktree', 'prune']);
  }
}

export interface WorktreeEntry {
  path: string;
  head: string | undefined;
  branch: string | undefined;
}

export async function listWorktrees(repo: string): Promise<WorktreeEntry[]> {
  const out = await git(repo, ['worktree', 'list', '--porcelain']);
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('worktree ')) {
      current = { path: line.slice('worktree '.length), head: undefined, branch: undefined };
      entries.push(current);
    } else if (current && line.startsWith('HEAD ')) {
      current.head = line.slice(5);
    } else if (current && line.startsWith('branch ')) {
      current.branch = line.slice('branch refs/heads/'.length);
    }
  }
  return entries;
}
