import { KIND_WEIGHTS, type FileKind } from '../shared/file-kind.js';
import type { TaskState } from '../store/events.js';
import type { Frequency } from './analyze/types.js';

/** Lines added and deleted, per file kind. */
export type LinesByKind = Record<FileKind, { added: number; deleted: number }>;

/** One attempt of a task, as far as progress cares. Times are milliseconds since the epoch. */
export interface AttemptFacts {
  agent: string;
  startedMs: number;
  endedMs: number | null;
  outcome: 'succeeded' | 'failed' | 'interrupted' | 'running';
  /** The agent's work was committed and acceptance ran on it. */
  checked: boolean;
}

/** One task: its plan, its state and what git and the journal say it did. */
export interface TaskFacts {
  id: string;
  title: string;
  weight: number;
  dependsOn: string[];
  agent: string;
  state: TaskState;
  reason: string | null;
  attempts: AttemptFacts[];
  /** When the journal recorded its merge; null while not merged. */
  mergedMs: number | null;
  /** The latest `Progress: N%` marker on its branch (0–1), for a running task. */
  marker: number | null;
  /** Lines it changed: on the milestone branch once merged, on its own branch while running. */
  lines: LinesByKind | null;
}

/** A commit on the milestone branch (since it left base). */
export interface CommitFacts {
  /** Seconds since the epoch (committer time). */
  time: number;
  merge: boolean;
  task: string | null;
  agent: string | null;
}

/** Everything the progress figures are computed from; gathered by the engine, computed here. */
export interface ProgressInput {
  milestone: { id: string; title: string; branch: string; state: string; landed: boolean };
  nowMs: number;
  /** The concurrency of the latest run (1 when it never ran). */
  concurrency: number;
  tasks: TaskFacts[];
  commits: CommitFacts[];
  /** Line weights by file kind (docs/progress.md). */
  weights: Record<FileKind, number>;
}

export type DimensionName = 'task' | 'code' | 'git' | 'quality' | 'value';

/** One dimension: a figure in 0–1, or null when there is no data to say anything. */
export interface Dimension {
  value: number | null;
  inputs: Record<string, number | null>;
  explanation: string;
}

export interface Velocity {
  weighted_tasks_per_hour: number | null;
  commits_per_day: number | null;
  trend: 'accelerating' | 'steady' | 'slowing' | 'no data';
  /** Weighted tasks per hour in the first and second half of the elapsed time. */
  halves: [number, number] | null;
  explanation: string;
}

export interface Forecast {
  /** Seconds from now until every remaining task is merged, at the median and the 90th percentile. */
  p50_seconds: number | null;
  p90_seconds: number | null;
  p50_at: string | null;
  p90_at: string | null;
  trials: number;
  /** Observed task durations the simulation drew from. */
  samples: number;
  explanation: string;
}

export interface Bottlenecks {
  critical_path: string[];
  blocked: { task: string; reason: string | null }[];
  failing_profiles: { agent: string; failed: number; attempts: number }[];
  slow_tasks: { task: string; seconds: number; p90_seconds: number; running: boolean }[];
}

export interface Recommendation {
  rule: string;
  message: string;
  numbers: Record<string, number | string>;
}

export interface ProgressReport {
  milestone: ProgressInput['milestone'];
  at: string;
  overall: number | null;
  confidence: number;
  confidence_inputs: Record<string, number>;
  dimensions: Record<DimensionName, Dimension>;
  insights: {
    velocity: Velocity;
    forecast: Forecast;
    bottlenecks: Bottlenecks;
    recommendations: Recommendation[];
  };
  frequency: { milestone: Frequency; agents: Record<string, Frequency> };
}

export const DEFAULT_LINE_WEIGHTS: Record<FileKind, number> = { ...KIND_WEIGHTS };
