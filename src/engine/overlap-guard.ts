/**
 * Conflict-aware scheduling: until a task is merged (or given up), tasks kept apart from it wait.
 * Undefined when no pair is kept apart.
 */
export interface OverlapGuard {
  /** Whether `id` may start now; if so it counts as taken for the rest of the round. */
  clear(id: string): boolean;
  /** A new round of starts: the tasks taken in the last one are running by now. */
  newRound(): void;
}

export function createOverlapGuard(
  pairs: readonly [string, string][],
  isRunning: (id: string) => boolean,
): OverlapGuard | undefined {
  if (pairs.length === 0) return undefined;
  const apart = new Map<string, string[]>();
  for (const [a, b] of pairs) {
    apart.set(a, [...(apart.get(a) ?? []), b]);
    apart.set(b, [...(apart.get(b) ?? []), a]);
  }
  // The tasks chosen in the same round, which are not running yet.
  const taking = new Set<string>();
  return {
    clear(id) {
      if ((apart.get(id) ?? []).some((other) => isRunning(other) || taking.has(other))) return false;
      taking.add(id);
      return true;
    },
    newRound: () => taking.clear(),
  };
}
