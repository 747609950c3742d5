import { round } from '../dimensions.js';
import type { ProgressInput, Velocity } from '../types.js';

/** Completions needed before a trend means anything. */
export const TREND_MIN_COMPLETIONS = 4;
/** Second-half velocity over first-half velocity above this is accelerating, below SLOWING is slowing. */
export const ACCELERATING = 1.25;
export const SLOWING = 0.8;

const HOUR_MS = 3_600_000;

/**
 * Weighted tasks merged per hour and task commits per day, over the time since the first attempt
 * (until now, or the last merge once nothing is left running). The trend compares the two halves of
 * that time.
 */
export function velocityOf(input: ProgressInput): Velocity {
  const starts = input.tasks.flatMap((t) => t.attempts.map((a) => a.startedMs));
  const merged = input.tasks.filter((t) => t.mergedMs !== null && t.state === 'done');
  if (starts.length === 0 || merged.length === 0) {
    return {
      weighted_tasks_per_hour: null,
      commits_per_day: null,
      trend: 'no data',
      halves: null,
      explanation: 'no data: no task merged yet',
    };
  }
  const from = Math.min(...starts);
  const active = input.tasks.some(
    (t) => t.state === 'running' || t.state === 'merging' || t.state === 'ready',
  );
  const lastMerge = Math.max(...merged.map((t) => t.mergedMs!));
  const until = Math.max(from + 1000, active ? input.nowMs : lastMerge);
  const hours = (until - from) / HOUR_MS;
  const weight = merged.reduce((a, t) => a + t.weight, 0);
  const commits = input.commits.filter((c) => !c.merge).length;
  const perHour = weight / hours;
  const middle = from + (until - from) / 2;
  const firstHalf = merged.filter((t) => t.mergedMs! <= middle).reduce((a, t) => a + t.weight, 0);
  const halves: [number, number] = [
    round(firstHalf / (hours / 2), 2),
    round((weight - firstHalf) / (hours / 2), 2),
  ];
  let trend: Velocity['trend'] = 'no data';
  if (merged.length >= TREND_MIN_COMPLETIONS) {
    const ratio = halves[0] === 0 ? Infinity : halves[1] / halves[0];
    trend = ratio > ACCELERATING ? 'accelerating' : ratio < SLOWING ? 'slowing' : 'steady';
  }
  return {
    weighted_tasks_per_hour: round(perHour, 2),
    commits_per_day: round((commits / hours) * 24, 1),
    trend,
    halves,
    explanation:
      `${weight} weight merged in ${spanText(until - from)}; ` +
      (trend === 'no data'
        ? `a trend needs ${TREND_MIN_COMPLETIONS} merged tasks`
        : `${halves[0]}/h in the first half, ${halves[1]}/h in the second: ${trend}`),
  };
}

function spanText(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${round(seconds / 3600, 1)} h`;
}
