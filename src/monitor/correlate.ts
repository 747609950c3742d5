import { matchesAnyGlob } from '../spec/index.js';
import { classifyFile, type FileKind } from '../shared/file-kind.js';

/** How much a changed file says about progress, by kind (DESIGN.md, "Coordination"). */
export const KIND_WEIGHTS: Readonly<Record<FileKind, number>> = {
  code: 1,
  test: 0.8,
  docs: 0.6,
  config: 0.4,
};

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

export const emptyByKind = (): Record<FileKind, number> => ({ code: 0, test: 0, docs: 0, config: 0 });

/** Correlates changed worktree paths (posix, relative to the worktree) to the task and its neighbours. */
export function correlate(paths: string[], own: ScopeOwner, others: ScopeOwner[]): Correlation {
  const distinct = [...new Set(paths)];
  const byKind = emptyByKind();
  let significance = 0;
  const outOfScope: string[] = [];
  const intruded = new Map<string, string[]>();
  for (const file of distinct) {
    const kind = classifyFile(file);
    byKind[kind]++;
    significance += KIND_WEIGHTS[kind];
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
    byKind,
    significance: Math.round(significance * 1000) / 1000,
    outOfScope,
    intrusions: [...intruded].map(([task, hit]) => ({ task, paths: hit })),
  };
}
