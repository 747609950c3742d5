import type { Breaker, BreakerPolicy } from './circuit-breaker.js';

/** Why a task left its own profile for a fallback. */
export type RebalanceWhy = 'at-capacity' | 'circuit-open';

/** What the placement needs to know of each profile right now. */
export interface ProfileView {
  /** Whether one more attempt fits under the profile's `max_concurrency`. */
  hasRoom(agent: string): boolean;
  /** Whether the profile's circuit refuses new work (open, or half-open with its probe out). */
  isOpen(agent: string): boolean;
}

export interface Placement {
  agent: string;
  /** Index of `agent` in the task's profile chain: where its attempts start. */
  index: number;
  /** Set when the task starts on a fallback instead of its own profile. */
  moved?: { from: string; why: RebalanceWhy };
}

/**
 * Where a ready task starts: its own profile when that is closed and has room; else the first
 * fallback that is; else, when every circuit in the chain is open, its own profile if it has
 * room (its retries are bounded, and waiting would stall the run); otherwise nowhere yet (it
 * waits for a running attempt to end). Depends only on the chain, so tasks sharing a chain
 * share the answer.
 */
export function placeTask(chain: readonly string[], view: ProfileView): Placement | undefined {
  const own = chain[0];
  if (own === undefined) return undefined;
  const ownRoom = view.hasRoom(own);
  const ownOpen = view.isOpen(own);
  if (ownRoom && !ownOpen) return { agent: own, index: 0 };
  let fallbackClosed = false;
  for (let index = 1; index < chain.length; index++) {
    const agent = chain[index]!;
    if (view.isOpen(agent)) continue;
    fallbackClosed = true;
    if (view.hasRoom(agent)) {
      return { agent, index, moved: { from: own, why: ownOpen ? 'circuit-open' : 'at-capacity' } };
    }
  }
  return ownRoom && !fallbackClosed ? { agent: own, index: 0 } : undefined;
}

/**
 * Whether a circuit refuses new work now, without taking its probe (unlike `admits`): open and
 * still cooling down, or half-open with its one probe already out.
 */
export function refusesWork(breaker: Breaker | undefined, now: number, policy: BreakerPolicy): boolean {
  if (!breaker) return false;
  if (breaker.state === 'open')
    return breaker.openedAt === undefined || now - breaker.openedAt < policy.coolDownMs;
  return breaker.state === 'half-open' && breaker.probing;
}

/** The notice for a task moved to a fallback. */
export function describeMove(task: string, placement: Placement): string {
  const moved = placement.moved;
  if (!moved) return `${task}: runs on ${placement.agent}`;
  const why =
    moved.why === 'circuit-open' ? `the circuit of ${moved.from} is open` : `${moved.from} is at its limit`;
  return `${task}: ${why}; starting on ${placement.agent}`;
}
