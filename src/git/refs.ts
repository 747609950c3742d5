import { git, tryGit } from './git.js';

/** The commit a ref or revision points at, or undefined when it does not exist. */
export async function resolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  const result = await tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/**
 * Moves a branch from `expected` to `next` only if it still points at `expected`
 * (compare-and-swap); returns false when someone else moved it first.
 */
export async function casUpdateBranch(
  cwd: string,
  branch: string,
  next: string,
  expected: string,
  reason: string,
): Promise<boolean> {
  const result = await tryGit(cwd, ['update-ref', '-m', reason, `refs/heads/${branch}`, next, expected]);
  return result.code === 0;
}

/** Creates a branch at `start` unless it exists; returns its head and whether it was created. */
export async function ensureBranch(
  cwd: string,
  branch: string,
  start: string,
): Promise<{ head: string; created: boolean }> {
  const existing = await resolveCommit(cwd, `refs/heads/${branch}`);
  if (existing) return { head: existing, created: false };
  const startCommit = await git(cwd, ['rev-parse', '--verify', `${start}^{commit}`]);
  // The all-zero old value makes creation itself a compare-and-swap.
  await git(cwd, [
    'update-ref',
    '-m',
    'cairn: create branch',
    `refs/heads/${branch}`,
    startCommit,
    '0'.repeat(40),
  ]);
  return { head: startCommit, created: true };
}

export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await tryGit(cwd, ['merge-base', '--is-ancestor', ancestor, descendant]);
  return result.code === 0;
}
