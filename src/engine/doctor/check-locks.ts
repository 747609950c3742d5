import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInside, readCwd, readEnviron, type ProcessTable } from './processes.js';
import { finding, type Finding } from './types.js';

/** Lock files a killed git leaves behind: per git dir (main and each worktree), and for refs. */
export function findGitLocks(commonDir: string): string[] {
  const gitDirs = [commonDir];
  const worktrees = path.join(commonDir, 'worktrees');
  if (existsSync(worktrees)) {
    for (const name of readdirSync(worktrees)) gitDirs.push(path.join(worktrees, name));
  }
  const locks = gitDirs.flatMap((dir) => ['index.lock', 'HEAD.lock'].map((name) => path.join(dir, name)));
  locks.push(path.join(commonDir, 'packed-refs.lock'));
  return [...locks.filter((file) => existsSync(file)), ...refLocks(path.join(commonDir, 'refs'))];
}

function refLocks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return refLocks(full);
    return entry.name.endsWith('.lock') ? [full] : [];
  });
}

/** Git processes working in any of `dirs` (by their cwd, or GIT_DIR/GIT_WORK_TREE). */
export function gitProcessesIn(table: ProcessTable, dirs: string[]): number[] {
  const inRepo = (dir: string | undefined) =>
    dir !== undefined && dirs.some((parent) => isInside(path.resolve(dir), parent));
  return table.list
    .filter((info) => info.comm === 'git' || info.comm.startsWith('git-'))
    .filter((info) => {
      if (inRepo(readCwd(info.pid))) return true;
      const env = readEnviron(info.pid);
      return inRepo(env?.get('GIT_DIR')) || inRepo(env?.get('GIT_WORK_TREE'));
    })
    .map((info) => info.pid);
}

function age(file: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - statSync(file).mtimeMs) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

/**
 * Git lock files: stale when no git process runs in the repository (git refuses to work while
 * one exists); possibly in use otherwise. `dirs` are the repository's working trees and git dirs.
 */
export function checkLocks(
  commonDir: string,
  dirs: string[],
  table: ProcessTable | undefined,
  now = Date.now(),
): Finding[] {
  const locks = findGitLocks(commonDir);
  if (locks.length === 0) return [finding('locks', 'ok', 'no git lock files')];
  const running = table ? gitProcessesIn(table, dirs) : undefined;
  return locks.map((file) => {
    const what = `${file} (${age(file, now)} old)`;
    if (!running) {
      return finding(
        'locks',
        'warn',
        `${what} exists; cannot tell whether git is running (no /proc)`,
        `If no git command is running, delete it: rm ${file}`,
      );
    }
    if (running.length > 0) {
      return finding(
        'locks',
        'warn',
        `${what} exists while git process(es) ${running.join(', ')} run in this repository`,
        'Probably in use: let them finish, then run `cairn doctor` again.',
      );
    }
    return finding(
      'locks',
      'error',
      `${what} was left by a git process that is no longer running; git refuses to work here until it is gone`,
      '`cairn doctor --repair` deletes it (after checking again that no git process runs in the repository).',
      { kind: 'remove-lock', file },
    );
  });
}
