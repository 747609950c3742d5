import type { FileKind } from '../../shared/file-kind.js';

/** File kinds in the order their figures sit in `CommitRecord.stats`. */
export const KINDS: readonly FileKind[] = ['code', 'test', 'docs', 'config'];

/** Where a commit's type came from: its Conventional Commits subject, a heuristic, or its parents. */
export type TypeSource = 'conventional' | 'heuristic' | 'merge';

/**
 * One commit, reduced to what the analysis needs (and what the cache stores): no subject, no paths.
 * `stats` holds files, added and deleted lines per kind: `[codeFiles, codeAdded, codeDeleted, testFiles, …]`.
 */
export interface CommitRecord {
  hash: string;
  parents: number;
  author: string;
  email: string;
  /** Seconds since the epoch. */
  authorTime: number;
  commitTime: number;
  type: string;
  source: TypeSource;
  agent: string | null;
  milestone: string | null;
  task: string | null;
  stats: number[];
  /** Changed files git reports as binary (`-\t-` in numstat): counted as files, not lines. */
  binary: number;
}

export type GroupBy = 'type' | 'kind' | 'author' | 'agent' | 'milestone';

export const GROUP_BYS: readonly GroupBy[] = ['type', 'kind', 'author', 'agent', 'milestone'];

export type FrequencyPattern = 'steady' | 'burst' | 'sparse';

export interface Frequency {
  pattern: FrequencyPattern;
  commits: number;
  span_hours: number;
  mean_gap_hours: number | null;
  median_gap_hours: number | null;
  /** Coefficient of variation of the gaps; null with fewer than two gaps or all gaps zero. */
  cv: number | null;
}

export interface KindFigures {
  files: number;
  added: number;
  deleted: number;
}

export interface Group {
  key: string;
  commits: number;
  merges: number;
  files: number;
  added: number;
  deleted: number;
  first: string | null;
  last: string | null;
  frequency: Frequency;
  /** Distinct `Task:` values (milestone grouping only). */
  tasks?: number;
}

/** The result of `cairn analyze`, as `--json` prints it (documented in docs/progress.md). */
export interface Analysis {
  range: string;
  since: string | null;
  by: GroupBy;
  shallow: boolean;
  note: string | null;
  commits: number;
  merges: number;
  authors: number;
  first: string | null;
  last: string | null;
  churn: { files: number; added: number; deleted: number; binary: number };
  types: Record<string, number>;
  classified: Record<TypeSource, number>;
  kinds: Record<FileKind, KindFigures>;
  frequency: Frequency & { clock_skew: number };
  groups: Group[];
  cache: { enabled: boolean; hits: number; parsed: number; rebuilt: boolean };
}
