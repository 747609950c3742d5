import type { CairnEvent } from '../store/events.js';
import type { AttemptResult } from './attempt-types.js';

/** The journal's record of how an attempt ended. */
export function attemptEnded(
  milestone: string,
  task: string,
  attempt: number,
  result: AttemptResult,
): CairnEvent {
  const base = {
    type: 'attempt.ended' as const,
    milestone,
    task,
    attempt,
    outcome: result.outcome,
    ...(result.phases ? { phases: { ...result.phases } } : {}),
  };
  if (result.outcome === 'succeeded') return { ...base, exitCode: 0, signal: null, head: result.head };
  if (result.outcome === 'interrupted')
    return { ...base, exitCode: null, signal: null, reason: result.reason };
  if (result.outcome === 'blocked')
    return {
      ...base,
      exitCode: null,
      signal: null,
      reason: result.reason,
      ...(result.head ? { head: result.head } : {}),
    };
  return {
    ...base,
    exitCode: result.exitCode,
    signal: result.signal,
    reason: result.reason,
    ...(result.head ? { head: result.head } : {}),
  };
}
