/** Inputs of the adaptive checkpoint interval, measured over the recent past of a run. */
export interface IntervalInputs {
  /** Failed attempts among the recent events. */
  recentFailures: number;
  /** Events journaled per minute, recently. */
  eventsPerMinute: number;
}

export const MAX_INTERVAL = 50;
export const MIN_INTERVAL = 5;
/** The event rate up to which the interval is not shortened for speed. */
export const CALM_RATE = 60;

/**
 * How many events may pass before the next periodic checkpoint.
 *
 * The rule: start from MAX_INTERVAL (50). Each recent failure halves it (up to four halvings),
 * because failures mean retries and requeues, where a fresh checkpoint saves the most rework.
 * Above CALM_RATE events a minute it shrinks in proportion to the rate (twice the rate, half
 * the interval), because a busy run covers more work between two checkpoints. The result is
 * rounded and kept within [MIN_INTERVAL, MAX_INTERVAL], so a checkpoint storm cannot happen
 * and a calm run still checkpoints now and then.
 */
export function checkpointInterval({ recentFailures, eventsPerMinute }: IntervalInputs): number {
  const failures = Math.max(0, Math.min(4, Math.floor(recentFailures)));
  let interval = MAX_INTERVAL / 2 ** failures;
  if (eventsPerMinute > CALM_RATE) interval *= CALM_RATE / eventsPerMinute;
  return Math.min(MAX_INTERVAL, Math.max(MIN_INTERVAL, Math.round(interval)));
}
