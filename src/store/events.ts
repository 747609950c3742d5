import type { FileKind } from '../shared/file-kind.js';

/** Task lifecycle states, in the order a task normally moves through them. */
export type TaskState =
  'pending' | 'ready' | 'running' | 'merging' | 'done' | 'failed' | 'blocked' | 'skipped';

export type MilestoneState = 'planned' | 'running' | 'interrupted' | 'done' | 'failed' | 'landed';

/** `blocked`: the attempt ended without a fault but cannot go on (a review rejected its work too often). */
export type AttemptOutcome = 'succeeded' | 'failed' | 'interrupted' | 'blocked';

/** How one phase of a multi-phase task ended; `approved` and `rejected` are review verdicts. */
export type PhaseOutcome = 'completed' | 'approved' | 'rejected' | 'failed' | 'interrupted';

/** Every journaled state change. One event (or one batch) is one SQLite transaction. */
export type CairnEvent =
  | {
      type: 'milestone.planned';
      milestone: string;
      title: string;
      branch: string;
      base: string;
      specFile: string;
      /** `definition`: a hash of what the task asks for, to notice edits after it was done. */
      tasks: {
        id: string;
        title: string;
        agent: string;
        definition?: string;
        /** For progress: the task's value and its dependencies (absent in journals of older versions). */
        weight?: number;
        dependsOn?: string[];
      }[];
    }
  | { type: 'milestone.branched'; milestone: string; branch: string; start: string }
  | { type: 'run.started'; milestone: string; run: string; pid: number; host: string; concurrency: number }
  | { type: 'run.ended'; milestone: string; run: string; state: MilestoneState }
  /** `--auto-tune` changed the run's concurrency; `why` gives the numbers. */
  | { type: 'run.tuned'; milestone: string; run: string; from: number; to: number; why: string }
  /** A ready task started on a fallback profile: its own was at its `max_concurrency` or its circuit open. */
  | {
      type: 'task.rebalanced';
      milestone: string;
      task: string;
      from: string;
      to: string;
      why: 'at-capacity' | 'circuit-open';
    }
  /** The run's degradation level or health changed; `reason` says why. */
  | {
      type: 'run.health';
      milestone: string;
      run: string;
      level: string;
      score: number;
      warnings: string[];
      reason?: string;
    }
  | {
      type: 'task.state';
      milestone: string;
      task: string;
      state: TaskState;
      reason?: string;
      branch?: string;
      /** For `blocked`: the dependency that failed, when that is why. */
      blockedBy?: string;
    }
  /** A person asked for a failed or blocked task to run again (`cairn retry`, `cairn unblock`). */
  | {
      type: 'task.requeued';
      milestone: string;
      task: string;
      start: 'fresh' | 'check-only';
      reason: string;
      /** For a done task run again: its merge, which no longer counts as the task's. */
      supersedes?: string;
    }
  | {
      type: 'attempt.started';
      milestone: string;
      task: string;
      run: string;
      attempt: number;
      agent: string;
      logFile: string;
      /** Milliseconds since the task became ready (or since its previous attempt ended). */
      queuedMs?: number;
    }
  | { type: 'attempt.pid'; milestone: string; task: string; attempt: number; pid: number }
  /** The agent's work is committed at `head`; acceptance runs next. */
  | { type: 'attempt.checking'; milestone: string; task: string; attempt: number; head: string }
  | {
      type: 'attempt.ended';
      milestone: string;
      task: string;
      attempt: number;
      outcome: AttemptOutcome;
      exitCode: number | null;
      signal: string | null;
      reason?: string;
      head?: string;
      /** Milliseconds in each phase the attempt reached: setup, agent, commit, acceptance. */
      phases?: Record<string, number>;
    }
  /** A phase of a multi-phase task started its agent; `round` counts its runs in the attempt. */
  | {
      type: 'phase.started';
      milestone: string;
      task: string;
      attempt: number;
      phase: string;
      agent: string;
      round: number;
    }
  | {
      type: 'phase.ended';
      milestone: string;
      task: string;
      attempt: number;
      phase: string;
      agent: string;
      round: number;
      outcome: PhaseOutcome;
      /** The review text of a verdict, or why the phase failed. */
      reason?: string;
      /** Paths the phase changed in the worktree (at most 50). */
      files?: string[];
    }
  | {
      type: 'task.merged';
      milestone: string;
      task: string;
      commit: string;
      head: string;
      /** Milliseconds waiting for the merge queue, then merging (with any rebase and re-check). */
      mergeWaitMs?: number;
      mergeMs?: number;
    }
  | { type: 'milestone.landed'; milestone: string; commit: string }
  /** `cairn land --pr` opened a pull request instead of merging locally. */
  | { type: 'milestone.pr'; milestone: string; url: string; branch: string; head: string }
  /** Someone committed by hand on a task branch (journaled by Cairn's post-commit hook). */
  | {
      type: 'commit.recorded';
      milestone: string;
      task: string | null;
      commit: string;
      branch: string;
      source: 'hook';
    }
  /**
   * What the file monitor saw in a running attempt's worktree so far (files, kinds, significance and
   * live lines are totals for the attempt); `outOfScope` and `intrusions` are only the new ones.
   */
  | {
      type: 'task.activity';
      milestone: string;
      task: string;
      attempt: number;
      files: number;
      byKind: Record<FileKind, number>;
      significance: number;
      /** Lines changed in the worktree against the attempt's start, committed or not. */
      lines?: Record<FileKind, { added: number; deleted: number }>;
      outOfScope?: string[];
      /** Out-of-scope writes that fall in another running task's scope: that task is warned. */
      intrusions?: { task: string; paths: string[] }[];
    }
  /** The milestone's progress changed: overall figure, confidence and each dimension (null = no data). */
  | {
      type: 'progress.snapshot';
      milestone: string;
      overall: number | null;
      confidence: number;
      dimensions: Record<string, number | null>;
    };

export type EventType = CairnEvent['type'];

/** An event as stored: with its sequence number and time. */
export type StoredEvent = CairnEvent & { seq: number; at: string };
