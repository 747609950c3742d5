import { createRng, type Rng } from '../../shared/random.js';
import { round } from '../dimensions.js';
import type { Forecast, ProgressInput, TaskFacts } from '../types.js';
import { observedSeconds, quantile } from './durations.js';

/** Task-placements the simulation may make in total: trials shrink for big milestones. */
const BUDGET = 40_000;
const MAX_TRIALS = 1000;
const MIN_TRIALS = 100;
/** Merged tasks needed before durations say anything. */
export const MIN_SAMPLES = 2;

const remaining = (task: TaskFacts) => task.state !== 'done' && task.state !== 'skipped';
const running = (task: TaskFacts) => task.state === 'running' || task.state === 'merging';

/** A seed from the milestone id, so the same state gives the same forecast. */
function seedOf(id: string): number {
  let h = 0;
  for (const char of id) h = (Math.imul(h, 31) + char.charCodeAt(0)) >>> 0;
  return h;
}

/**
 * Monte Carlo over the remaining DAG: each trial draws every remaining task's duration from the
 * observed seconds per unit of weight (times its weight), schedules the tasks in dependency order on
 * `concurrency` slots (running tasks first, minus the time they have already run), and records when
 * the last one ends. P50 and P90 are taken over the trials.
 */
export function forecastOf(input: ProgressInput, rng: Rng = createRng(seedOf(input.milestone.id))): Forecast {
  const merged = input.tasks.filter((t) => t.state === 'done' && t.mergedMs !== null);
  const seconds = observedSeconds(merged);
  const perWeight = merged.flatMap((t, i) =>
    seconds[i] === undefined ? [] : [seconds[i]! / Math.max(t.weight, 0.001)],
  );
  const todo = input.tasks.filter(remaining);
  const empty = (explanation: string, p = null as number | null): Forecast => ({
    p50_seconds: p,
    p90_seconds: p,
    p50_at: p === null ? null : new Date(input.nowMs).toISOString(),
    p90_at: p === null ? null : new Date(input.nowMs).toISOString(),
    trials: 0,
    samples: perWeight.length,
    explanation,
  });
  if (todo.length === 0) return empty('nothing left to run', 0);
  if (perWeight.length < MIN_SAMPLES) {
    return empty(`no data: a forecast needs ${MIN_SAMPLES} merged tasks to draw durations from`);
  }
  const trials = Math.max(MIN_TRIALS, Math.min(MAX_TRIALS, Math.floor(BUDGET / todo.length)));
  const plan = planOf(todo, input);
  const ends: number[] = [];
  for (let trial = 0; trial < trials; trial++) ends.push(simulate(plan, perWeight, rng));
  const p50 = quantile(ends, 0.5)!;
  const p90 = quantile(ends, 0.9)!;
  const at = (s: number) => new Date(input.nowMs + s * 1000).toISOString();
  return {
    p50_seconds: Math.round(p50),
    p90_seconds: Math.round(p90),
    p50_at: at(p50),
    p90_at: at(p90),
    trials,
    samples: perWeight.length,
    explanation: `${trials} simulations of ${todo.length} remaining tasks on ${plan.slots} slots, drawing from ${perWeight.length} merged tasks (median ${round(quantile(seconds, 0.5)!, 1)} s each)`,
  };
}

interface Plan {
  slots: number;
  weight: number[];
  /** Seconds a running task has run already; -1 for a task not started. */
  elapsed: number[];
  /** Remaining dependencies per task, and who waits on each. */
  indegree: number[];
  dependents: number[][];
  /** Tasks in start order: running ones first (they hold their slots), then spec order. */
  order: number[];
}

function planOf(todo: TaskFacts[], input: ProgressInput): Plan {
  const index = new Map(todo.map((t, i) => [t.id, i]));
  const dependents: number[][] = todo.map(() => []);
  const indegree = todo.map((task, i) => {
    const deps = task.dependsOn.flatMap((d) => (index.has(d) ? [index.get(d)!] : []));
    for (const d of deps) dependents[d]!.push(i);
    return deps.length;
  });
  const elapsed = todo.map((task) => {
    const last = task.attempts[task.attempts.length - 1];
    return running(task) && last ? Math.max(0, (input.nowMs - last.startedMs) / 1000) : -1;
  });
  const slots = Math.max(input.concurrency, todo.filter(running).length, 1);
  const order = [...todo.keys()].sort((a, b) => Number(elapsed[b]! >= 0) - Number(elapsed[a]! >= 0) || a - b);
  return { slots, weight: todo.map((t) => t.weight), elapsed, indegree, dependents, order };
}

/** One trial: when the last remaining task ends, in seconds from now. */
function simulate(plan: Plan, perWeight: number[], rng: Rng): number {
  const n = plan.weight.length;
  const indegree = [...plan.indegree];
  const duration = (i: number) => {
    const drawn = perWeight[Math.floor(rng.next() * perWeight.length)]! * plan.weight[i]!;
    const ran = plan.elapsed[i]!;
    // A running task that already ran past its draw is given a tenth more of it.
    return ran < 0 ? drawn : Math.max(drawn - ran, drawn * 0.1);
  };
  const ready = plan.order.filter((i) => indegree[i] === 0);
  let head = 0;
  const busy: { end: number; task: number }[] = [];
  let now = 0;
  let last = 0;
  let done = 0;
  while (done < n) {
    while (busy.length < plan.slots && head < ready.length) {
      const task = ready[head++]!;
      busy.push({ end: now + duration(task), task });
    }
    if (busy.length === 0) break; // a cycle: validation forbids it, but never loop forever
    let first = 0;
    for (let i = 1; i < busy.length; i++) if (busy[i]!.end < busy[first]!.end) first = i;
    const { end, task } = busy.splice(first, 1)[0]!;
    now = end;
    last = Math.max(last, end);
    done++;
    for (const next of plan.dependents[task]!) if (--indegree[next]! === 0) ready.push(next);
  }
  return last;
}
