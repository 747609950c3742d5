/**
 * Graceful degradation of a run, as a pure state machine.
 *
 * Levels, from most to least ambitious: `full` (the configured concurrency), `standard` (half
 * of it), `conservative` (one task at a time) and `manual` (start nothing; finish what runs and
 * hand over to a person). Transitions:
 * - a failure cluster — `clusterFailures` failed attempts among the last `window` attempts —
 *   moves down one level and clears the window, so each step needs fresh evidence;
 * - resource pressure (see health.ts) moves straight to `conservative`, or to `manual` when
 *   the disk is nearly full, and lifts when the pressure does;
 * - `recoverAfter` consecutive successes move back up one level (never above `full`).
 */
export type DegradationLevel = 'full' | 'standard' | 'conservative' | 'manual';

const order: DegradationLevel[] = ['full', 'standard', 'conservative', 'manual'];

export interface DegradationPolicy {
  window: number;
  clusterFailures: number;
  recoverAfter: number;
}

export const DEFAULT_DEGRADATION: DegradationPolicy = { window: 6, clusterFailures: 4, recoverAfter: 5 };

export type Pressure = 'none' | 'resources' | 'disk-full';

export interface DegradationState {
  level: DegradationLevel;
  recent: boolean[];
  streak: number;
  pressure: Pressure;
}

export function createDegradation(): DegradationState {
  return { level: 'full', recent: [], streak: 0, pressure: 'none' };
}

/** Records an attempt's outcome; returns the new level and why, when it changed. */
export function recordOutcome(
  state: DegradationState,
  succeeded: boolean,
  policy: DegradationPolicy = DEFAULT_DEGRADATION,
): string | undefined {
  state.recent = [...state.recent, succeeded].slice(-policy.window);
  state.streak = succeeded ? state.streak + 1 : 0;
  const failures = state.recent.filter((ok) => !ok).length;
  const index = order.indexOf(state.level);
  if (failures >= policy.clusterFailures && index < order.length - 1) {
    state.level = order[index + 1]!;
    state.recent = [];
    return `${failures} of the last ${policy.window} attempts failed`;
  }
  if (state.streak >= policy.recoverAfter && index > 0 && state.level !== 'manual') {
    state.level = order[index - 1]!;
    state.streak = 0;
    return `${policy.recoverAfter} attempts in a row succeeded`;
  }
  return undefined;
}

/** Applies resource pressure; returns why when the effective level changed. */
export function applyPressure(state: DegradationState, pressure: Pressure): string | undefined {
  if (pressure === state.pressure) return undefined;
  state.pressure = pressure;
  if (pressure === 'disk-full') return 'the disk is nearly full';
  if (pressure === 'resources') return 'the machine is short of memory or overloaded';
  return 'resource pressure is gone';
}

/** The level in force: the worse of the failure level and the pressure's. */
export function effectiveLevel(state: DegradationState): DegradationLevel {
  const floor: DegradationLevel =
    state.pressure === 'disk-full' ? 'manual' : state.pressure === 'resources' ? 'conservative' : 'full';
  return order[Math.max(order.indexOf(state.level), order.indexOf(floor))]!;
}

/** How many tasks may run at once at a level. */
export function concurrencyAt(level: DegradationLevel, configured: number): number {
  if (level === 'full') return configured;
  if (level === 'standard') return Math.max(1, Math.floor(configured / 2));
  if (level === 'conservative') return 1;
  return 0;
}
