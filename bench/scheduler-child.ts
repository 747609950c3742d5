/**
 * One measurement of the scheduler benchmark, in a process of its own so that its peak RSS is
 * its own: `node --import tsx bench/scheduler-child.ts <mode> <db-file> <tasks> <seed>`, mode one of
 * cairn, baseline, baseline-batched, idle. scheduler.ts also runs it as plain JavaScript against dist/.
 * Prints one JSON line on stdout.
 */
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { runLoop } from '../src/engine/run-loop.js';
import type { TaskExecutor } from '../src/engine/attempt-types.js';
import { silentReporter } from '../src/engine/reporter.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { mulberry32 } from '../src/shared/random.js';
import type { CairnEvent } from '../src/store/events.js';
import type { Store } from '../src/store/types.js';
import type { TaskSpec } from '../src/spec/types.js';

const MILESTONE = '001';

export interface ChildReport {
  mode: string;
  tasks: number;
  edges: number;
  depth: number;
  /** Time of the measured part: runLoop (cairn) or the hand-written walk (baseline). */
  ms: number;
  /** Time to journal the milestone.planned event (not in `ms`). */
  plannedMs: number;
  tasksPerSec: number;
  maxRssKB: number;
  transactions: number;
  events: number;
  done: number;
}

/** `count` tasks; each depends on 0–3 distinct random earlier tasks. */
export function randomDag(count: number, seed: number): TaskSpec[] {
  const random = mulberry32(seed);
  const width = String(count).length;
  const id = (i: number) => `t${String(i + 1).padStart(width, '0')}`;
  const tasks: TaskSpec[] = [];
  for (let i = 0; i < count; i++) {
    const wanted = Math.min(i, Math.floor(random() * 4));
    const deps = new Set<number>();
    while (deps.size < wanted) deps.add(Math.floor(random() * i));
    tasks.push({
      id: id(i),
      title: `Task ${id(i)}`,
      type: 'feat',
      prompt: `Do ${id(i)}`,
      files: [],
      acceptance: [],
      depends_on: [...deps].sort((a, b) => a - b).map(id),
      weight: 1,
    });
  }
  return tasks;
}

/** Longest chain, in tasks. */
function depthOf(tasks: TaskSpec[]): number {
  const depth = new Map<string, number>();
  let max = 0;
  for (const task of tasks) {
    const d = 1 + Math.max(0, ...task.depends_on.map((dep) => depth.get(dep) ?? 0));
    depth.set(task.id, d);
    max = Math.max(max, d);
  }
  return max;
}

function plannedEvent(tasks: TaskSpec[]): CairnEvent {
  return {
    type: 'milestone.planned',
    milestone: MILESTONE,
    title: 'Scheduler bench',
    branch: 'milestone/001-scheduler-bench',
    base: 'main',
    specFile: '.milestones/001-scheduler-bench.yaml',
    tasks: tasks.map((task) => ({ id: task.id, title: task.title, agent: 'noop' })),
  };
}

/** The store, counting transactions (append calls) and events. */
function counting(store: Store): { store: Store; counts: { transactions: number; events: number } } {
  const counts = { transactions: 0, events: 0 };
  return {
    counts,
    store: {
      ...store,
      append(events) {
        counts.transactions++;
        counts.events += Array.isArray(events) ? events.length : 1;
        store.append(events);
      },
    },
  };
}

async function runCairn(tasks: TaskSpec[], dbFile: string) {
  const inner = openSqliteStore(dbFile);
  const { store, counts } = counting(inner);
  const plannedStart = performance.now();
  store.append(plannedEvent(tasks));
  const plannedMs = performance.now() - plannedStart;
  const executor: TaskExecutor = {
    attempt: () => Promise.resolve({ outcome: 'succeeded', head: 'x' }),
    merge: () => Promise.resolve({ kind: 'merged', commit: 'c', head: 'x' }),
    logFile: (task, attempt) => `/tmp/cairn-bench/${task.id}.${attempt}.log`,
  };
  const started = performance.now();
  const result = await runLoop({
    milestone: MILESTONE,
    run: 'bench-run',
    tasks,
    store,
    executor,
    concurrency: 8,
    retriesOf: () => 0,
    agentsOf: () => ['noop'],
    backoffOf: () => ({ baseMs: 0, factor: 2, capMs: 0 }),
    signal: new AbortController().signal,
    reporter: silentReporter,
  });
  const ms = performance.now() - started;
  const loopDone = [...result.states.values()].filter((state) => state === 'done').length;
  const storedDone = inner.tasks(MILESTONE).filter((row) => row.state === 'done').length;
  inner.close();
  if (loopDone !== tasks.length || storedDone !== tasks.length) {
    throw new Error(
      `runLoop finished ${loopDone} tasks (${storedDone} done in the store) of ${tasks.length}`,
    );
  }
  return { ms, plannedMs, done: storedDone, ...counts };
}

