import type { DagNode } from './dag.js';

// Enumerating elementary cycles is exponential in the worst case; a spec with that many
// cycles needs fixing, not a complete list, so stop early.
const MAX_CYCLES = 50;
const MAX_STEPS = 100_000;

/**
 * Every elementary dependency cycle, each once: `[a, b, c]` means a depends on b, b on c and
 * c on a. A cycle starts at its earliest task in spec order. Self-dependencies are `[a]`.
 */
export function findCycles(tasks: readonly DagNode[]): string[][] {
  const index = new Map(tasks.map((t, i) => [t.id, i]));
  const deps = tasks.map((t) => [
    ...new Set(t.depends_on.flatMap((d) => (index.has(d) ? [index.get(d) as number] : []))),
  ]);
  const dependents = tasks.map((): number[] => []);
  deps.forEach((list, i) => list.forEach((d) => dependents[d]?.push(i)));

  const cycles: string[][] = [];
  let steps = 0;
  for (let start = 0; start < tasks.length && cycles.length < MAX_CYCLES; start++) {
    // Only nodes after `start` in spec order, so each cycle is found from its earliest node.
    const component = intersect(
      reach(start, deps, (n) => n >= start),
      reach(start, dependents, (n) => n >= start),
    );
    const path = [start];
    const walk = (node: number): void => {
      for (const next of deps[node] ?? []) {
        if (cycles.length >= MAX_CYCLES || ++steps > MAX_STEPS) return;
        if (next === start) cycles.push(path.map((i) => tasks[i]?.id ?? ''));
        else if (next > start && component.has(next) && !path.includes(next)) {
          path.push(next);
          walk(next);
          path.pop();
        }
      }
    };
    walk(start);
  }
  return cycles;
}

function reach(from: number, edges: number[][], allowed: (n: number) => boolean): Set<number> {
  const seen = new Set([from]);
  const stack = [from];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const next of edges[node] ?? []) {
      if (allowed(next) && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  return new Set([...a].filter((n) => b.has(n)));
}

/** "a → b → c → a", the way a cycle is shown to users. */
export function formatCycle(cycle: readonly string[]): string {
  return [...cycle, cycle[0] ?? ''].join(' → ');
}
