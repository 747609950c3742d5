import { round } from './dimensions.js';
import type { Dimension, DimensionName, ProgressInput } from './types.js';

/**
 * How much each dimension counts in the overall figure (docs/progress.md). Quality says how well,
 * not how far: it is reported beside the overall figure and does not move it, so a finished
 * milestone reads 100% whatever its test share.
 */
export const BLEND: Record<DimensionName, number> = {
  task: 0.35,
  value: 0.25,
  code: 0.2,
  git: 0.2,
  quality: 0,
};

/** The dimensions that measure how far: their disagreement lowers the confidence. */
const DISTANCE: DimensionName[] = ['task', 'value', 'code', 'git'];

/** Pieces of evidence (finished attempts plus task commits) at which the data is no longer thin. */
export const EVIDENCE_FULL = 5;

/** The weighted mean of the dimensions that have data, re-normalised over those; null when none has. */
export function overallOf(dimensions: Record<DimensionName, Dimension>): number | null {
  let total = 0;
  let weight = 0;
  for (const [name, dimension] of Object.entries(dimensions) as [DimensionName, Dimension][]) {
    if (dimension.value === null || BLEND[name] === 0) continue;
    total += BLEND[name] * dimension.value;
    weight += BLEND[name];
  }
  return weight === 0 ? null : round(total / weight);
}

/**
 * Confidence in the overall figure, 0–1: the product of
 * - evidence: finished attempts and task commits, full at EVIDENCE_FULL;
 * - agreement: 1 − 2 × the standard deviation of the distance dimensions that have data;
 * - coverage: 0.5 + 0.5 × the share of the five dimensions that have data.
 */
export function confidenceOf(
  input: ProgressInput,
  dimensions: Record<DimensionName, Dimension>,
): { confidence: number; inputs: Record<string, number> } {
  const finished = input.tasks.flatMap((t) => t.attempts.filter((a) => a.outcome !== 'running')).length;
  const taskCommits = input.commits.filter((c) => !c.merge).length;
  const evidence = Math.min(1, (finished + taskCommits) / EVIDENCE_FULL);
  const values = DISTANCE.flatMap((name) =>
    dimensions[name].value === null ? [] : [dimensions[name].value!],
  );
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length));
  const agreement = values.length < 2 ? 1 : Math.max(0, 1 - 2 * sd);
  const withData = Object.values(dimensions).filter((d) => d.value !== null).length;
  const coverage = withData === 0 ? 0 : 0.5 + (0.5 * withData) / 5;
  return {
    confidence: round(evidence * agreement * coverage, 2),
    inputs: {
      evidence: round(evidence, 2),
      agreement: round(agreement, 2),
      coverage: round(coverage, 2),
      finished_attempts: finished,
      task_commits: taskCommits,
      dimensions_with_data: withData,
    },
  };
}