/**
 * The floor: the same DAG walked by a plain in-memory topological loop (FIFO, no promises),
 * writing the same events, one transaction per event (or per ready batch, as the loop does),
 * into a plain table with the same pragmas and no projections. With `perTask`, each task's
 * events share one transaction instead: what batching the journal could buy.
 */
function runBaseline(tasks: TaskSpec[], dbFile: string, perTask: boolean) {
  const require = createRequire(import.meta.url);
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    `CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, milestone TEXT NOT NULL,
       task TEXT, type TEXT NOT NULL, data TEXT NOT NULL)`,
  );
  const insert = db.prepare('INSERT INTO events (at, milestone, task, type, data) VALUES (?, ?, ?, ?, ?)');
  const counts = { transactions: 0, events: 0 };
  const append = db.transaction((events: CairnEvent[]) => {
    const at = new Date().toISOString();
    for (const event of events) {
      insert.run(at, event.milestone, 'task' in event ? event.task : null, event.type, JSON.stringify(event));
    }
  });
  let pending: CairnEvent[] | undefined;
  const journal = (events: CairnEvent[]) => {
    if (pending) {
      pending.push(...events);
      return;
    }
    counts.transactions++;
    counts.events += events.length;
    append.immediate(events);
  };
  const flush = () => {
    const events = pending ?? [];
    pending = undefined;
    if (events.length > 0) journal(events);
  };
  const ready = (ids: string[]) =>
    ids.length > 0 &&
    journal(ids.map((task) => ({ type: 'task.state', milestone: MILESTONE, task, state: 'ready' })));

  const plannedStart = performance.now();
  journal([plannedEvent(tasks)]);
  const plannedMs = performance.now() - plannedStart;

  const started = performance.now();
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const task of tasks) {
    waiting.set(task.id, task.depends_on.length);
    for (const dep of task.depends_on) {
      const list = dependents.get(dep);
      if (list) list.push(task.id);
      else dependents.set(dep, [task.id]);
    }
  }
  const queue = tasks.filter((task) => task.depends_on.length === 0).map((task) => task.id);
  ready(queue);
  let done = 0;
  for (let head = 0; head < queue.length; head++) {
    const task = queue[head]!;
    const m = MILESTONE;
    if (perTask) pending = [];
    journal([
      {
        type: 'attempt.started',
        milestone: m,
        task,
        run: 'bench-run',
        attempt: 1,
        agent: 'noop',
        logFile: 'x',
      },
    ]);
    journal([
      {
        type: 'attempt.ended',
        milestone: m,
        task,
        attempt: 1,
        outcome: 'succeeded',
        exitCode: 0,
        signal: null,
      },
    ]);
    journal([{ type: 'task.state', milestone: m, task, state: 'merging' }]);
    journal([{ type: 'task.merged', milestone: m, task, commit: 'c', head: 'x' }]);
    done++;
    const released: string[] = [];
    for (const next of dependents.get(task) ?? []) {
      const open = waiting.get(next)! - 1;
      waiting.set(next, open);
      if (open === 0) released.push(next);
    }
    ready(released);
    if (perTask) flush();
    queue.push(...released);
  }
  const ms = performance.now() - started;
  db.close();
  if (done !== tasks.length) throw new Error(`baseline walk finished ${done} of ${tasks.length}`);
  return { ms, plannedMs, done, ...counts };
}

/** Same imports, same DAG, store opened and planned, nothing run: the process's floor. */
function runIdle(tasks: TaskSpec[], dbFile: string) {
  const store = openSqliteStore(dbFile);
  const plannedStart = performance.now();
  store.append(plannedEvent(tasks));
  const plannedMs = performance.now() - plannedStart;
  store.close();
  return { ms: 0, plannedMs, done: 0, transactions: 1, events: 1 };
}

async function main() {
  const [mode = 'cairn', dbFile = '', count = '10000', seed = '42'] = process.argv.slice(2);
  const tasks = randomDag(Number(count), Number(seed));
  const measured =
    mode === 'cairn'
      ? await runCairn(tasks, dbFile)
      : mode === 'baseline' || mode === 'baseline-batched'
        ? runBaseline(tasks, dbFile, mode === 'baseline-batched')
        : runIdle(tasks, dbFile);
  const report: ChildReport = {
    mode,
    tasks: tasks.length,
    edges: tasks.reduce((n, task) => n + task.depends_on.length, 0),
    depth: depthOf(tasks),
    ...measured,
    tasksPerSec: measured.ms > 0 ? tasks.length / (measured.ms / 1000) : 0,
    maxRssKB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

// Only ever run as a script (scheduler.ts imports nothing but types from here).
await main();
