import type { CairnEvent } from '../store/events.js';
import type { AttemptResult } from './attempt-types.js';

type Ended = Extract<CairnEvent, { type: 'attempt.ended' }>;

/**
 * The journal's record of how an attempt ended. Built field by field, not with object spreads:
 * it is made once per attempt on the run loop's hot path, and spreads cost ten times as much.
 */
export function attemptEnded(milestone: string, task: string, attempt: number, result: AttemptResult): Ended {
  const failed = result.outcome === 'failed';
  const event: Ended = {
    type: 'attempt.ended',
    milestone,
    task,
    attempt,
    outcome: result.outcome,
    exitCode: result.outcome === 'succeeded' ? 0 : failed ? result.exitCode : null,
    signal: failed ? result.signal : null,
  };
  if (result.phases) event.phases = { ...result.phases };
  if (result.outcome !== 'succeeded') event.reason = result.reason;
  // An interrupted attempt records no head.
  if (result.head && result.outcome !== 'interrupted') event.head = result.head;
  return event;
}
