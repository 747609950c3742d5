import type { TaskSpec } from '../spec/types.js';

/** Milliseconds an attempt spent in each phase it reached (for `cairn perf`). */
export interface AttemptPhases {
  setup?: number;
  agent?: number;
  commit?: number;
  acceptance?: number;
}

export type AttemptResult = (
  | { outcome: 'succeeded'; head: string }
  | { outcome: 'failed'; reason: string; exitCode: number | null; signal: string | null; head?: string }
  | { outcome: 'interrupted'; reason: string; head?: string }
  /** Not a fault, so not retried: the task waits for a person (a review rejected the work too often). */
  | { outcome: 'blocked'; reason: string; head?: string }
) & { phases?: AttemptPhases };

/**
 * How an attempt begins: `fresh` discards what an earlier failed attempt left uncommitted;
 * `keep` continues an interrupted one, committing its leftovers first; `check-only` skips the
 * agent because its work is already committed and only the acceptance checks are owed.
 */
export type AttemptStart = 'fresh' | 'keep' | 'check-only';

export type MergeResult =
  { kind: 'merged'; commit: string; head: string } | { kind: 'blocked'; reason: string; paths: string[] };

export interface AttemptHooks {
  /** The profile this attempt runs with (the task's own or a fallback). */
  agent: string;
  start: AttemptStart;
  /** Why the previous attempt of this task failed, for the next prompt. */
  previousFailure?: string;
  onPid: (pid: number) => void;
  /**
   * Aborts when this attempt must stop: the run is interrupted, or the task's agent raised a
   * blocker. Without it, the executor stops on the run's interruption only.
   */
  signal?: AbortSignal;
  /** The work is committed at `head`; journaled so a crash during the checks loses nothing. */
  onCommitted: (head: string) => void;
}

/**
 * What the run loop asks of whoever does the work. The git executor is the real one; the
 * scheduler benchmark plugs in a no-op to measure the loop and the journal alone.
 */
export interface TaskExecutor {
  /** One attempt: prepare, run the agent, commit, check. Never throws for agent failures. */
  attempt(task: TaskSpec, attempt: number, hooks: AttemptHooks): Promise<AttemptResult>;
  /** Merges a checked task head into the milestone branch; called one at a time. */
  merge(task: TaskSpec, head: string): Promise<MergeResult>;
  /** Resolves when background work (worktree removals) is done; the run waits for it. */
  settle?(): Promise<void>;
  /** Paths of the attempt's log, for the journal. */
  logFile(task: TaskSpec, attempt: number): string;
}
