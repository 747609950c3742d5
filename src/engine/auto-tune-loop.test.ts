import { afterEach, describe, expect, it } from 'vitest';
import type { TaskSpec } from '../spec/types.js';
import type { TaskExecutor } from './attempt-types.js';
import { runLoop } from './run-loop.js';
import { plannedStore, removeTestStores, testLoopOptions } from './test-store.js';

afterEach(removeTestStores);

const task = (id: string): TaskSpec => ({
  id,
  title: id,
  prompt: id,
  files: [],
  acceptance: [],
  depends_on: [],
  weight: 1,
});

describe('runLoop --auto-tune', () => {
  it('raises the concurrency while CPU has room and tasks wait, journaling each change and why', async () => {
    const tasks = Array.from({ length: 12 }, (_, i) => task(`t${i}`));
    const store = plannedStore(tasks.map((t) => t.id));
    let running = 0;
    let most = 0;
    const executor: TaskExecutor = {
      logFile: (t, n) => `${t.id}.${n}.log`,
      async attempt(t) {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 60));
        running--;
        return { outcome: 'succeeded', head: `head-${t.id}` };
      },
      merge: async (t, head) => ({ kind: 'merged', commit: `m-${t.id}`, head }),
    };
    await runLoop(
      testLoopOptions(store, tasks, executor, {
        concurrency: 1,
        retriesOf: () => 0,
        autoTune: { min: 1, max: 3, windowMs: 25, cpuBusy: () => 0.2, memFree: () => 0.5 },
      }),
    );
    const tuned = store.eventsOfType('m', ['run.tuned']);
    expect(tuned.length).toBeGreaterThanOrEqual(2);
    expect(tuned[0]).toMatchObject({
      from: 1,
      to: 2,
      why: expect.stringMatching(/CPU is 20% busy and \d+ task\(s\) wait/),
    });
    expect(most).toBe(3);
  });
});
