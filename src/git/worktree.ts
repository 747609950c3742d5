import { existsSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { discardDir } from '../shared/discard.js';
import { createMutex } from '../shared/mutex.js';
import { git, tryGit } from './git.js';
import { linkedGitDir } from './linked-gitdir.js';
import { clearStagedRegistrations, tryCreateBranchWorktree } from './worktree-create.js';
import { interruptedRegistrations, type InterruptedRegistration } from './worktree-interrupted.js';

// git's worktree registry (.git/worktrees) is not safe under concurrent add/remove: two at
// once can leave a half-written entry that breaks both. Cairn serializes them here.
const registry = createMutex();

/** Creates (or re-creates) a worktree at `dir` on `branch`, creating the branch at `start` if needed. */
export function addWorktree(
  repo: string,
  dir: string,
  branch: string,
  start: string | undefined,
): Promise<void> {
  const args = start
    ? ['worktree', 'add', '--quiet', '-b', branch, dir, start]
    : ['worktree', 'add', '--quiet', dir, branch];
  return registry(async () => {
    await mkdir(path.dirname(dir), { recursive: true });
    const first = await tryGit(repo, args);
    if (first.code === 0) return;
    // A worktree left by a killed run, or a directory without its registration: clear and try once more.
    await removeUnlocked(repo, dir);
    await git(repo, args);
  });
}

/** The commit a worktree has checked out, if it exists and is on `branch`. */
async function worktreeOnBranch(dir: string, branch: string): Promise<string | undefined> {
  if (!existsSync(dir)) return undefined;
  const probe = await tryGit(dir, ['rev-parse', '--symbolic-full-name', 'HEAD', 'HEAD']);
  const [ref, head] = probe.stdout.trim().split('\n');
  return probe.code === 0 && ref === `refs/heads/${branch}` ? head : undefined;
}

/**
 * Opens a worktree for a task branch: a new branch at `startIfNew`, or the branch as an earlier
 * attempt left it. With `keepExisting`, a worktree already on the branch is reused as it is,
 * uncommitted changes included. Returns the commit it starts from.
 */
export async function openBranchWorktree(
  repo: string,
  dir: string,
  branch: string,
  startIfNew: string,
  keepExisting = false,
): Promise<{ start: string; reused: boolean }> {
  const current = keepExisting ? await worktreeOnBranch(dir, branch) : undefined;
  if (current) {
    removeStaleIndexLock(dir);
    return { start: current, reused: true };
  }
  await mkdir(path.dirname(dir), { recursive: true });
  // The plain case: registered under the mutex, checked out beside other checkouts.
  if (await tryCreateBranchWorktree(repo, dir, branch, startIfNew, false, registry)) {
    return { start: startIfNew, reused: false };
  }
  return registry(async () => {
    // The branch of an earlier attempt (a resumed or retried task) is checked out as it is.
    const existing = await tryGit(repo, [
      'rev-parse',
      '--verify',
      '--quiet',
      `refs/heads/${branch}^{commit}`,
    ]);
    if (existing.code === 0) {
      const commit = existing.stdout.trim();
      if (await tryCreateBranchWorktree(repo, dir, branch, commit, true))
        return { start: commit, reused: false };
      if ((await tryGit(repo, ['worktree', 'add', '--quiet', dir, branch])).code !== 0) {
        // A leftover directory or registration of a killed run is in the way.
        await removeUnlocked(repo, dir);
        await git(repo, ['worktree', 'add', '--quiet', dir, branch]);
      }
      return { start: commit, reused: false };
    }
    const fresh = await tryGit(repo, ['worktree', 'add', '--quiet', '-b', branch, dir, startIfNew]);
    if (fresh.code === 0) return { start: startIfNew, reused: false };
    // Something was in the way; git may have made the branch before it gave up.
    await removeUnlocked(repo, dir);
    const made = await tryGit(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
    await git(repo, [
      'worktree',
      'add',
      '--quiet',
      ...(made.code === 0 ? [dir, branch] : ['-b', branch, dir, startIfNew]),
    ]);
    return { start: made.code === 0 ? made.stdout.trim() : startIfNew, reused: false };
  });
}

/**
 * A git killed mid-command (with the run that drove it) leaves `index.lock` behind, and every
 * later git command in that worktree fails. Nothing else uses a task's worktree between
 * attempts, so a lock found when an attempt opens it is stale.
 */
function removeStaleIndexLock(dir: string): void {
  const gitdir = linkedGitDir(dir);
  // Not a linked worktree: nothing of ours to clean.
  if (!gitdir) return;
  try {
    rmSync(path.join(gitdir, 'index.lock'), { force: true });
  } catch {
    // Not a file git made (a directory, no permission): git will say what is wrong.
  }
}

/** The admin directory (`.git/worktrees/<name>`) a linked worktree's `.git` file points at. */
function adminDirOf(dir: string): string | undefined {
  const admin = linkedGitDir(dir);
  return admin && path.basename(path.dirname(admin)) === 'worktrees' ? admin : undefined;
}

/**
 * Deletes a registration and its checkout. Registration first: a run killed in between leaves
 * a plain directory, never a registered worktree without its checkout.
 */
async function dropRegistration(admin: string, dir: string): Promise<void> {
  // A few small files: at once, not through the thread pool, while the registry is held.
  rmSync(admin, { recursive: true, force: true });
  await discardDir(dir);
}

async function removeUnlocked(repo: string, dir: string): Promise<void> {
  // What `git worktree remove --force` does, without a git process: delete the checkout and
  // its admin directory. Only for worktrees Cairn made (never locked); otherwise ask git.
  const admin = adminDirOf(dir);
  if (admin && !existsSync(path.join(admin, 'locked'))) {
    await dropRegistration(admin, dir);
    return;
  }
  const result = await tryGit(repo, ['worktree', 'remove', '--force', '--force', dir]);
  if (result.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    await tryGit(repo, ['worktree', 'prune']);
  }
}

/**
 * Deletes the registrations a killed process began and never finished for worktrees inside
 * `under` (see interruptedRegistrations), with what was checked out of them, and the staged
 * registrations of dead processes. Only for a folder no live process creates worktrees in.
 */
export function clearInterruptedRegistrations(
  repo: string,
  commonDir: string,
  under: string,
): Promise<InterruptedRegistration[]> {
  return registry(async () => {
    await clearStagedRegistrations(commonDir);
    const found = interruptedRegistrations(commonDir, under);
    for (const { admin, dir } of found) await dropRegistration(admin, dir);
    return found;
  });
}

/** Forgets registered worktrees whose directory is gone (what an interrupted removal leaves). */
export function pruneWorktrees(repo: string): Promise<void> {
  return registry(async () => {
    await tryGit(repo, ['worktree', 'prune']);
  });
}

/** Removes a worktree and its directory; never fails when it is already gone. */
export function removeWorktree(repo: string, dir: string): Promise<void> {
  return registry(() => removeUnlocked(repo, dir));
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
