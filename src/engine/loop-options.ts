import type { TaskSpec } from '../spec/types.js';
import type { TaskState } from '../store/events.js';
import type { Store } from '../store/types.js';
import type { TaskExecutor } from './attempt-types.js';
import type { BackoffPolicy } from './backoff.js';
import type { BreakerPolicy } from './circuit-breaker.js';
import type { Clock } from '../shared/clock.js';
import type { SystemSample } from './health.js';
import type { ResumePoint } from './reconcile.js';
import type { RunReporter } from './reporter.js';
import type { TuneSettings } from './concurrency-tuner.js';

/** What runLoop (run-loop.ts) drives, and with which policies. */
export interface LoopOptions {
  milestone: string;
  run: string;
  tasks: TaskSpec[];
  store: Store;
  executor: TaskExecutor;
  concurrency: number;
  /** The task's profile, then its fallbacks in order. */
  agentsOf: (task: TaskSpec) => string[];
  /** A profile's `max_concurrency`: attempts it may run at once; undefined for no limit of its own. */
  limitOf?: (agent: string) => number | undefined;
  retriesOf: (task: TaskSpec, agent: string) => number;
  backoffOf: (task: TaskSpec, agent: string) => BackoffPolicy;
  breaker?: BreakerPolicy;
  clock?: Clock;
  random?: () => number;
  /** Samples the machine for health and resource pressure; without it, only failures degrade the run. */
  sampleSystem?: () => SystemSample;
  signal: AbortSignal;
  reporter: RunReporter;
  /** Where interrupted tasks pick up: the merge queue, the checks, or the agent with its work kept. */
  resume?: Map<string, ResumePoint>;
  /** Pairs of tasks whose `files` overlap: never running at the same time (conflict-aware scheduling). */
  keptApart?: [string, string][];
  /** Adjust the concurrency between bounds from CPU, memory and throughput (cairn run --auto-tune). */
  autoTune?: TuneSettings;
  /** The reason of a BLOCKER_ALERT raised for the task since `since` (epoch ms), if any. */
  blockerOf?: (task: string, since: number) => string | undefined;
  /** How often a running task's blockers are looked for (default blocker-watch.ts). */
  blockerPollMs?: number;
}

export interface LoopResult {
  states: Map<string, TaskState>;
  interrupted: boolean;
}
