import { statSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../shared/process.js';

/**
 * Notices whether a running agent is doing anything: its log growing, or its worktree's files
 * changing. With a file monitor watching the worktree its last change is used directly;
 * without one the worktree is only looked at (one read-only `git status`) once the log has
 * been quiet for a while, so a chatty agent costs nothing.
 */
export interface ActivityProbe {
  /** Milliseconds since the last sign of life; `lookAfterMs` of quiet log triggers a worktree look. */
  idleFor(lookAfterMs: number): Promise<number>;
}

/** A file watcher on the worktree, as the stall detection sees it. */
export interface FileWatch {
  /** Whether the watcher runs now; while it does not, the worktree is read instead. */
  watching(): boolean;
  /** When a file last changed (performance.now()), undefined before the first change. */
  lastChangeAt(): number | undefined;
}

export function watchActivity(
  logFile: string,
  dir: string | undefined,
  options: { now?: () => number; fileWatch?: FileWatch | undefined } = {},
): ActivityProbe {
  const now = options.now ?? (() => performance.now());
  let last = now();
  let logSize = -1;
  let fingerprint: string | undefined;
  return {
    async idleFor(lookAfterMs) {
      const size = sizeOf(logFile);
      const changed = options.fileWatch?.lastChangeAt();
      if (changed !== undefined && changed > last) last = changed;
      if (size !== logSize) {
        logSize = size;
        last = now();
      } else if (dir && !options.fileWatch?.watching() && now() - last >= lookAfterMs) {
        const current = await worktreeFingerprint(dir);
        if (fingerprint !== undefined && current !== fingerprint) last = now();
        fingerprint = current;
      }
      return now() - last;
    },
  };
}

/** The worktree's changed paths with their modification times: it changes when files do. */
async function worktreeFingerprint(dir: string): Promise<string> {
  const result = await runProcess('git', ['status', '--porcelain', '-z', '--untracked-files=all'], {
    cwd: dir,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  }).catch(() => undefined);
  if (!result || result.code !== 0) return 'unreadable';
  const entries = result.stdout.split('\0').filter(Boolean);
  const times = entries.map((entry) => {
    const file = path.join(dir, entry.slice(3));
    return `${entry}@${mtimeOf(file)}`;
  });
  return times.join('\n');
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}
