import type { TaskFacts } from '../types.js';

/** Seconds from a task's first attempt to its merge; null while it is not merged. */
export function taskSeconds(task: TaskFacts): number | null {
  const first = task.attempts[0];
  if (!first || task.mergedMs === null) return null;
  return Math.max(0, (task.mergedMs - first.startedMs) / 1000);
}

/** Observed durations of merged tasks, in seconds. */
export function observedSeconds(tasks: TaskFacts[]): number[] {
  return tasks.flatMap((task) => {
    const seconds = taskSeconds(task);
    return seconds === null ? [] : [seconds];
  });
}

/** The q-quantile (0–1) of values by linear interpolation; null for no values. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}
