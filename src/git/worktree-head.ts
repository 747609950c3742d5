import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { linkedGitDir } from './linked-gitdir.js';

/**
 * The branch and commit a linked worktree has checked out, read from git's files rather than
 * by starting git (a process per task adds up). Undefined when the layout is not the plain
 * one (packed refs, a broken `.git`): callers then ask git.
 */
export function readWorktreeHead(dir: string): { branch: string | undefined; head: string } | undefined {
  try {
    const gitdir = linkedGitDir(dir);
    if (!gitdir) return undefined;
    const head = readFileSync(path.join(gitdir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (refs\/heads\/.+)$/.exec(head)?.[1];
    if (!ref) return /^[0-9a-f]{40,64}$/.test(head) ? { branch: undefined, head } : undefined;
    const common = path.resolve(gitdir, readFileSync(path.join(gitdir, 'commondir'), 'utf8').trim());
    const loose = path.join(common, ref);
    if (!existsSync(loose)) return undefined;
    const commit = readFileSync(loose, 'utf8').trim();
    return /^[0-9a-f]{40,64}$/.test(commit)
      ? { branch: ref.slice('refs/heads/'.length), head: commit }
      : undefined;
  } catch {
    return undefined;
  }
}
