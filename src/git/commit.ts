import { git } from './git.js';

/**
 * Commits everything in a worktree (tracked and untracked) and returns the new commit id.
 * The id is read from git's own summary line (full length via core.abbrev) to save a call.
 */
export async function commitAll(worktree: string, message: string, env?: NodeJS.ProcessEnv): Promise<string> {
  await git(worktree, ['add', '-A']);
  const out = await git(
    worktree,
    ['-c', 'core.abbrev=40', 'commit', '--no-verify', '--no-status', '-F', '-'],
    {
      input: message,
      ...(env ? { env } : {}),
    },
  );
  const id = /^\[[^\]]*?\b([0-9a-f]{40}|[0-9a-f]{64})\]/m.exec(out)?.[1];
  return id ?? git(worktree, ['rev-parse', 'HEAD']);
}
