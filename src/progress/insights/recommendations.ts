import type { Bottlenecks, Forecast, ProgressInput, Recommendation, Velocity } from '../types.js';
import type { Dimension, DimensionName } from '../types.js';
import { TEST_SHARE_TARGET } from '../dimensions.js';

/** Below this share of test lines, with at least LOW_TESTS_MIN_DONE tasks merged, tests are asked for. */
export const LOW_TEST_SHARE = 0.1;
export const LOW_TESTS_MIN_DONE = 3;

/** Advice, each from a named rule with the numbers that triggered it (docs/progress.md, "Insights"). */
export function recommendationsOf(
  input: ProgressInput,
  dimensions: Record<DimensionName, Dimension>,
  velocity: Velocity,
  forecast: Forecast,
  bottlenecks: Bottlenecks,
): Recommendation[] {
  const out: Recommendation[] = [];
  const id = input.milestone.id;
  for (const { task, reason } of bottlenecks.blocked) {
    out.push({
      rule: 'blocked-task',
      message: `${task} is stopped${reason ? ` (${reason})` : ''}: fix the cause, then \`cairn retry ${id} ${task}\` (or \`cairn unblock ${id} ${task}\` after resolving it on its branch, \`cairn skip ${id} ${task}\` to drop it)`,
      numbers: { task },
    });
  }
  for (const profile of bottlenecks.failing_profiles) {
    out.push({
      rule: 'failing-profile',
      message: `agent profile ${profile.agent} failed ${profile.failed} of ${profile.attempts} attempts: check its command and log, or give its tasks a fallback profile`,
      numbers: { agent: profile.agent, failed: profile.failed, attempts: profile.attempts },
    });
  }
  for (const slow of bottlenecks.slow_tasks.filter((s) => s.running)) {
    out.push({
      rule: 'slow-task',
      message: `${slow.task} has run ${Math.round(slow.seconds)} s, longer than 90% of merged tasks (${Math.round(slow.p90_seconds)} s): look at its log`,
      numbers: { task: slow.task, seconds: slow.seconds, p90_seconds: slow.p90_seconds },
    });
  }
  if (velocity.trend === 'slowing' && velocity.halves) {
    out.push({
      rule: 'slowing',
      message: `velocity fell from ${velocity.halves[0]} to ${velocity.halves[1]} weighted tasks per hour: look for failing profiles and slow tasks`,
      numbers: { first_half: velocity.halves[0], second_half: velocity.halves[1] },
    });
  }
  const ready = input.tasks.filter((t) => t.state === 'ready' || t.state === 'pending').length;
  const waiting = input.tasks.filter(
    (t) => (t.state === 'ready' || t.state === 'pending') && t.dependsOn.length === 0,
  );
  if (forecast.p50_seconds !== null && waiting.length > input.concurrency && ready > 0) {
    out.push({
      rule: 'more-concurrency',
      message: `${waiting.length} tasks wait with no dependency while the run uses ${input.concurrency} agent(s): \`cairn run ${id} --concurrency ${Math.min(waiting.length, input.concurrency * 2)}\` would shorten the forecast`,
      numbers: { independent_waiting: waiting.length, concurrency: input.concurrency },
    });
  }
  const testShare = dimensions.quality.inputs.test_share;
  const merged = input.tasks.filter((t) => t.state === 'done').length;
  if (typeof testShare === 'number' && testShare < LOW_TEST_SHARE && merged >= LOW_TESTS_MIN_DONE) {
    out.push({
      rule: 'few-tests',
      message: `only ${Math.round(testShare * 100)}% of changed lines are tests (target ${Math.round(TEST_SHARE_TARGET * 100)}%): add test files to task scopes and acceptance`,
      numbers: { test_share: testShare, merged_tasks: merged },
    });
  }
  return out;
}
