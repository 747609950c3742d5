import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TaskSpec } from '../spec/types.js';
import type { CairnEvent } from '../store/events.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';
import type { TaskExecutor } from './attempt-types.js';
import { silentReporter } from './reporter.js';
import type { LoopOptions } from './run-loop.js';

const dirs: string[] = [];

/** For tests: a real store in a temporary directory, with milestone `m` planned with `ids`. */
export function plannedStore(ids: string[]): Store {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-test-store-'));
  dirs.push(dir);
  const store = openSqliteStore(path.join(dir, 'state.db'));
  store.append({
    type: 'milestone.planned',
    milestone: 'm',
    title: 'M',
    branch: 'milestone/m',
    base: 'main',
    specFile: 'x',
    tasks: ids.map((id) => ({ id, title: id, agent: 'a' })),
  });
  return store;
}

/** Removes the directories `plannedStore` made; call it in `afterEach`. */
export function removeTestStores(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** For tests: the start of an attempt of `task` in milestone `m`, run `r`, profile `a`. */
export function attemptStarted(task: string, attempt = 1): Extract<CairnEvent, { type: 'attempt.started' }> {
  return {
    type: 'attempt.started',
    milestone: 'm',
    task,
    run: 'r',
    attempt,
    agent: 'a',
    logFile: `${task}.log`,
  };
}

/** For tests: a task with an id and its dependencies, nothing else. */
export function testTask(id: string, depends_on: string[] = []): TaskSpec {
  return { id, title: id, type: 'feat', prompt: id, files: [], acceptance: [], depends_on, weight: 1 };
}

/**
 * For tests: a run loop over milestone `m` with one profile `a`, concurrency 2, one retry, no
 * backoff and a silent reporter; `overrides` win.
 */
export function testLoopOptions(
  store: Store,
  tasks: TaskSpec[],
  executor: TaskExecutor,
  overrides: Partial<LoopOptions> = {},
): LoopOptions {
  return {
    milestone: 'm',
    run: 'r',
    tasks,
    store,
    executor,
    concurrency: 2,
    retriesOf: () => 1,
    agentsOf: () => ['a'],
    backoffOf: () => ({ baseMs: 0, factor: 2, capMs: 0 }),
    signal: new AbortController().signal,
    reporter: silentReporter,
    ...overrides,
  };
}
