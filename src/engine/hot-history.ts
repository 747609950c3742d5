import { existsSync } from 'node:fs';
import type { RepoPaths } from '../git/repo.js';
import { tryGit } from '../git/git.js';
import { hotFiles, keptApartWithHistory, type ApartPair, type HotFile } from '../spec/index.js';
import type { TaskSpec } from '../spec/types.js';
import type { Store } from '../store/types.js';
import { stateDbFile } from './names.js';
import { openStore } from './open-store.js';

/** How far back the history is read for hot files. */
export const HOT_HISTORY_COMMITS = 1_000;

/** The files each of the latest non-merge commits of `base` changed, newest first. */
async function recentCommits(root: string, base: string): Promise<string[][]> {
  const result = await tryGit(root, [
    'log',
    '-z',
    '--no-merges',
    '--name-only',
    '--format=%x1e',
    `-n${HOT_HISTORY_COMMITS}`,
    base,
    '--',
  ]);
  // No such base yet, or an empty repository: no history, nothing is hot.
  if (result.code !== 0) return [];
  return result.stdout
    .split('\x1e')
    .slice(1)
    .map((chunk) =>
      chunk
        .split('\0')
        .map((file) => file.replace(/^\n/, ''))
        .filter(Boolean),
    );
}

const CONFLICT = /^merge conflict in (.+?)(?:; rebase onto .* failed too| even after rebasing)$/;

/** Files of merge conflicts that still block tasks, in any milestone of this repository. */
function conflictedFiles(store: Store): string[] {
  const files: string[] = [];
  for (const milestone of store.milestones()) {
    for (const task of store.tasks(milestone.id)) {
      const match = task.state === 'blocked' && task.reason ? CONFLICT.exec(task.reason) : null;
      if (match?.[1]) files.push(...match[1].split(', '));
    }
  }
  return files;
}

/** Hot files of the repository: from `base`'s recent history and the conflicts in the state. */
export async function readHotFiles(repo: RepoPaths, base: string, store?: Store): Promise<HotFile[]> {
  const commits = await recentCommits(repo.root, base);
  let conflicts: string[] = [];
  if (store) conflicts = conflictedFiles(store);
  else if (existsSync(stateDbFile(repo.stateDir))) {
    const opened = openStore(repo, { quickCheck: false });
    try {
      conflicts = conflictedFiles(opened);
    } finally {
      opened.close();
    }
  }
  return hotFiles(commits, conflicts);
}

/** The pairs of tasks kept apart: overlapping scopes, and tasks in the same hot directory. */
export async function tasksKeptApart(
  repo: RepoPaths,
  tasks: TaskSpec[],
  base: string,
  store?: Store,
): Promise<ApartPair[]> {
  return keptApartWithHistory(tasks, await readHotFiles(repo, base, store));
}
