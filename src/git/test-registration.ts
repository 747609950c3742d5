import { mkdirSync, writeFileSync } from 'node:fs';

/**
 * For tests: what a process killed while it registered the linked worktree `worktree` leaves
 * behind: the admin directory `admin` still `locked` as `initializing`, its `commondir` empty
 * (which makes `git worktree list` fail), and the worktree's `.git` pointing at it.
 */
export function leaveUnfinishedRegistration(admin: string, worktree: string): void {
  mkdirSync(admin, { recursive: true });
  mkdirSync(worktree, { recursive: true });
  writeFileSync(`${admin}/locked`, 'initializing\n');
  writeFileSync(`${admin}/gitdir`, `${worktree}/.git\n`);
  writeFileSync(`${admin}/commondir`, '');
  writeFileSync(`${worktree}/.git`, `gitdir: ${admin}\n`);
}
