import { git, tryGit, GitError } from './git.js';
import { casUpdateBranch } from './refs.js';

export type MergeOutcome =
  | { kind: 'merged'; commit: string; previous: string }
  | { kind: 'conflict'; paths: string[] }
  | { kind: 'moved'; head: string };

/** Computes the merged tree of two commits without touching any working tree. */
export async function mergeTrees(
  repo: string,
  ours: string,
  theirs: string,
): Promise<{ tree: string } | { conflicts: string[] }> {
  const args = ['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs];
  const result = await tryGit(repo, args);
  const lines = result.stdout.split('\n').filter((line) => line !== '');
  if (result.code === 0) return { tree: lines[0] ?? '' };
  if (result.code === 1) return { conflicts: [...new Set(lines.slice(1))] };
  throw new GitError(args, result, repo);
}

/** Writes a commit object for `tree` with `parents` and returns its id. */
export function commitTree(
  repo: string,
  tree: string,
  parents: string[],
  message: string,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent]), '-F', '-'];
  return git(repo, args, { input: message, ...(env ? { env } : {}) });
}

/**
 * Merges `source` into `branch` (at `head`) with a real two-parent merge commit, never a
 * fast-forward, and moves the branch by compare-and-swap.
 */
export async function mergeIntoBranch(options: {
  repo: string;
  branch: string;
  head: string;
  source: string;
  message: string;
  env?: NodeJS.ProcessEnv;
}): Promise<MergeOutcome> {
  const { repo, branch, head, source } = options;
  const merged = await mergeTrees(repo, head, source);
  if ('conflicts' in merged) return { kind: 'conflict', paths: merged.conflicts };
  const commit = await commitTree(repo, merged.tree, [head, source], options.message, options.env);
  const moved = await casUpdateBranch(
    repo,
    branch,
    commit,
    head,
    `cairn: ${options.message.split('\n')[0] ?? ''}`,
  );
  if (moved) return { kind: 'merged', commit, previous: head };
  const current = await git(repo, ['rev-parse', `refs/heads/${branch}`]);
  return { kind: 'moved', head: current };
}
