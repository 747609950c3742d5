import { afterEach, describe, expect, it } from 'vitest';
import type { TaskSpec } from '../spec/types.js';
import type { Store } from '../store/types.js';
import type { AttemptResult, TaskExecutor } from './attempt-types.js';
import { runLoop } from './run-loop.js';
import { plannedStore, removeTestStores, testLoopOptions, testTask } from './test-store.js';

afterEach(removeTestStores);

const task = testTask;

const setup = (tasks: TaskSpec[]): Store => plannedStore(tasks.map((t) => t.id));

/** An executor whose attempts follow a script: outcomes per task, in order; merges always succeed. */
function scripted(script: Record<string, AttemptResult['outcome'][]>, log: string[]): TaskExecutor {
  return {
    logFile: (t, n) => `${t.id}.${n}.log`,
    async attempt(t, n) {
      log.push(`${t.id}#${n}`);
      const outcome = script[t.id]?.[n - 1] ?? 'succeeded';
      if (outcome === 'succeeded') return { outcome, head: `head-${t.id}` };
      if (outcome === 'interrupted') return { outcome, reason: 'stopped' };
      return { outcome, reason: `${t.id} broke`, exitCode: 1, signal: null };
    },
    async merge(t, head) {
      log.push(`merge ${t.id}`);
      return { kind: 'merged', commit: `merge-${t.id}`, head };
    },
  };
}

const loop = (
  store: Store,
  tasks: TaskSpec[],
  executor: TaskExecutor,
  signal = new AbortController().signal,
) => runLoop(testLoopOptions(store, tasks, executor, { signal }));

