import type { TaskState } from '../store/events.js';
import { createHeap, type Heap } from './heap.js';

interface SchedTask {
  id: string;
  depends_on: string[];
  /** Breaks ties between equally critical tasks: the heavier goes first. */
  weight?: number;
}

/**
 * What `canStart` says of a ready task: `true` takes it; `false` holds it for a later call;
 * `'lane'` holds it and every other task of its lane until the next call (its profiles are full).
 */
export type StartVerdict = boolean | 'lane';

/**
 * Which tasks may start, kept incrementally so a 10,000-task milestone costs no rescans:
 * each task counts its unfinished dependencies; finishing one releases its dependents.
 */
export interface Schedule {
  /**
   * Takes up to `count` ready tasks, most critical first; a task `canStart` refuses stays ready
   * for a later call.
   */
  take(count: number, canStart?: (id: string) => StartVerdict): string[];
  /** Marks a task finished (done or skipped); returns the tasks that became ready. */
  finish(id: string): string[];
  /** Marks a task dead (failed or blocked); returns every pending task that can now never start. */
  strand(id: string): string[];
  readyCount(): number;
}

const finishedStates: ReadonlySet<TaskState> = new Set(['done', 'skipped']);

/**
 * Ready tasks queue by lane (tasks sharing a lane share their agent profiles), so a lane whose
 * profiles are full is passed over in one step instead of task by task.
 */
export function createSchedule(
  tasks: SchedTask[],
  states: Map<string, TaskState>,
  rank: Map<string, number>,
  laneOf?: (id: string) => string,
): Schedule {
  // One total order, computed once: higher rank, then heavier, then earlier in the spec.
  const sorted = tasks.map((task, index) => ({
    id: task.id,
    index,
    rank: rank.get(task.id) ?? 0,
    weight: task.weight ?? 0,
  }));
  sorted.sort((a, b) => b.rank - a.rank || b.weight - a.weight || a.index - b.index);
  const position = new Map(sorted.map((task, index) => [task.id, index]));
  // Lanes hold positions in that order, so comparing two tasks looks nothing up.
  const before = (a: number, b: number) => b - a;
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  const lanes = new Map<string, Heap<number>>();
  let queued = 0;
  const push = (id: string) => {
    const key = laneOf?.(id) ?? '';
    let lane = lanes.get(key);
    if (!lane) {
      lane = createHeap(before);
      lanes.set(key, lane);
    }
    lane.push(position.get(id)!);
    queued++;
  };
  // The lane whose first task goes first, passing over closed and empty lanes.
  const bestLane = (closed: Set<Heap<number>> | undefined): Heap<number> | undefined => {
    let best: Heap<number> | undefined;
    for (const lane of lanes.values()) {
      const head = lane.peek();
      if (head === undefined || closed?.has(lane)) continue;
      if (!best || before(head, best.peek()!) > 0) best = lane;
    }
    return best;
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
      let closed: Set<Heap<number>> | undefined;
      while (taken.length < count) {
        const lane = bestLane(closed);
        if (!lane) break;
        const id = sorted[lane.pop()!]!.id;
        queued--;
        if (!waiting.has(id)) continue;
        const verdict = canStart ? canStart(id) : true;
        if (verdict !== true) {
          held.push(id);
          if (verdict === 'lane') (closed ??= new Set()).add(lane);
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
    readyCount: () => queued,
  };
}
