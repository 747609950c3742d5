import type { MergePolicy } from './merge-policy.js';
import type { VectorClock } from './vector-clock.js';

/** Where keys live: the milestone, or one task of it. */
export interface ContextScope {
  milestone: string;
  task?: string;
}

/**
 * How a write landed. replaced: it descends from every current version; sibling: it is
 * concurrent with one (kept next to it); stale: its clock leaves out its own writer's latest
 * write (an old clock, replayed), also kept as a sibling.
 */
export type WriteOutcome = 'replaced' | 'sibling' | 'stale';

export interface ContextVersion {
  version: number;
  writer: string;
  clock: VectorClock;
  value: unknown;
  deleted: boolean;
  outcome: WriteOutcome;
  /** Still one of the key's current siblings. */
  current: boolean;
  writtenAt: number;
}

export interface ContextEntry {
  key: string;
  task: string | null;
  policy: MergePolicy;
  /** Number of writes so far: the key's latest version. */
  version: number;
  value: unknown;
  deleted: boolean;
  conflict: boolean;
  /** The join of the siblings' clocks: what a reader has seen. */
  clock: VectorClock;
  siblings: ContextVersion[];
  updatedAt: number;
}

export interface WriteOptions {
  writer: string;
  /** The causal context of the write; by default the clock of the writer's last read of the key. */
  clock?: VectorClock;
  /** Declares the key's policy on its first write; must match afterwards. */
  policy?: MergePolicy;
  deleted?: boolean;
  /** Refuse (instead of keeping as a sibling) a write that does not descend from every current version. */
  strict?: boolean;
}

export interface WriteResult {
  entry: ContextEntry;
  written: ContextVersion;
  outcome: WriteOutcome;
  /** Versions the write replaced. */
  superseded: number[];
}

/** How far readers of a key are behind its latest version. */
export interface Convergence {
  key: string;
  task: string | null;
  version: number;
  readers: number;
  onLatest: number;
  /** Age of the oldest write some reader has not seen; null when every reader is on the latest. */
  oldestUnseenMs: number | null;
}

/** The shared context. SQLite implements it (sqlite-context.ts); the seam is for PostgreSQL. */
export interface SharedContext {
  /** The key's current state; recorded as read by `reader` (for convergence and its next write). */
  get(scope: ContextScope, key: string, reader?: string): ContextEntry | undefined;
  set(scope: ContextScope, key: string, value: unknown, options: WriteOptions): WriteResult;
  list(scope: ContextScope): ContextEntry[];
  history(scope: ContextScope, key: string): ContextVersion[];
  /** Latest version of each key in the scope, cheap enough to poll. */
  versions(scope: ContextScope): Map<string, number>;
  convergence(milestone: string): Convergence[];
}
