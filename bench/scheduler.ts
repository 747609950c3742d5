/**
 * `scheduler`: a seeded random DAG of 10,000 tasks through the real run loop with a no-op
 * executor and the real SQLite journal, each measurement in a child process of its own.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import {
  BENCH_DIR,
  RESULTS_DIR,
  ROOT,
  goal,
  log,
  median,
  removeTemp,
  round,
  sampleQuietly,
  tempDir,
  timeProcess,
  type BenchOutcome,
} from './lib.js';
import type { ChildReport } from './scheduler-child.js';

const TASKS = Number(process.env.BENCH_SCHEDULER_TASKS ?? 10_000);
const SEED = Number(process.env.BENCH_SCHEDULER_SEED ?? 42);
const RUNS = Number(process.env.BENCH_SCHEDULER_RUNS ?? 5);
const CHILD_TS = path.join(BENCH_DIR, 'scheduler-child.ts');
const CHILD_JS = path.join(RESULTS_DIR, '.build', 'scheduler-child.mjs');

type Mode = 'cairn' | 'baseline' | 'baseline-batched' | 'idle';
type Runtime = 'node' | 'tsx';

/**
 * The child as plain JavaScript importing the compiled dist/ (what `cairn` ships), so its RSS
 * has no TypeScript loader in it. Written under bench/results/ (ignored by git).
 */
function buildPlainChild(): string {
  const source = readFileSync(CHILD_TS, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
    fileName: CHILD_TS,
  });
  const dist = pathToFileURL(path.join(ROOT, 'dist')).href;
  const js = outputText.replace(/from '\.\.\/src\/([^']+)'/g, (_, file: string) => `from '${dist}/${file}'`);
  if (js.includes("'../src/")) throw new Error('scheduler child: an import of ../src/ was not rewritten');
  mkdirSync(path.dirname(CHILD_JS), { recursive: true });
  writeFileSync(CHILD_JS, js);
  return CHILD_JS;
}

type Report = ChildReport & { otherCores?: number };

async function child(mode: Mode, runtime: Runtime): Promise<Report> {
  const dir = tempDir('cairn-bench-scheduler-');
  try {
    const args = [path.join(dir, 'state.db'), String(TASKS), String(SEED)];
    const argv = runtime === 'tsx' ? ['--import', 'tsx', CHILD_TS, mode, ...args] : [CHILD_JS, mode, ...args];
    const timed = await timeProcess(process.execPath, argv, { cwd: ROOT, keepOutput: true, cpu: true });
    if (timed.code !== 0) throw new Error(`scheduler child ${mode} (${runtime}) failed:\n${timed.stderr}`);
    const line = timed.stdout.trim().split('\n').pop() ?? '';
    return {
      ...(JSON.parse(line) as ChildReport),
      ...(timed.otherCores === undefined ? {} : { otherCores: timed.otherCores }),
    };
  } finally {
    removeTemp(dir);
  }
}

const mb = (kb: number) => round(kb / 1024, 1);

