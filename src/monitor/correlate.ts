import { matchesAnyGlob } from '../spec/index.js';
import { kindTally, type FileKind } from '../shared/file-kind.js';

/** A running task and the `files` globs it declared; no globs means no limit. */
export interface ScopeOwner {
  task: string;
  files: string[];
}

/** What one batch of changed paths means for the task whose worktree they are in. */
export interface Correlation {
  files: number;
  byKind: Record<FileKind, number>;
  /** Sum of the kind weights of the distinct changed paths: 3 code files weigh 3, 3 docs 1.8. */
  significance: number;
  /** Paths outside the task's own declared scope. */
  outOfScope: string[];
  /** Out-of-scope paths that fall in the scope of another running task, per task. */
  intrusions: { task: string; paths: string[] }[];
}

/** Correlates changed worktree paths (posix, relative to the worktree) to the task and its neighbours. */
export function correlate(paths: string[], own: ScopeOwner, others: ScopeOwner[]): Correlation {
  const distinct = [...new Set(paths)];
  const tally = kindTally();
  const outOfScope: string[] = [];
  const intruded = new Map<string, string[]>();
  for (const file of distinct) {
    tally.add(file);
    const inOwn = own.files.length > 0 && matchesAnyGlob(file, own.files);
    if (own.files.length > 0 && !inOwn) outOfScope.push(file);
    if (inOwn) continue;
    for (const other of others) {
      if (other.task === own.task || other.files.length === 0) continue;
      if (matchesAnyGlob(file, other.files))
        intruded.set(other.task, [...(intruded.get(other.task) ?? []), file]);
    }
  }
  return {
    files: distinct.length,
    byKind: tally.byKind,
    significance: tally.significance(),
    outOfScope,
    intrusions: [...intruded].map(([task, hit]) => ({ task, paths: hit })),
  };
}
