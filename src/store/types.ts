import type { CairnEvent, MilestoneState, StoredEvent, TaskState } from './events.js';

export interface MilestoneRow {
  id: string;
  title: string;
  branch: string;
  base: string;
  spec_file: string;
  state: MilestoneState;
  /** The base commit the milestone branch was created at: its history starts after it. */
  start_commit: string | null;
  landed_commit: string | null;
  updated_at: string;
}

export interface RunRow {
  id: string;
  milestone: string;
  pid: number;
  host: string;
  concurrency: number;
  state: string;
  /** Degradation level (full, standard, conservative, manual), once reported. */
  level: string | null;
  /** JSON: { score, warnings, reason }. */
  health: string | null;
  started_at: string;
  ended_at: string | null;
}

export interface TaskRow {
  milestone: string;
  id: string;
  title: string;
  state: TaskState;
  attempts: number;
  agent: string;
  branch: string | null;
  head_commit: string | null;
  merge_commit: string | null;
  reason: string | null;
  /** The failed dependency a blocked task waits on, if that is why it is blocked. */
  blocked_by: string | null;
  /** How the next attempt starts, when a person requeued the task. */
  resume: 'fresh' | 'check-only' | null;
  /** Hash of the definition the task's state belongs to (prompt, files, acceptance, dependencies). */
  definition: string | null;
  /** A merge of this task that no longer counts, because the task was requeued after it. */
  superseded: string | null;
  updated_at: string;
}

/** Where each task stands, and no more: what the run loop starts from. */
export type TaskStateRow = Pick<TaskRow, 'id' | 'state' | 'attempts' | 'agent'>;

export interface AttemptRow {
  milestone: string;
  task: string;
  attempt: number;
  run: string;
  agent: string;
  state: string;
  pid: number | null;
  log_file: string;
  /** The commit the attempt produced, once its work is committed. */
  head: string | null;
  exit_code: number | null;
  signal: string | null;
  reason: string | null;
  started_at: string;
  ended_at: string | null;
  /** JSON of the latest `task.activity` of the attempt (see AttemptActivity), null before any. */
  activity: string | null;
}

/** An attempt's `activity` column, parsed. */
export interface AttemptActivity {
  files: number;
  byKind: Record<string, number>;
  significance: number;
  lines: Record<string, { added: number; deleted: number }> | null;
  /** Paths written outside the task's scope, so far. */
  outOfScope: number;
}

/** A checkpoint as stored: `content` is JSON (see engine/checkpoints/types.ts). */
export interface CheckpointRow {
  id: number;
  milestone: string;
  /** The last event of the milestone it covers. */
  seq: number;
  reason: string;
  created_at: string;
  content: string;
}

export interface LeaseOwner {
  run: string;
  pid: number;
  host: string;
  /** The owner process's start time, so a reused pid is not mistaken for the owner. */
  started?: string | null;
}

export type LeaseResult =
  { acquired: true; takenOverFrom?: LeaseOwner & { why: string } } | { acquired: false; holder: LeaseOwner };

/**
 * The journal and its projections. SQLite implements it today; the seam is here so a
 * PostgreSQL store can replace it without the engine noticing.
 */
export interface Store {
  /** Journals events and updates projections, all in one transaction. */
  append(events: CairnEvent | CairnEvent[]): void;
  milestone(id: string): MilestoneRow | undefined;
  milestones(): MilestoneRow[];
  /** The most recent run of a milestone. */
  latestRun(milestone: string): RunRow | undefined;
  tasks(milestone: string): TaskRow[];
  /** The tasks' states alone, in spec order: several times cheaper to read than `tasks`. */
  taskStates(milestone: string): TaskStateRow[];
  attempts(milestone: string): AttemptRow[];
  events(milestone: string): StoredEvent[];
  /** The milestone's events of the given types, oldest first (`last`: only the newest one). */
  eventsOfType(milestone: string, types: CairnEvent['type'][], options?: { last?: boolean }): StoredEvent[];
  acquireLease(milestone: string, owner: LeaseOwner, ttlMs: number): LeaseResult;
  renewLease(milestone: string, run: string, ttlMs: number): boolean;
  releaseLease(milestone: string, run: string): void;
  /** Records a checkpoint covering the milestone's events so far; `content` is built in its transaction. */
  addCheckpoint(milestone: string, reason: string, content: () => unknown): CheckpointRow;
  /** The milestone's kept checkpoints, oldest first. */
  checkpoints(milestone: string): CheckpointRow[];
  /** Differences between the projections and a replay of the journal (empty when they agree). */
  projectionDiff(): string[];
  /** Rebuilds the projections from the journal in one transaction; returns the events replayed. */
  rebuildProjections(): number;
  close(): void;
}