export async function runScheduler(): Promise<BenchOutcome> {
  buildPlainChild();
  let retaken = 0;
  const sample = async (mode: Mode, runtime: Runtime) => {
    const report = await sampleQuietly(`scheduler ${mode} (${runtime})`, () => child(mode, runtime), {
      waitMs: 30_000,
    });
    retaken += report.retaken;
    return report;
  };
  const reports: Record<`${Mode}/${Runtime}`, Report[]> = {
    'cairn/node': [],
    'baseline/node': [],
    'baseline-batched/node': [],
    'idle/node': [],
    'cairn/tsx': [],
    'baseline/tsx': [],
    'baseline-batched/tsx': [],
    'idle/tsx': [],
  };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['cairn', 'baseline', 'baseline-batched', 'idle'] as const) {
      const report = await sample(mode, 'node');
      reports[`${mode}/node`].push(report);
      log(
        `  scheduler run ${i + 1}: ${mode.padEnd(16)} node ${round(report.tasksPerSec, 0)} tasks/s, ${mb(report.maxRssKB)} MB peak`,
      );
    }
  }
  // The same through tsx (the TypeScript sources), once each: its loader adds memory of its own.
  for (const mode of ['cairn', 'idle'] as const) {
    const report = await sample(mode, 'tsx');
    reports[`${mode}/tsx`].push(report);
    log(
      `  scheduler tsx:   ${mode.padEnd(16)} ${round(report.tasksPerSec, 0)} tasks/s, ${mb(report.maxRssKB)} MB peak`,
    );
  }

  const med = (key: keyof typeof reports, field: 'tasksPerSec' | 'maxRssKB' | 'ms' | 'plannedMs') =>
    median(reports[key].map((r) => r[field]));
  const first = reports['cairn/node'][0]!;
  const cairnRate = med('cairn/node', 'tasksPerSec');
  const baseRate = med('baseline/node', 'tasksPerSec');
  const batchedRate = med('baseline-batched/node', 'tasksPerSec');
  const cairnRss = mb(med('cairn/node', 'maxRssKB'));
  const idleRss = mb(med('idle/node', 'maxRssKB'));
  const cairnTsx = reports['cairn/tsx'][0]!;
  const idleTsx = reports['idle/tsx'][0]!;
  const baseFirst = reports['baseline/node'][0]!;
  const batchedFirst = reports['baseline-batched/node'][0]!;

  return {
    figures: {
      tasks: TASKS,
      seed: SEED,
      edges: first.edges,
      longest_chain: first.depth,
      concurrency: 8,
      runs: RUNS,
      cairn_tasks_per_sec: round(cairnRate, 0),
      cairn_loop_ms: round(med('cairn/node', 'ms'), 1),
      cairn_planned_event_ms: round(med('cairn/node', 'plannedMs'), 1),
      cairn_peak_rss_mb: cairnRss,
      cairn_transactions: first.transactions,
      cairn_events: first.events,
      cairn_transactions_per_task: round(first.transactions / TASKS, 2),
      cairn_us_per_transaction: round((med('cairn/node', 'ms') * 1000) / first.transactions, 1),
      idle_process_peak_rss_mb: idleRss,
      cairn_rss_above_idle_mb: round(cairnRss - idleRss, 1),
      cairn_samples_tasks_per_sec: reports['cairn/node'].map((r) => round(r.tasksPerSec, 0)),
      cairn_samples_peak_rss_mb: reports['cairn/node'].map((r) => mb(r.maxRssKB)),
      other_work_cores_during_cairn_samples: reports['cairn/node'].map((r) => r.otherCores ?? null),
      samples_retaken_for_other_work: retaken,
      tsx: {
        cairn_tasks_per_sec: round(cairnTsx.tasksPerSec, 0),
        cairn_peak_rss_mb: mb(cairnTsx.maxRssKB),
        idle_process_peak_rss_mb: mb(idleTsx.maxRssKB),
      },
    },
    baseline: {
      description:
        'the same DAG walked by a hand-written in-memory topological loop (FIFO, no promises) writing the same events into a plain SQLite table (same WAL/NORMAL pragmas, no projections, no index), one transaction per event as the run loop journals them; "batched" = one transaction per task',
      figures: {
        tasks_per_sec: round(baseRate, 0),
        loop_ms: round(med('baseline/node', 'ms'), 1),
        peak_rss_mb: mb(med('baseline/node', 'maxRssKB')),
        transactions: baseFirst.transactions,
        events: baseFirst.events,
        us_per_transaction: round((med('baseline/node', 'ms') * 1000) / baseFirst.transactions, 1),
        batched_tasks_per_sec: round(batchedRate, 0),
        batched_transactions: batchedFirst.transactions,
        batched_peak_rss_mb: mb(med('baseline-batched/node', 'maxRssKB')),
      },
    },
    ratio: {
      'cairn/baseline_throughput': round(cairnRate / baseRate, 3),
      'cairn/batched_baseline_throughput': round(cairnRate / batchedRate, 3),
      'cairn/baseline_peak_rss': round(cairnRss / mb(med('baseline/node', 'maxRssKB')), 3),
    },
    goals: {
      tasks_per_sec: goal(round(cairnRate, 0), '>=', 5000, 'tasks/s'),
      peak_rss_mb: goal(cairnRss, '<=', 150, 'MB'),
    },
    notes: [
      `goals are absolute; the baselines are for context. Medians of ${RUNS} child processes per mode; tasks/s = ${TASKS} / time inside runLoop (the milestone.planned append and store opening are outside it)`,
      'goal figures come from plain `node` running the child transpiled to JS against dist/ (the code `cairn` ships); `figures.tsx` is the same child on the TypeScript sources under `node --import tsx`, whose loader adds ~40-50 MB of RSS by itself (see tsx.idle_process_peak_rss_mb)',
      'peak RSS = process.resourceUsage().maxRSS of the child at exit; "idle" = same child, same imports and DAG, store opened and planned, loop not run',
    ],
  };
}
