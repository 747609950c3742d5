import type { OverlapGuard } from './overlap-guard.js';
import type { Placement } from './rebalance.js';
import type { Rebalancer } from './rebalancer.js';
import type { StartVerdict } from './schedule.js';

/** Which ready tasks may start in a round, and on which profile: profile slots, then overlaps. */
export interface StartGate {
  /** For `Schedule.take`; undefined when nothing holds tasks back. */
  canStart: ((id: string) => StartVerdict) | undefined;
  /** Where a task taken this round starts (its own profile or a fallback). */
  placement(id: string): Placement | undefined;
  /** Before each round. */
  newRound(): void;
}

export function createStartGate(
  rebalancer: Rebalancer | undefined,
  overlaps: OverlapGuard | undefined,
  /** A task resumed into the merge queue runs no agent, so it takes no profile slot. */
  runsNoAgent: (id: string) => boolean,
): StartGate {
  // Where each task taken this round starts; its profile slot is taken as it is chosen.
  const placed = new Map<string, Placement>();
  const canStart = (id: string): StartVerdict => {
    const placing = rebalancer !== undefined && !runsNoAgent(id);
    const placement = placing ? rebalancer.place(id) : undefined;
    if (placing && !placement) return 'lane';
    if (overlaps && !overlaps.clear(id)) return false;
    if (placement) {
      rebalancer?.hold(id, placement.agent);
      placed.set(id, placement);
    }
    return true;
  };
  return {
    canStart: rebalancer || overlaps ? canStart : undefined,
    placement: (id) => placed.get(id),
    newRound() {
      overlaps?.newRound();
      placed.clear();
    },
  };
}
