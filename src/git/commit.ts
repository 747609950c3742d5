import { git } from './git.js';
import type { FileChange } from './status.js';

/**
 * Commits everything in a worktree (tracked and untracked) and returns the new commit id.
 * The id is read from git's own summary line (full length via core.abbrev) to save a call.
 */
export async function commitAll(worktree: string, message: string, env?: NodeJS.ProcessEnv): Promise<string> {
  await git(worktree, ['add', '-A']);
  return commitStaged(worktree, message, env);
}

/** Stages everything and says what: `git add -A -v` names each path it adds or removes. */
export async function stageAll(worktree: string): Promise<FileChange[]> {
  const out = await git(worktree, ['add', '-A', '-v']);
  const changes: FileChange[] = [];
  for (const line of out.split('\n')) {
    const match = /^(add|remove) '(.*)'$/.exec(line);
    if (match?.[2] !== undefined)
      changes.push({ path: match[2], kind: match[1] === 'remove' ? 'deleted' : 'changed' });
  }
  return changes;
}

/**
 * Commits what is staged and returns the new commit id. Automatic maintenance is left to the
 * user's own git commands: a run makes hundreds of commits, each would start a maintenance check.
 */
export async function commitStaged(
  worktree: string,
  message: string,
  env?: NodeJS.ProcessEnv,
  options: { allowEmpty?: boolean } = {},
): Promise<string> {
  const out = await git(
    worktree,
    [
      '-c',
      'core.abbrev=40',
      '-c',
      'maintenance.auto=false',
      'commit',
      '--no-verify',
      '--no-status',
      ...(options.allowEmpty ? ['--allow-empty'] : []),
      '-F',
      '-',
    ],
    {
      input: message,
      ...(env ? { env } : {}),
    },
  );
  const id = /^\[[^\]]*?\b([0-9a-f]{40}|[0-9a-f]{64})\]/m.exec(out)?.[1];
  return id ?? git(worktree, ['rev-parse', 'HEAD']);
}
