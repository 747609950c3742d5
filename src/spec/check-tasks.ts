import { findCycles, formatCycle } from './cycles.js';
import { closestName } from './names.js';
import type { TaskRead } from './read-task.js';
import { describePosition, report } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import type { StringRef } from './yaml-values.js';

const LISTED_NAMES = 8;

/** Checks across tasks: duplicate ids, unknown and self dependencies, cycles. */
export function checkTaskGraph(source: Source, reads: readonly TaskRead[]): void {
  const byId = new Map<string, TaskRead>();
  for (const read of reads) {
    if (read.id === undefined) continue;
    const first = byId.get(read.id.value);
    if (first?.id === undefined) {
      byId.set(read.id.value, read);
      continue;
    }
    const where = `${describePosition(source, first.id.node)} (${first.path})`;
    report(
      source,
      read.id.node,
      read.id.path,
      `duplicate task id \`${read.id.value}\``,
      `the first \`${read.id.value}\` is at ${where}; give each task a unique id`,
    );
  }

  const ids = [...byId.keys()];
  for (const read of reads) {
    for (const dep of read.depends) {
      if (dep.value === read.id?.value) {
        report(
          source,
          dep.node,
          dep.path,
          `task \`${dep.value}\` depends on itself`,
          `remove \`${dep.value}\` from its depends_on`,
        );
      } else if (!byId.has(dep.value)) {
        report(
          source,
          dep.node,
          dep.path,
          `unknown dependency \`${dep.value}\``,
          suggestAmong(dep.value, ids, 'tasks'),
        );
      }
    }
  }

  // Only first occurrences take part, so a duplicate id cannot invent a cycle.
  const unique = [...byId.values()];
  const graph = unique.map((r) => ({ id: r.id?.value ?? '', depends_on: r.task.depends_on }));
  for (const cycle of findCycles(graph)) {
    if (cycle.length < 2) continue; // self-dependencies are reported above
    const [from, to] = cycle;
    const edge = byId.get(from ?? '')?.depends.find((d) => d.value === to);
    if (edge === undefined) continue;
    report(
      source,
      edge.node,
      edge.path,
      `dependency cycle: ${formatCycle(cycle)}`,
      'each task depends on the next one; remove one of these dependencies',
    );
  }
}

/** Task and fallback agents must name a known profile. */
export function checkAgentRefs(source: Source, refs: readonly StringRef[], known: ReadonlySet<string>): void {
  for (const ref of refs) {
    if (known.has(ref.value)) continue;
    const names = [...known];
    const close = closestName(ref.value, names);
    const hint =
      close !== undefined
        ? `did you mean \`${close}\`?`
        : `define \`${ref.value}\` under \`agents:\`${names.length > 0 ? ` or use one of: ${listNames(names)}` : ''}`;
    report(source, ref.node, ref.path, `unknown agent profile \`${ref.value}\``, hint);
  }
}

function suggestAmong(name: string, names: readonly string[], noun: string): string {
  const close = closestName(name, names);
  if (close !== undefined) return `did you mean \`${close}\`?`;
  if (names.length === 0) return `no ${noun} have a valid id yet`;
  return `known ${noun}: ${listNames(names)}`;
}

function listNames(names: readonly string[]): string {
  const shown = names
    .slice(0, LISTED_NAMES)
    .map((n) => `\`${n}\``)
    .join(', ');
  return names.length > LISTED_NAMES ? `${shown}, …` : shown;
}
