import { rankByCriticality, type DagNode } from '../spec/index.js';
import type { TaskState } from '../store/events.js';

const finished: ReadonlySet<TaskState> = new Set(['done', 'skipped']);

/**
 * Each task's priority: the summed weight of the heaviest chain of unfinished work from it to
 * a sink, itself included. Done and skipped tasks weigh nothing, so a chain whose tail is
 * already finished ranks by what is left of it.
 */
export function remainingCriticality(
  tasks: readonly DagNode[],
  states: ReadonlyMap<string, TaskState>,
): Map<string, number> {
  const weight = new Map(tasks.map((task) => [task.id, task.weight ?? 1]));
  return rankByCriticality(tasks, (id) =>
    finished.has(states.get(id) ?? 'pending') ? 0 : (weight.get(id) ?? 1),
  );
}
