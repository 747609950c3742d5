import type { TaskState } from '../store/events.js';

interface SchedTask {
  id: string;
  depends_on: string[];
}

/**
 * Which tasks may start, kept incrementally so a 10,000-task milestone costs no rescans:
 * each task counts its unfinished dependencies; finishing one releases its dependents.
 */
export interface Schedule {
  /**
   * Takes up to `count` ready tasks, most critical first; a task `canStart` refuses stays ready
   * for a later call.
   */
  take(count: number, canStart?: (id: string) => boolean): string[];
  /** Marks a task finished (done or skipped); returns the tasks that became ready. */
  finish(id: string): string[];
  /** Marks a task dead (failed or blocked); returns every pending task that can now never start. */
  strand(id: string): string[];
  readyCount(): number;
}

const finishedStates: ReadonlySet<TaskState> = new Set(['done', 'skipped']);

export function createSchedule(
  tasks: SchedTask[],
  states: Map<string, TaskState>,
  rank: Map<string, number>,
): Schedule {
  const order = new Map(tasks.map((task, index) => [task.id, index]));
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  const before = (a: string, b: string) =>
    (rank.get(a) ?? 0) - (rank.get(b) ?? 0) || (order.get(b) ?? 0) - (order.get(a) ?? 0);
  const heap: string[] = [];

  const push = (id: string) => {
    heap.push(id);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (before(heap[i]!, heap[parent]!) <= 0) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): string | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && before(heap[left]!, heap[best]!) > 0) best = left;
        if (right < heap.length && before(heap[right]!, heap[best]!) > 0) best = right;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top;
  };

  for (const task of tasks) {
    for (const dep of task.depends_on) {
      const list = dependents.get(dep);
      if (list) list.push(task.id);
      else dependents.set(dep, [task.id]);
    }
    if (states.get(task.id) !== 'pending') continue;
    const open = task.depends_on.filter((dep) => !finishedStates.has(states.get(dep) ?? 'pending')).length;
    waiting.set(task.id, open);
    if (open === 0) push(task.id);
  }

  const strand = (id: string): string[] => {
    const stranded: string[] = [];
    const queue = [id];
    while (queue.length > 0) {
      for (const next of dependents.get(queue.pop()!) ?? []) {
        if (!waiting.has(next)) continue;
        waiting.delete(next);
        stranded.push(next);
        queue.push(next);
      }
    }
    return stranded;
  };

  return {
    take(count, canStart) {
      const taken: string[] = [];
      const held: string[] = [];
      while (taken.length < count) {
        const id = pop();
        if (id === undefined) break;
        if (!waiting.has(id)) continue;
        if (canStart && !canStart(id)) {
          held.push(id);
          continue;
        }
        waiting.delete(id);
        taken.push(id);
      }
      for (const id of held) push(id);
      return taken;
    },
    finish(id) {
      const released: string[] = [];
      for (const next of dependents.get(id) ?? []) {
        const open = waiting.get(next);
        if (open === undefined) continue;
        waiting.set(next, open - 1);
        if (open - 1 === 0) {
          push(next);
          released.push(next);
        }
      }
      return released;
    },
    strand,
    readyCount: () => heap.length,
  };
}
