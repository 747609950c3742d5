import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { git } from './git.js';

/**
 * The tree of everything in a worktree now (tracked, changed and untracked files, ignored ones
 * left out), written through a copy of the index so the worktree's own index and HEAD stay as
 * they are. Two snapshots compared say what changed in between, committed or not.
 */
export async function snapshotTree(worktree: string): Promise<string> {
  const index = await git(worktree, ['rev-parse', '--path-format=absolute', '--git-path', 'index']);
  const copy = `${index}.snapshot-${randomUUID()}`;
  // Starting from the real index lets git reuse its file stats instead of hashing every file.
  if (existsSync(index)) copyFileSync(index, copy);
  const env = { GIT_INDEX_FILE: copy };
  try {
    await git(worktree, ['add', '-A'], { env });
    return await git(worktree, ['write-tree'], { env });
  } finally {
    rmSync(copy, { force: true });
  }
}

/** Paths that differ between two trees (or commits). */
export async function changedPaths(worktree: string, from: string, to: string): Promise<string[]> {
  if (from === to) return [];
  const out = await git(worktree, ['diff', '--name-only', '--no-renames', '-z', from, to]);
  return out.split('\0').filter((file) => file !== '');
}
