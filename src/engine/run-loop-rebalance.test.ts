import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../shared/clock.js';
import type { TaskSpec } from '../spec/types.js';
import type { Store } from '../store/types.js';
import type { AttemptResult, TaskExecutor } from './attempt-types.js';
import type { BreakerPolicy } from './circuit-breaker.js';
import { silentReporter, type RunReporter } from './reporter.js';
import { runLoop, type LoopOptions } from './run-loop.js';
import { plannedStore, removeTestStores, testTask } from './test-store.js';

afterEach(removeTestStores);

const task = testTask;

const ticks = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * An executor counting the attempts running at once, per profile and in all; each attempt
 * lasts a few event-loop turns. `fails` says which attempts fail (by task and profile).
 */
function counting(fails: (task: string, agent: string) => boolean = () => false) {
  const live = new Map<string, number>();
  const peak = new Map<string, number>();
  let all = 0;
  const executor: TaskExecutor = {
    logFile: (t, n) => `${t.id}.${n}.log`,
    async attempt(t, _n, hooks): Promise<AttemptResult> {
      const now = (live.get(hooks.agent) ?? 0) + 1;
      live.set(hooks.agent, now);
      all++;
      peak.set(hooks.agent, Math.max(peak.get(hooks.agent) ?? 0, now));
      peak.set('*', Math.max(peak.get('*') ?? 0, all));
      await ticks(5);
      live.set(hooks.agent, (live.get(hooks.agent) ?? 1) - 1);
      all--;
      if (fails(t.id, hooks.agent)) return { outcome: 'failed', reason: 'broke', exitCode: 1, signal: null };
      return { outcome: 'succeeded', head: `head-${t.id}` };
    },
    async merge(_t, head) {
      return { kind: 'merged', commit: `merge-${head}`, head };
    },
  };
  return { executor, peak };
}

function loop(
  store: Store,
  tasks: TaskSpec[],
  executor: TaskExecutor,
  extra: Partial<LoopOptions> & Pick<LoopOptions, 'agentsOf'>,
) {
  return runLoop({
    milestone: 'm',
    run: 'r',
    tasks,
    store,
    executor,
    concurrency: 4,
    retriesOf: () => 0,
    backoffOf: () => ({ baseMs: 0, factor: 2, capMs: 0 }),
    signal: new AbortController().signal,
    reporter: silentReporter,
    ...extra,
  });
}

const agentsByTask = (store: Store) => store.attempts('m').map((row) => `${row.task}@${row.agent}`);

const moves = (store: Store) =>
  store
    .eventsOfType('m', ['task.rebalanced'])
    .map((event) =>
      event.type === 'task.rebalanced' ? `${event.task}:${event.from}->${event.to} ${event.why}` : '',
    );

describe('runLoop: per-profile limits and rebalancing', () => {
  it('never runs more attempts of a profile than its max_concurrency, while other profiles fill the run', async () => {
    const tasks = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4'].map((id) => task(id));
    const store = plannedStore(tasks.map((t) => t.id));
    const { executor, peak } = counting();
    const result = await loop(store, tasks, executor, {
      agentsOf: (t) => [t.id.startsWith('a') ? 'one' : 'many'],
      limitOf: (agent) => (agent === 'one' ? 1 : undefined),
    });
    expect([...result.states.values()].every((state) => state === 'done')).toBe(true);
    expect(peak.get('one')).toBe(1);
    expect(peak.get('*')).toBe(4);
    expect(moves(store)).toEqual([]);
  });

  it('starts a task on its fallback when its own profile is full, and journals the move', async () => {
    const tasks = ['t1', 't2', 't3'].map((id) => task(id));
    const store = plannedStore(tasks.map((t) => t.id));
    const { executor, peak } = counting();
    const notices: string[] = [];
    const reporter: RunReporter = { ...silentReporter, onNotice: (message) => notices.push(message) };
    await loop(store, tasks, executor, {
      agentsOf: () => ['one', 'spare'],
      limitOf: (agent) => (agent === 'one' ? 1 : undefined),
      reporter,
    });
    expect(agentsByTask(store)).toEqual(['t1@one', 't2@spare', 't3@spare']);
    expect(moves(store)).toEqual(['t2:one->spare at-capacity', 't3:one->spare at-capacity']);
    expect(notices).toContain('t2: one is at its limit; starting on spare');
    expect(peak.get('one')).toBe(1);
    expect(store.tasks('m').map((row) => row.agent)).toEqual(['one', 'spare', 'spare']);
  });

  it('holds a limit when a task falls back in the middle of its attempts: it waits for a slot', async () => {
    const tasks = ['t1', 't2', 't3'].map((id) => task(id));
    const store = plannedStore(tasks.map((t) => t.id));
    const { executor, peak } = counting((_task, agent) => agent === 'main');
    const result = await loop(store, tasks, executor, {
      agentsOf: () => ['main', 'tiny'],
      limitOf: (agent) => (agent === 'tiny' ? 1 : undefined),
      breaker: { failures: 100, windowMs: 60_000, coolDownMs: 60_000 },
    });
    expect([...result.states.values()]).toEqual(['done', 'done', 'done']);
    expect(peak.get('main')).toBe(3);
    expect(peak.get('tiny')).toBe(1);
  });

  it('moves queued tasks to a fallback while a circuit is open, and back once it closes', async () => {
    const tasks = ['t1', 't2', 't3', 't4'].map((id) => task(id));
    const store = plannedStore(tasks.map((t) => t.id));
    let time = 0;
    const clock: Clock = { now: () => time, sleep: async () => undefined };
    const policy: BreakerPolicy = { failures: 1, windowMs: 60_000, coolDownMs: 1_000 };
    const { executor } = counting((id, agent) => id === 't1' && agent === 'main');
    const attempt = executor.attempt.bind(executor);
    executor.attempt = async (t, n, hooks) => {
      // The cool-down passes while t2 runs on the fallback.
      if (t.id === 't2') time += 5_000;
      return attempt(t, n, hooks);
    };
    const result = await loop(store, tasks, executor, {
      agentsOf: () => ['main', 'spare'],
      concurrency: 1,
      clock,
      breaker: policy,
    });
    expect([...result.states.values()]).toEqual(['done', 'done', 'done', 'done']);
    // t1 failed on main (opening its circuit) and finished on spare; t2 started on spare; t3 was
    // main's probe, which closed the circuit again; t4 stayed on main.
    expect(agentsByTask(store)).toEqual(['t1@main', 't1@spare', 't2@spare', 't3@main', 't4@main']);
    expect(moves(store)).toEqual(['t2:main->spare circuit-open']);
  });
});
