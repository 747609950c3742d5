import { readdirSync } from 'node:fs';
import { readTextIfAny } from '../shared/read-text.js';
import path from 'node:path';
import { realPathOrResolved } from '../shared/real-path.js';

/** A registration under `.git/worktrees/` and the worktree directory it names. */
export interface InterruptedRegistration {
  admin: string;
  dir: string;
}

/**
 * Registrations begun and never finished, for worktrees inside `under`: their `locked` file
 * still reads `initializing` (git and Cairn write it first and delete it once the checkout is
 * done). A process killed in between leaves one; git keeps it because it is locked, refuses a
 * new worktree at its path, and, when its `commondir` is half-written, fails every
 * `git worktree list`. Only the process that made one could finish it, so the caller must know
 * that no such process still runs (it holds the lease of the milestone whose folder `under` is).
 */
export function interruptedRegistrations(commonDir: string, under: string): InterruptedRegistration[] {
  const worktrees = path.join(commonDir, 'worktrees');
  const inside = `${realPathOrResolved(under)}${path.sep}`;
  let names: string[];
  try {
    names = readdirSync(worktrees);
  } catch {
    return [];
  }
  const found: InterruptedRegistration[] = [];
  for (const name of names) {
    const admin = path.join(worktrees, name);
    if (readTextIfAny(path.join(admin, 'locked'))?.trim() !== 'initializing') continue;
    const gitdir = readTextIfAny(path.join(admin, 'gitdir'))?.trim();
    if (!gitdir || path.basename(gitdir) !== '.git') continue;
    const dir = path.dirname(gitdir);
    if (dir.startsWith(inside)) found.push({ admin, dir });
  }
  return found.sort((a, b) => a.admin.localeCompare(b.admin));
}