describe('runLoop', () => {
  it('runs tasks after their dependencies and merges each once', async () => {
    const tasks = [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])];
    const store = setup(tasks);
    const log: string[] = [];
    const result = await loop(store, tasks, scripted({}, log));
    expect([...result.states.values()]).toEqual(['done', 'done', 'done', 'done']);
    expect(log.indexOf('merge a')).toBeLessThan(log.indexOf('b#1'));
    expect(log.filter((line) => line.startsWith('merge')).sort()).toEqual([
      'merge a',
      'merge b',
      'merge c',
      'merge d',
    ]);
    expect(store.tasks('m').map((row) => row.merge_commit)).toEqual([
      'merge-a',
      'merge-b',
      'merge-c',
      'merge-d',
    ]);
  });

  it('starts an agent once its attempt is journaled, with the hand-over or the merge that frees its slot', async () => {
    const tasks = [task('a'), task('b'), task('c', ['a'])];
    const inner = setup(tasks);
    const transactions: string[][] = [];
    const store: Store = {
      ...inner,
      append(events) {
        const list = Array.isArray(events) ? events : [events];
        transactions.push(list.map((event) => `${event.type} ${'task' in event ? event.task : ''}`));
        inner.append(events);
      },
    };
    const executor = scripted({}, []);
    const journaledAtStart: string[] = [];
    const attempt = executor.attempt.bind(executor);
    executor.attempt = async (t, n, hooks) => {
      const row = inner.attempts('m').find((r) => r.task === t.id && r.attempt === n);
      journaledAtStart.push(`${t.id}#${n} ${row?.state}`);
      return attempt(t, n, hooks);
    };
    const result = await runLoop(
      testLoopOptions(store, tasks, executor, { concurrency: 1, retriesOf: () => 0 }),
    );
    expect([...result.states.values()]).toEqual(['done', 'done', 'done']);
    expect(journaledAtStart).toEqual(['a#1 running', 'b#1 running', 'c#1 running']);
    expect(transactions).toEqual([
      ['task.state a', 'task.state b', 'attempt.started a'],
      // a goes to the merge queue and hands its slot to b in one transaction;
      ['attempt.ended a', 'task.state a', 'attempt.started b'],
      // b reaches the queue before a is merged; nothing is ready to take its slot;
      ['attempt.ended b', 'task.state b'],
      // a's merge makes c ready, and c starts with it.
      ['task.merged a', 'task.state c', 'attempt.started c'],
      ['task.merged b'],
      ['attempt.ended c', 'task.state c'],
      ['task.merged c'],
    ]);
  });

  it('hands a slot on when its task reaches the merge queue, as many as the concurrency, never running more agents', async () => {
    const tasks = [task('a'), task('b'), task('c'), task('d', ['a'])];
    const store = setup(tasks);
    const log: string[] = [];
    let agents = 0;
    let most = 0;
    const merges: (() => void)[] = [];
    const executor: TaskExecutor = {
      logFile: (t, n) => `${t.id}.${n}.log`,
      async attempt(t) {
        agents++;
        most = Math.max(most, agents);
        log.push(`start ${t.id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        agents--;
        log.push(`end ${t.id}`);
        return { outcome: 'succeeded', head: `head-${t.id}` };
      },
      // Each merge waits until the test lets it through.
      async merge(t, head) {
        await new Promise<void>((resolve) => merges.push(resolve));
        log.push(`merged ${t.id}`);
        return { kind: 'merged', commit: `merge-${t.id}`, head };
      },
    };
    const done = runLoop(testLoopOptions(store, tasks, executor, { concurrency: 1 }));
    const until = async (what: () => boolean) => {
      while (!what()) await new Promise((resolve) => setTimeout(resolve, 1));
    };
    // a waits in the merge queue while b runs; once b waits there too, one of them holds the slot.
    await until(() => log.includes('end b'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(merges).toHaveLength(1);
    // a's merge frees the slot; d (which depends on a) and c start one after the other.
    merges.shift()!();
    while (
      (await Promise.race([done.then(() => true), new Promise((r) => setTimeout(() => r(false), 5))])) ===
      false
    )
      merges.shift()?.();
    expect(log.indexOf('merged a')).toBeLessThan(Math.min(log.indexOf('start c'), log.indexOf('start d')));
    expect(Object.fromEntries((await done).states)).toEqual({ a: 'done', b: 'done', c: 'done', d: 'done' });
    expect(most).toBe(1);
  });

  it('retries a failed attempt, then fails the task and blocks its dependents only', async () => {
    const tasks = [task('flaky'), task('broken'), task('after', ['broken']), task('free')];
    const store = setup(tasks);
    const log: string[] = [];
    const result = await loop(
      store,
      tasks,
      scripted({ flaky: ['failed', 'succeeded'], broken: ['failed', 'failed'] }, log),
    );
    expect(Object.fromEntries(result.states)).toEqual({
      flaky: 'done',
      broken: 'failed',
      after: 'blocked',
      free: 'done',
    });
    expect(log).not.toContain('after#1');
    const rows = new Map(store.tasks('m').map((row) => [row.id, row]));
    expect(rows.get('flaky')?.attempts).toBe(2);
    expect(rows.get('broken')?.reason).toBe('broken broke');
    expect(rows.get('after')?.reason).toBe('dependency broken is failed');
  });

  it('puts an interrupted task back to pending and starts nothing new', async () => {
    const tasks = [task('a'), task('b', ['a'])];
    const store = setup(tasks);
    const controller = new AbortController();
    const executor = scripted({ a: ['interrupted'] }, []);
    const attempt = executor.attempt.bind(executor);
    executor.attempt = async (...args) => {
      controller.abort();
      return attempt(...args);
    };
    const result = await loop(store, tasks, executor, controller.signal);
    expect(result.interrupted).toBe(true);
    expect(Object.fromEntries(result.states)).toEqual({ a: 'pending', b: 'pending' });
    expect(store.attempts('m')).toMatchObject([{ task: 'a', state: 'interrupted' }]);
  });

  it('stops a task whose agent raised a blocker: blocked with the reason, not retried, dependents wait', async () => {
    const tasks = [task('stuck'), task('after', ['stuck']), task('free')];
    const store = setup(tasks);
    const log: string[] = [];
    const raised = new Map<string, string>();
    const executor = scripted({ stuck: ['failed', 'failed'] }, log);
    const attempt = executor.attempt.bind(executor);
    executor.attempt = async (t, n, hooks) => {
      if (t.id === 'stuck') raised.set(t.id, 'no API key');
      return attempt(t, n, hooks);
    };
    const result = await runLoop(
      testLoopOptions(store, tasks, executor, { blockerOf: (id) => raised.get(id) }),
    );
    expect(Object.fromEntries(result.states)).toEqual({ stuck: 'blocked', after: 'blocked', free: 'done' });
    expect(log.filter((line) => line.startsWith('stuck#'))).toEqual(['stuck#1']);
    expect(store.tasks('m').find((row) => row.id === 'stuck')?.reason).toBe('blocker: no API key');
  });
});
