/**
 * `progress`: `cairn progress 001 --json` on a milestone of 1,000 tasks (600 merged on a real
 * milestone branch built with fast-import, a killed run's journal of 100,000 events), against
 * `node -e 0`.
 */
import {
  CLI,
  goal,
  log,
  median,
  removeTemp,
  round,
  runIfMain,
  timeProcess,
  type BenchOutcome,
} from './lib.js';
import { createResumeRepo, seedKilledRun } from './lib-resume.js';

const TASKS = Number(process.env.BENCH_PROGRESS_TASKS ?? 1000);
const RUNS = Number(process.env.BENCH_PROGRESS_RUNS ?? 15);
const WARMUP = 2;

interface ProgressJson {
  overall: number | null;
  dimensions: Record<string, { value: number | null }>;
  insights: { forecast: { p50_seconds: number | null } };
}

function check(stdout: string, merged: number): void {
  const parsed = JSON.parse(stdout) as ProgressJson;
  const git = parsed.dimensions.git?.value;
  const expected = round(merged / TASKS, 3);
  if (git !== expected || parsed.overall === null || parsed.insights.forecast.p50_seconds === null) {
    throw new Error(
      `progress --json: git ${String(git)} (expected ${expected}), overall ${String(parsed.overall)}`,
    );
  }
}

export async function runProgress(): Promise<BenchOutcome> {
  const repo = createResumeRepo(TASKS, 'cairn-bench-progress-');
  try {
    const merged = Math.round(TASKS * 0.6);
    const seeded = seedKilledRun(repo, {
      tasks: TASKS,
      merged,
      running: 2,
      failed: 10,
      interrupted: 20,
      minEvents: 100_000,
    });
    log(`  progress: seeded ${seeded.events} events, ${seeded.mergeCommits} merges`);
    const node = process.execPath;
    const subjects: Record<'node_e0' | 'progress', [string, string[]]> = {
      node_e0: [node, ['-e', '0']],
      progress: [node, [CLI, 'progress', '001', '--json']],
    };
    const samples: Record<keyof typeof subjects, number[]> = { node_e0: [], progress: [] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const [key, [file, args]] of Object.entries(subjects) as [
        keyof typeof subjects,
        [string, string[]],
      ][]) {
        const timed = await timeProcess(file, args, { cwd: repo, keepOutput: key === 'progress' });
        if (timed.code !== 0) throw new Error(`${key} exited ${timed.code}: ${timed.stderr}`);
        if (key === 'progress' && i === 0) check(timed.stdout, merged);
        if (i >= WARMUP) samples[key].push(timed.ms);
      }
    }
    const m = (key: keyof typeof subjects) => round(median(samples[key]), 1);
    const ratio = round(m('progress') / m('node_e0'), 2);
    return {
      figures: {
        tasks: TASKS,
        merged_tasks: merged,
        journal_events: seeded.events,
        progress_json_ms: m('progress'),
        progress_samples_ms: samples.progress.map((v) => round(v, 1)),
      },
      baseline: {
        description: '`node -e 0` (same node binary, same cwd), interleaved with the progress runs',
        figures: { node_e0_ms: m('node_e0') },
      },
      ratio: { 'progress/node_e0': ratio },
      goals: { 'progress/node_e0': goal(ratio, '<=', 3) },
      notes: [
        `median of ${RUNS} runs each after ${WARMUP} warm-up runs; the first output checked (git dimension ${merged}/${TASKS}, a forecast)`,
        'each run reads the journal, streams `git log --numstat` of the milestone branch, simulates the forecast, and journals a snapshot when the figures changed',
      ],
    };
  } finally {
    removeTemp(repo);
  }
}

runIfMain(import.meta.url, async () => {
  const outcome = await runProgress();
  process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  return 0;
});
