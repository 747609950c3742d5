import type { TaskState } from '../../store/events.js';

/** One cell of the task matrix. */
export interface WatchTask {
  id: string;
  title: string;
  state: TaskState;
  agent: string;
  attempts: number;
  reason: string | null;
}

/** An attempt running now: who runs what, for how long, and what it said last. */
export interface WatchAgent {
  task: string;
  agent: string;
  attempt: number;
  elapsedS: number;
  lastLine: string | null;
}

export interface WatchAlert {
  level: 'error' | 'warning';
  text: string;
}

export interface WatchInsights {
  /** Weighted tasks per hour, or null with no merges yet. */
  velocity: number | null;
  trend: 'accelerating' | 'steady' | 'slowing' | 'no data';
  p50Seconds: number | null;
  p90Seconds: number | null;
  bottleneck: string | null;
  recommendation: string | null;
}

export interface WatchEvent {
  seq: number;
  at: string;
  text: string;
}

/** Everything one frame of `cairn watch` shows; equal snapshots render the same frame. */
export interface WatchSnapshot {
  milestone: string;
  title: string;
  /** The journal does not know the milestone yet: no run has started it. */
  waiting: boolean;
  state: string;
  run: { id: string; state: string; live: boolean; level: string; score: number | null } | null;
  overall: number | null;
  confidence: number | null;
  tasks: WatchTask[];
  agents: WatchAgent[];
  alerts: WatchAlert[];
  insights: WatchInsights | null;
  timeline: WatchEvent[];
}

export type WatchAction = 'retry' | 'skip' | 'unblock';

/** Where the dashboard gets its data and sends its actions; tests give it a fake. */
export interface WatchSource {
  read(): Promise<WatchSnapshot>;
  /** The last `lines` lines of the task's latest attempt log (empty when it has none). */
  logTail(task: string, lines: number): Promise<string[]>;
  /** Journals the action; resolves to a one-line outcome, rejects with a readable error. */
  act(action: WatchAction, task: string): Promise<string>;
  close(): void;
}
