/** Circuit states: closed lets work through, open refuses it, half-open lets one probe through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerPolicy {
  /** Consecutive failures within `windowMs` that open the circuit. */
  failures: number;
  windowMs: number;
  /** How long an open circuit refuses work before it lets a probe through. */
  coolDownMs: number;
}

export const DEFAULT_BREAKER: BreakerPolicy = { failures: 3, windowMs: 5 * 60_000, coolDownMs: 60_000 };

export interface Breaker {
  state: CircuitState;
  /** Times of the consecutive failures counted so far. */
  failureTimes: number[];
  openedAt: number | undefined;
  probing: boolean;
}

export function createBreaker(): Breaker {
  return { state: 'closed', failureTimes: [], openedAt: undefined, probing: false };
}

/** Whether a new attempt may use this profile now; an open circuit past its cool-down admits one probe. */
export function admits(breaker: Breaker, now: number, policy: BreakerPolicy = DEFAULT_BREAKER): boolean {
  if (breaker.state === 'closed') return true;
  if (
    breaker.state === 'open' &&
    breaker.openedAt !== undefined &&
    now - breaker.openedAt >= policy.coolDownMs
  ) {
    breaker.state = 'half-open';
    breaker.probing = false;
  }
  if (breaker.state === 'half-open' && !breaker.probing) {
    breaker.probing = true;
    return true;
  }
  return false;
}

/** Records how an attempt on this profile ended and moves the circuit accordingly. */
export function record(
  breaker: Breaker,
  succeeded: boolean,
  now: number,
  policy: BreakerPolicy = DEFAULT_BREAKER,
): void {
  if (succeeded) {
    Object.assign(breaker, createBreaker());
    return;
  }
  if (breaker.state === 'half-open') {
    Object.assign(breaker, { state: 'open', openedAt: now, probing: false });
    return;
  }
  breaker.failureTimes = [...breaker.failureTimes, now].filter((time) => now - time <= policy.windowMs);
  if (breaker.failureTimes.length >= policy.failures) {
    Object.assign(breaker, { state: 'open', openedAt: now, probing: false });
  }
}
