import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The admin directory (`.git/worktrees/<name>`) a linked worktree's `.git` file points at,
 * resolved; undefined when `dir` has no such file (a main worktree, or no worktree at all).
 */
export function linkedGitDir(dir: string): string | undefined {
  try {
    const pointer = /^gitdir: (.*)$/m.exec(readFileSync(path.join(dir, '.git'), 'utf8'))?.[1]?.trim();
    return pointer ? path.resolve(dir, pointer) : undefined;
  } catch {
    return undefined;
  }
}
