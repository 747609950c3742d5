import type { AttemptFacts, CommitFacts, LinesByKind, ProgressInput, TaskFacts } from './types.js';
import { DEFAULT_LINE_WEIGHTS } from './types.js';

/** For tests: hand-made progress inputs. Times are in minutes from T0. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const minutes = (m: number) => T0 + m * 60_000;

export function lines(parts: Partial<Record<keyof LinesByKind, [number, number]>>): LinesByKind {
  const of = (pair: [number, number] | undefined) => ({ added: pair?.[0] ?? 0, deleted: pair?.[1] ?? 0 });
  return { code: of(parts.code), test: of(parts.test), docs: of(parts.docs), config: of(parts.config) };
}

export function attempt(
  start: number,
  end: number | null,
  outcome: AttemptFacts['outcome'],
  extra: Partial<AttemptFacts> = {},
): AttemptFacts {
  return {
    agent: 'a',
    startedMs: minutes(start),
    endedMs: end === null ? null : minutes(end),
    outcome,
    checked: outcome === 'succeeded',
    ...extra,
  };
}

export function task(id: string, extra: Partial<TaskFacts> = {}): TaskFacts {
  return {
    id,
    title: id,
    weight: 1,
    dependsOn: [],
    agent: 'a',
    state: 'pending',
    reason: null,
    attempts: [],
    mergedMs: null,
    marker: null,
    lines: null,
    ...extra,
  };
}

/** A task merged `took` minutes after it started at `start`. */
export function doneTask(id: string, start: number, took: number, extra: Partial<TaskFacts> = {}): TaskFacts {
  return task(id, {
    state: 'done',
    attempts: [attempt(start, start + took, 'succeeded')],
    mergedMs: minutes(start + took),
    lines: lines({ code: [10, 0] }),
    ...extra,
  });
}

export function input(tasks: TaskFacts[], extra: Partial<ProgressInput> = {}): ProgressInput {
  const commits: CommitFacts[] = tasks.flatMap((t) =>
    t.mergedMs === null
      ? []
      : [
          { time: t.mergedMs / 1000 - 1, merge: false, task: t.id, agent: t.agent },
          { time: t.mergedMs / 1000, merge: true, task: t.id, agent: null },
        ],
  );
  return {
    milestone: { id: '001', title: 'M', branch: 'milestone/001-m', state: 'running', landed: false },
    nowMs: minutes(60),
    concurrency: 1,
    tasks,
    commits,
    weights: DEFAULT_LINE_WEIGHTS,
    ...extra,
  };
}
