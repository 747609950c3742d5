import { criticalPath } from '../../spec/dag.js';
import { round } from '../dimensions.js';
import type { Bottlenecks, ProgressInput } from '../types.js';
import { observedSeconds, quantile } from './durations.js';

/** A profile is failing when at least this share of at least FAILING_MIN_ATTEMPTS finished attempts failed. */
export const FAILING_SHARE = 0.5;
export const FAILING_MIN_ATTEMPTS = 2;
/** Merged tasks needed before "slower than the p90" means anything. */
export const SLOW_MIN_SAMPLES = 5;
/** Slow tasks listed, slowest first (running ones before finished ones). */
export const SLOW_LISTED = 5;

/**
 * What holds the milestone up: the longest chain of unfinished tasks (by weight), blocked and failed
 * tasks, agent profiles whose attempts fail, and tasks slower than the 90th percentile of merged ones.
 */
export function bottlenecksOf(input: ProgressInput): Bottlenecks {
  const open = input.tasks.filter((t) => t.state !== 'done' && t.state !== 'skipped');
  const weights = new Map(open.map((t) => [t.id, t.weight]));
  const path = criticalPath(
    open.map((t) => ({ id: t.id, depends_on: t.dependsOn })),
    (id) => weights.get(id) ?? 1,
  );
  const blocked = input.tasks
    .filter((t) => t.state === 'blocked' || t.state === 'failed')
    .map((t) => ({ task: t.id, reason: t.reason }));

  const byAgent = new Map<string, { failed: number; attempts: number }>();
  for (const attempt of input.tasks.flatMap((t) => t.attempts)) {
    if (attempt.outcome === 'running' || attempt.outcome === 'interrupted') continue;
    const entry = byAgent.get(attempt.agent) ?? { failed: 0, attempts: 0 };
    entry.attempts++;
    if (attempt.outcome === 'failed') entry.failed++;
    byAgent.set(attempt.agent, entry);
  }
  const failing = [...byAgent]
    .filter(([, e]) => e.attempts >= FAILING_MIN_ATTEMPTS && e.failed / e.attempts >= FAILING_SHARE)
    .map(([agent, e]) => ({ agent, ...e }));

  const seconds = observedSeconds(input.tasks);
  const p90 = seconds.length >= SLOW_MIN_SAMPLES ? quantile(seconds, 0.9) : null;
  const slow: Bottlenecks['slow_tasks'] = [];
  if (p90 !== null) {
    for (const task of input.tasks) {
      const first = task.attempts[0];
      if (!first) continue;
      const isRunning = task.state === 'running' || task.state === 'merging';
      const end = task.mergedMs ?? (isRunning ? input.nowMs : null);
      if (end === null) continue;
      const took = (end - first.startedMs) / 1000;
      if (took > p90)
        slow.push({ task: task.id, seconds: round(took, 1), p90_seconds: round(p90, 1), running: isRunning });
    }
  }
  slow.sort((a, b) => Number(b.running) - Number(a.running) || b.seconds - a.seconds);
  return { critical_path: path, blocked, failing_profiles: failing, slow_tasks: slow.slice(0, SLOW_LISTED) };
}
