import type { ScopedTask } from './overlap.js';
import { keptApart } from './overlap.js';

/** How hot a file must be: changed by at least this many of the recent commits, and this share. */
export const HOT_MIN_COMMITS = 5;
export const HOT_MIN_SHARE = 0.1;

/** A file many unrelated changes touch (a route table, a registry, an index), or one that conflicted. */
export interface HotFile {
  file: string;
  /** Recent commits that changed it, out of `of`. */
  commits: number;
  of: number;
  /** It was the subject of a merge conflict in an earlier run. */
  conflicted: boolean;
}

/**
 * Hot files from the recent history: each commit as the files it changed, and the files that
 * conflicted in earlier merges. Root files (package.json, a changelog) are left out: the
 * root is above every task, so a hot root would serialize the whole milestone.
 */
export function hotFiles(commits: readonly string[][], conflicted: readonly string[]): HotFile[] {
  const counts = new Map<string, number>();
  for (const files of commits)
    for (const file of new Set(files)) counts.set(file, (counts.get(file) ?? 0) + 1);
  const conflicts = new Set(conflicted);
  const hot: HotFile[] = [];
  const threshold = Math.max(HOT_MIN_COMMITS, Math.ceil(HOT_MIN_SHARE * commits.length));
  for (const file of new Set([...counts.keys(), ...conflicts])) {
    if (!file.includes('/')) continue;
    const n = counts.get(file) ?? 0;
    if (n >= threshold || conflicts.has(file)) {
      hot.push({ file, commits: n, of: commits.length, conflicted: conflicts.has(file) });
    }
  }
  return hot.sort((a, b) => b.commits - a.commits || a.file.localeCompare(b.file));
}

const dirOf = (file: string) => file.slice(0, file.lastIndexOf('/'));
const depth = (dir: string) => (dir === '' ? 0 : dir.split('/').length);

/** The literal folder or file a glob starts with (`src/api/**` → `src/api`). */
function literalPrefix(glob: string): string {
  const clean = glob.replace(/^(\.\/)+/, '');
  const at = clean.search(/[*?[{]/);
  const literal = at < 0 ? clean : clean.slice(0, at);
  return literal.replace(/\/+$/, '');
}

/**
 * Whether a task works right next to a hot directory: one of its globs starts in the directory
 * itself or one level below it (`src/api/users/**`, `src/api/orders.ts` for `src/api`): such
 * tasks tend to both edit the shared file there, though their scopes do not overlap.
 */
function worksIn(task: ScopedTask, dir: string): boolean {
  return task.files.some((glob) => {
    const prefix = literalPrefix(glob);
    const inside = prefix === dir || prefix.startsWith(`${dir}/`);
    return inside && depth(prefix) - depth(dir) <= 1;
  });
}

function describe(hot: HotFile): string {
  const why = hot.conflicted
    ? 'conflicted in an earlier merge'
    : `changed in ${hot.commits} of the last ${hot.of} commits`;
  return `both work next to ${hot.file} (${why}; hot directory ${dirOf(hot.file)})`;
}

export interface ApartPair {
  tasks: [string, string];
  why: string;
  /** `overlap`: their `files` overlap; `hot`: they work in the same hot directory. */
  kind: 'overlap' | 'hot';
}

/**
 * Pairs of tasks that may not run at the same time: scopes that overlap, then tasks working in
 * the same hot directory. Tasks without `files` and tasks with `overlap: allow` are never held back.
 */
export function keptApartWithHistory(tasks: readonly ScopedTask[], hot: readonly HotFile[]): ApartPair[] {
  const pairs: ApartPair[] = keptApart(tasks).map((pair) => ({ ...pair, kind: 'overlap' }));
  const taken = new Set(pairs.map((pair) => pair.tasks.join('\0')));
  const scoped = tasks.filter((t) => t.files.length > 0 && t.overlap !== 'allow');
  for (const file of hot) {
    const dir = dirOf(file.file);
    const near = scoped.filter((task) => worksIn(task, dir));
    for (let i = 0; i < near.length; i++) {
      for (let j = i + 1; j < near.length; j++) {
        const key = `${near[i]!.id}\0${near[j]!.id}`;
        if (taken.has(key)) continue;
        taken.add(key);
        pairs.push({ tasks: [near[i]!.id, near[j]!.id], why: describe(file), kind: 'hot' });
      }
    }
  }
  return pairs;
}
