import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptResult, TaskExecutor } from './attempt-types.js';
import { runLoop } from './run-loop.js';
import { plannedStore, removeTestStores, testLoopOptions, testTask } from './test-store.js';

afterEach(removeTestStores);

const task = testTask;

describe('runLoop: a blocker raised while the agent runs', () => {
  it('stops the running attempt at once: the task is blocked with the reason, its dependents stranded, the rest done', async () => {
    const tasks = [task('stuck'), task('after', ['stuck']), task('free')];
    const store = plannedStore(tasks.map((t) => t.id));
    const raised = new Map<string, string>();
    const started: string[] = [];
    const executor: TaskExecutor = {
      logFile: (t, n) => `${t.id}.${n}.log`,
      attempt(t, n, hooks): Promise<AttemptResult> {
        started.push(`${t.id}#${n}`);
        if (t.id !== 'stuck') return Promise.resolve({ outcome: 'succeeded', head: `head-${t.id}` });
        // The agent raises its blocker, then would work on forever: only the stop ends it.
        raised.set(t.id, 'no API key');
        const stop = hooks.signal;
        if (!stop) throw new Error('the attempt was given no signal to stop on');
        return new Promise((resolve) =>
          stop.addEventListener('abort', () =>
            resolve({ outcome: 'interrupted', reason: 'the run was interrupted' }),
          ),
        );
      },
      merge: async (_t, head) => ({ kind: 'merged', commit: `merge-${head}`, head }),
    };
    const run = new AbortController();
    const result = await runLoop(
      testLoopOptions(store, tasks, executor, {
        retriesOf: () => 2,
        signal: run.signal,
        blockerOf: (id) => raised.get(id),
        blockerPollMs: 10,
      }),
    );
    expect(result.interrupted).toBe(false);
    expect(run.signal.aborted).toBe(false);
    expect(Object.fromEntries(result.states)).toEqual({ stuck: 'blocked', after: 'blocked', free: 'done' });
    expect(started.filter((line) => line.startsWith('stuck'))).toEqual(['stuck#1']);
    const rows = new Map(store.tasks('m').map((row) => [row.id, row]));
    expect(rows.get('stuck')?.reason).toBe('blocker: no API key');
    expect(rows.get('after')?.reason).toBe('dependency stuck is blocked');
    // Stopped, not failed: the attempt is not held against the profile, and its work is kept.
    expect(store.attempts('m').find((row) => row.task === 'stuck')).toMatchObject({
      state: 'interrupted',
      reason: 'stopped by a blocker: no API key',
    });
  });
});
