import type { FileKind } from '../shared/file-kind.js';
import type { Dimension, DimensionName, LinesByKind, ProgressInput, TaskFacts } from './types.js';

/** A task that counts toward the total: skipped tasks are out of the milestone's scope. */
const inScope = (task: TaskFacts) => task.state !== 'skipped';
const isRunning = (task: TaskFacts) => task.state === 'running' || task.state === 'merging';
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const pct = (value: number) => `${Math.round(value * 100)}%`;

const noData = (why: string, inputs: Dimension['inputs'] = {}): Dimension => ({
  value: null,
  inputs,
  explanation: `no data: ${why}`,
});

/** Changed lines weighted by file kind. */
export function weightedLines(lines: LinesByKind | null, weights: Record<FileKind, number>): number {
  if (!lines) return 0;
  let total = 0;
  for (const kind of Object.keys(weights) as FileKind[]) {
    total += weights[kind] * (lines[kind].added + lines[kind].deleted);
  }
  return total;
}

/** Done weight over total weight, with partial credit for running tasks from their Progress markers. */
export function taskDimension(tasks: TaskFacts[]): Dimension {
  const scoped = tasks.filter(inScope);
  const total = sum(scoped.map((t) => t.weight));
  const done = sum(scoped.filter((t) => t.state === 'done').map((t) => t.weight));
  const partial = sum(scoped.filter(isRunning).map((t) => t.weight * (t.marker ?? 0)));
  const inputs = { done_weight: done, partial_weight: round(partial), total_weight: total };
  if (total === 0) return noData('no task in scope', inputs);
  const value = (done + partial) / total;
  return {
    value: round(value),
    inputs,
    explanation: `${done} of ${total} weight done${partial > 0 ? `, ${round(partial, 2)} more from Progress markers of running tasks` : ''}`,
  };
}

/**
 * Weighted lines written so far against the lines the milestone is expected to need: each unfinished
 * task is expected to need what finished tasks needed per unit of weight; a running task's own lines
 * count up to that expectation.
 */
export function codeDimension(input: ProgressInput): Dimension {
  const scoped = input.tasks.filter(inScope);
  const done = scoped.filter((t) => t.state === 'done');
  const doneLines = sum(done.map((t) => weightedLines(t.lines, input.weights)));
  const doneWeight = sum(done.map((t) => t.weight));
  const inputs: Dimension['inputs'] = { done_lines: round(doneLines, 1), done_weight: doneWeight };
  if (doneWeight === 0 || doneLines === 0) {
    return noData('no finished task changed lines yet, so there is nothing to compare against', inputs);
  }
  const perWeight = doneLines / doneWeight;
  let expected = doneLines;
  let written = doneLines;
  for (const task of scoped) {
    if (task.state === 'done') continue;
    const need = perWeight * task.weight;
    expected += need;
    if (isRunning(task)) written += Math.min(need, weightedLines(task.lines, input.weights));
  }
  Object.assign(inputs, {
    lines_per_weight: round(perWeight, 1),
    written_lines: round(written, 1),
    expected_lines: round(expected, 1),
  });
  return {
    value: round(written / expected),
    inputs,
    explanation: `${Math.round(written)} of about ${Math.round(expected)} weighted lines (${round(perWeight, 1)} per unit of weight in finished tasks)`,
  };
}

/** Tasks whose merge is on the milestone branch (from the `Task:` trailers of its merges). */
export function gitDimension(input: ProgressInput): Dimension {
  const scoped = input.tasks.filter(inScope);
  const planned = new Set(scoped.map((t) => t.id));
  const merges = input.commits.filter((c) => c.merge);
  const merged = new Set(merges.flatMap((c) => (c.task && planned.has(c.task) ? [c.task] : [])));
  const commits = input.commits.length - merges.length;
  const inputs = { merged_tasks: merged.size, planned_tasks: scoped.length, commits, merges: merges.length };
  if (scoped.length === 0) return noData('no task in scope', inputs);
  if (input.commits.length === 0) return noData('no commit on the milestone branch yet', inputs);
  return {
    value: round(merged.size / scoped.length),
    inputs,
    explanation: `${merged.size} of ${scoped.length} tasks merged on ${input.milestone.branch} (${commits} task commits)`,
  };
}

/** Share of test lines at which the test component is full marks. */
export const TEST_SHARE_TARGET = 0.25;

/** Mean of: acceptance pass rate, integration pass rate, and test-file share against its target. */
export function qualityDimension(input: ProgressInput): Dimension {
  const checked = input.tasks.flatMap((t) => t.attempts.filter((a) => a.checked && a.outcome !== 'running'));
  const passed = checked.filter((a) => a.outcome === 'succeeded').length;
  const allLines = sum(input.tasks.map((t) => weightedLines(t.lines, input.weights)));
  const testLines = sum(
    input.tasks.map((t) => (t.lines ? input.weights.test * (t.lines.test.added + t.lines.test.deleted) : 0)),
  );
  const parts: number[] = [];
  const acceptance = checked.length > 0 ? passed / checked.length : null;
  if (acceptance !== null) parts.push(acceptance);
  const integration = input.milestone.landed ? 1 : null;
  if (integration !== null) parts.push(integration);
  const testShare = allLines > 0 ? testLines / allLines : null;
  if (testShare !== null) parts.push(Math.min(1, testShare / TEST_SHARE_TARGET));
  const inputs = {
    acceptance_passed: passed,
    acceptance_runs: checked.length,
    integration_pass_rate: integration,
    test_share: testShare === null ? null : round(testShare),
  };
  if (parts.length === 0) return noData('no acceptance run and no changed lines yet', inputs);
  const words = [
    acceptance === null ? null : `acceptance ${passed}/${checked.length} passed`,
    integration === null ? null : 'integration passed at land',
    testShare === null
      ? null
      : `${pct(testShare)} of changed lines in tests (target ${pct(TEST_SHARE_TARGET)})`,
  ].filter(Boolean);
  return { value: round(sum(parts) / parts.length), inputs, explanation: words.join(', ') };
}

/** Weight of what is merged over the total weight: value delivered, no partial credit. */
export function valueDimension(tasks: TaskFacts[]): Dimension {
  const scoped = tasks.filter(inScope);
  const total = sum(scoped.map((t) => t.weight));
  const merged = sum(scoped.filter((t) => t.state === 'done' && t.mergedMs !== null).map((t) => t.weight));
  const inputs = { merged_weight: merged, total_weight: total };
  if (total === 0) return noData('no task in scope', inputs);
  return { value: round(merged / total), inputs, explanation: `${merged} of ${total} weight merged` };
}

export function allDimensions(input: ProgressInput): Record<DimensionName, Dimension> {
  const started = input.tasks.some((t) => t.attempts.length > 0 || t.state === 'done');
  if (!started) {
    const none = noData('the milestone has not run yet');
    return { task: none, code: none, git: none, quality: none, value: none };
  }
  return {
    task: taskDimension(input.tasks),
    code: codeDimension(input),
    git: gitDimension(input),
    quality: qualityDimension(input),
    value: valueDimension(input.tasks),
  };
}
