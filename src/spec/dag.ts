/** The part of a task the graph functions need. */
export interface DagNode {
  id: string;
  depends_on: string[];
  weight?: number;
}

export type CostFn = (id: string) => number;

const unitCost: CostFn = () => 1;

/** Dependencies of each task, limited to ids that exist, so a half-valid graph never throws. */
function knownDeps(tasks: readonly DagNode[]): Map<string, string[]> {
  const ids = new Set(tasks.map((t) => t.id));
  return new Map(tasks.map((t) => [t.id, t.depends_on.filter((d) => ids.has(d) && d !== t.id)]));
}

/** For each task, the tasks that depend on it directly, in spec order. */
export function dependentsMap(tasks: readonly DagNode[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const [id, deps] of knownDeps(tasks)) {
    for (const dep of deps) dependents.get(dep)?.push(id);
  }
  return dependents;
}

/** Groups tasks into waves: a task's wave is one more than its latest dependency's. */
export function planWaves(tasks: readonly DagNode[]): string[][] {
  const deps = knownDeps(tasks);
  const wave = new Map<string, number>();
  const waveOf = (id: string, visiting: Set<string>): number => {
    const known = wave.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // cycles are rejected by validation; never loop forever
    visiting.add(id);
    const value = Math.max(-1, ...(deps.get(id) ?? []).map((d) => waveOf(d, visiting))) + 1;
    visiting.delete(id);
    wave.set(id, value);
    return value;
  };
  const waves: string[][] = [];
  for (const task of tasks) {
    const index = waveOf(task.id, new Set());
    while (waves.length <= index) waves.push([]);
    waves[index]?.push(task.id);
  }
  return waves;
}

/**
 * For each task, the summed cost of the longest chain from it to a sink, itself included.
 * The scheduler starts the highest first: those tasks hold the most work behind them.
 */
export function rankByCriticality(tasks: readonly DagNode[], cost: CostFn = unitCost): Map<string, number> {
  const dependents = dependentsMap(tasks);
  const rank = new Map<string, number>();
  const rankOf = (id: string, visiting: Set<string>): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const below = (dependents.get(id) ?? []).map((d) => rankOf(d, visiting));
    visiting.delete(id);
    const value = cost(id) + Math.max(0, ...below);
    rank.set(id, value);
    return value;
  };
  for (const task of tasks) rankOf(task.id, new Set());
  return rank;
}

/** The longest chain by summed cost, from a root to a sink; ties go to the earlier task. */
export function criticalPath(tasks: readonly DagNode[], cost: CostFn = unitCost): string[] {
  const rank = rankByCriticality(tasks, cost);
  const dependents = dependentsMap(tasks);
  const deps = knownDeps(tasks);
  const roots = tasks.filter((t) => (deps.get(t.id) ?? []).length === 0).map((t) => t.id);
  // Candidates come in spec order, so keeping the first maximum breaks ties by spec order.
  const best = (ids: string[]): string | undefined =>
    ids.reduce<string | undefined>(
      (chosen, id) => (chosen === undefined || (rank.get(id) ?? 0) > (rank.get(chosen) ?? 0) ? id : chosen),
      undefined,
    );
  const path: string[] = [];
  for (let id = best(roots); id !== undefined; id = best(dependents.get(id) ?? [])) {
    path.push(id);
  }
  return path;
}

/** Every task that depends on `id`, directly or not, in spec order. */
export function dependentsOf(tasks: readonly DagNode[], id: string): string[] {
  const dependents = dependentsMap(tasks);
  const found = new Set<string>();
  const stack = [id];
  for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
    for (const d of dependents.get(current) ?? []) {
      if (!found.has(d) && d !== id) {
        found.add(d);
        stack.push(d);
      }
    }
  }
  return tasks.map((t) => t.id).filter((t) => found.has(t));
}
